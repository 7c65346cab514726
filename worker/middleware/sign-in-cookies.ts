import type { Context } from "hono";
import type { AppEnv } from "../env";
import { DEVICE_COOKIE_MAX_AGE_SECONDS, noteSignIn } from "../features/auth/devices";
import { SESSION_INACTIVITY_MS } from "../features/auth/sessions";
import {
  type FirstFactorOutcome,
  type SignInClient,
  startSession,
  TWO_FACTOR_CHALLENGE_TTL_MS,
} from "../features/auth/sign-in";
import { clearCookie, readCookie, writeCookie } from "../lib/cookies";
import { SESSION_COOKIE } from "./authenticate";
import { clientIp } from "./rate-limit";

/** The pre-auth cookie of a sign-in waiting for its second factor. */
export const TWO_FACTOR_COOKIE = "seqpulse_2fa";

/** The browser's device id (see `noteSignIn`): long-lived, and no secret of the account. */
export const DEVICE_COOKIE = "sp_device";

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

/** Starts a session for the user and sets the session cookie (and the device's). */
export async function issueSession(c: Context<AppEnv>, userId: string): Promise<void> {
  const sessionToken = await startSession(c.var.db, userId, signInClientOf(c));
  writeSignInCookies(c, { twoFactorRequired: false, sessionToken });
  await rememberDevice(c, userId);
}

/**
 * After a sign-in whose every factor is done: records this browser for the user (a notice to
 * the owner when it is a new one, see `noteSignIn`) and sets its device cookie.
 */
export async function rememberDevice(c: Context<AppEnv>, userId: string): Promise<void> {
  const deviceId = await noteSignIn(c.var.db, {
    userId,
    deviceId: readCookie(c, DEVICE_COOKIE),
    client: signInClientOf(c),
    now: new Date(),
  });
  writeCookie(c, DEVICE_COOKIE, deviceId, DEVICE_COOKIE_MAX_AGE_SECONDS);
}
