import type { Database } from "../../../db/client";
import { insertTwoFactorChallenge } from "../../../db/queries/two-factor";
import { newIdSecretToken } from "../../lib/id-secret-token";
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
