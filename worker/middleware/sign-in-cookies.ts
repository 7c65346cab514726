import type { Context } from "hono";
import type { AppEnv } from "../env";
import { SESSION_INACTIVITY_MS } from "../features/auth/sessions";
import {
  type FirstFactorOutcome,
  type SignInClient,
  startSession,
  TWO_FACTOR_CHALLENGE_TTL_MS,
} from "../features/auth/sign-in";
import { clearCookie, writeCookie } from "../lib/cookies";
import { SESSION_COOKIE } from "./authenticate";
import { clientIp } from "./rate-limit";

/** The pre-auth cookie of a sign-in waiting for its second factor. */
export const TWO_FACTOR_COOKIE = "seqpulse_2fa";

/** The caller as a new session records it. */
export function signInClientOf(c: Context<AppEnv>): SignInClient {
  return { userAgent: c.req.header("User-Agent") ?? null, ipAddress: clientIp(c) };
}

/** Sets the cookies a sign-in step ends with: the session's, or the second factor's challenge. */
export function writeSignInCookies(c: Context<AppEnv>, outcome: FirstFactorOutcome): void {
  if (!outcome.twoFactorRequired) {
    writeCookie(c, SESSION_COOKIE, outcome.sessionToken, Math.floor(SESSION_INACTIVITY_MS / 1000));
    clearCookie(c, TWO_FACTOR_COOKIE);
    return;
  }
  clearCookie(c, SESSION_COOKIE);
  writeCookie(c, TWO_FACTOR_COOKIE, outcome.challengeToken, Math.floor(TWO_FACTOR_CHALLENGE_TTL_MS / 1000));
}

/** Starts a session for the user and sets the session cookie. */
export async function issueSession(c: Context<AppEnv>, userId: string): Promise<void> {
  const sessionToken = await startSession(c.var.db, userId, signInClientOf(c));
  writeSignInCookies(c, { twoFactorRequired: false, sessionToken });
}
