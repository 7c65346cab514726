import type { Context } from "hono";
import { insertTwoFactorChallenge } from "../../../db/queries/two-factor";
import type { AppEnv } from "../../env";
import { clearCookie, writeCookie } from "../../lib/cookies";
import { newIdSecretToken } from "../../lib/id-secret-token";
import { SESSION_COOKIE } from "../../middleware/authenticate";
import { clientIp } from "../../middleware/rate-limit";
import { createSession, SESSION_INACTIVITY_MS } from "./sessions";

export const TWO_FACTOR_COOKIE = "seqpulse_2fa";
export const TWO_FACTOR_CHALLENGE_TTL_MS = 5 * 60 * 1000;

/** Starts a session for the user and sets the session cookie. */
export async function issueSession(c: Context<AppEnv>, userId: string) {
  const { token, session } = await createSession(c.var.db, {
    userId,
    userAgent: c.req.header("User-Agent") ?? null,
    ipAddress: clientIp(c),
  });
  writeCookie(c, SESSION_COOKIE, token, Math.floor(SESSION_INACTIVITY_MS / 1000));
  clearCookie(c, TWO_FACTOR_COOKIE);
  return { token, session };
}

/**
 * What every successful first factor (password, OAuth) leads to: a session, or, when the user
 * has 2FA, a short-lived challenge in a pre-auth cookie and no session yet.
 */
export async function completeFirstFactor(
  c: Context<AppEnv>,
  user: { id: string; totpEnabledAt: Date | null },
): Promise<{ twoFactorRequired: boolean }> {
  if (!user.totpEnabledAt) {
    await issueSession(c, user.id);
    return { twoFactorRequired: false };
  }
  const { id, token, secretHash } = await newIdSecretToken();
  await insertTwoFactorChallenge(c.var.db, {
    id,
    userId: user.id,
    secretHash,
    expiresAt: new Date(Date.now() + TWO_FACTOR_CHALLENGE_TTL_MS),
  });
  clearCookie(c, SESSION_COOKIE);
  writeCookie(c, TWO_FACTOR_COOKIE, token, Math.floor(TWO_FACTOR_CHALLENGE_TTL_MS / 1000));
  return { twoFactorRequired: true };
}
