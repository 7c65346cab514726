import type { Database } from "../../../db/client";
import { insertTwoFactorChallenge } from "../../../db/queries/two-factor";
import { ApiError } from "../../lib/errors";
import type { GuessCounter } from "../../lib/guess-counter";
import { newIdSecretToken } from "../../lib/id-secret-token";
import { checkPassword } from "./account";
import { createSession } from "./sessions";

export const TWO_FACTOR_CHALLENGE_TTL_MS = 5 * 60 * 1000;

/** Where a sign-in comes from, kept on its session for the user's list of sessions. */
export interface SignInClient {
  userAgent: string | null;
  ipAddress: string | null;
}

export type FirstFactorOutcome =
  /** Signed in: the token of the new session. */
  | { twoFactorRequired: false; sessionToken: string }
  /** A second factor is due: the token of the short-lived challenge it must complete. */
  | { twoFactorRequired: true; challengeToken: string };

/** Starts a session for the user and returns its token. */
export async function startSession(db: Database, userId: string, client: SignInClient): Promise<string> {
  const { token } = await createSession(db, { userId, ...client });
  return token;
}

/**
 * What every successful first factor (password, OAuth) leads to: a session, or, when the user
 * has 2FA, a short-lived challenge and no session yet.
 */
export async function completeFirstFactor(
  db: Database,
  user: { id: string; totpEnabledAt: Date | null },
  client: SignInClient,
  now = new Date(),
): Promise<FirstFactorOutcome> {
  if (!user.totpEnabledAt) {
    return { twoFactorRequired: false, sessionToken: await startSession(db, user.id, client) };
  }
  const { id, token, secretHash } = await newIdSecretToken();
  await insertTwoFactorChallenge(db, {
    id,
    userId: user.id,
    secretHash,
    expiresAt: new Date(now.getTime() + TWO_FACTOR_CHALLENGE_TTL_MS),
  });
  return { twoFactorRequired: true, challengeToken: token };
}

/**
 * Signs in with email and password: a session, or a challenge when the account has 2FA. Only
 * wrong passwords count on `guesses` (checked before the password is hashed); a wrong email or a
 * wrong password are the same INVALID_CREDENTIALS.
 */
export async function signInWithPassword(
  db: Database,
  params: { email: string; password: string; guesses: GuessCounter; client: SignInClient; now?: Date },
) {
  await params.guesses.check();
  const user = await checkPassword(db, params.email, params.password);
  if (!user) {
    await params.guesses.recordFailure();
    throw new ApiError("INVALID_CREDENTIALS", "Wrong email or password.");
  }
  await params.guesses.clear();
  const outcome = await completeFirstFactor(db, user, params.client, params.now);
  return { outcome, user };
}
