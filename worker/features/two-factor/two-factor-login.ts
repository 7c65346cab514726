import type { Database } from "../../../db/client";
import { ApiError } from "../../lib/errors";
import type { GuessCounter } from "../../lib/guess-counter";
import { secretBox } from "../../lib/secret-box";
import { findAccount } from "../auth/account";
import { type SignInClient, startSession } from "../auth/sign-in";
import {
  completeChallenge,
  recordChallengeFailure,
  validateChallengeToken,
  verifyRecoveryCode,
  verifyTotpCode,
} from "./two-factor";

/**
 * Finishes a login waiting for its second factor (`challengeToken`, from the pre-auth cookie).
 * Every failure to find a live challenge (none, forged, expired, or ended by five wrong codes)
 * is UNAUTHENTICATED: the client goes back to the password step. A wrong code is INVALID_CODE
 * while the challenge lives; the fifth ends it (UNAUTHENTICATED), and from then on even a right
 * code is refused. On top of that, wrong codes count on `guessesFor(userId)` (this user from
 * this address, and this address) with growing delays; a right code never counts, so wrong codes
 * sent from elsewhere do not lock the user out.
 */
export async function completeTwoFactorLogin(
  db: Database,
  params: {
    challengeToken: string | undefined;
    factor: { method: "totp" | "recovery"; code: string };
    encryptionKeys: string;
    guessesFor: (userId: string) => GuessCounter;
    client: SignInClient;
  },
) {
  const expired = () => new ApiError("UNAUTHENTICATED", "The sign-in expired; sign in again.");
  const challenge = await validateChallengeToken(db, params.challengeToken);
  if (!challenge) throw expired();
  const guesses = params.guessesFor(challenge.userId);
  await guesses.check();
  const box = secretBox(params.encryptionKeys);
  const { method, code } = params.factor;
  const valid =
    method === "totp"
      ? await verifyTotpCode(db, box, { userId: challenge.userId, code })
      : await verifyRecoveryCode(db, box, challenge.userId, code);
  if (!valid) {
    await guesses.recordFailure();
    if ((await recordChallengeFailure(db, challenge.id)) === "ended") {
      throw new ApiError("UNAUTHENTICATED", "Too many wrong codes; sign in again.");
    }
    throw new ApiError("INVALID_CODE", "The code is wrong or already used.", {
      fields: [{ field: "code", message: "The code is wrong or already used." }],
    });
  }
  await guesses.clear();
  const userId = await completeChallenge(db, challenge.id);
  if (!userId) throw expired();
  const sessionToken = await startSession(db, userId, params.client);
  const user = await findAccount(db, userId);
  if (!user) throw expired();
  return { sessionToken, user };
}
