import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, Authentication } from "../env";
import { isApiToken, validateApiToken } from "../features/auth/api-tokens";
import { validateSessionToken } from "../features/auth/sessions";
import { readCookie } from "../lib/cookies";
import { ApiError } from "../lib/errors";

export const SESSION_COOKIE = "seqpulse_session";

/**
 * Resolves who is calling, from the session cookie (browsers), `Authorization: Bearer <session
 * token>` (API clients) or `Authorization: Bearer spt_...` (personal API tokens). Anonymous
 * requests pass with `auth` null; `requireAuth` turns that into a 401.
 */
export const authenticate = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    c.set("auth", await resolveAuthentication(c));
    await next();
  });

async function resolveAuthentication(c: Context<AppEnv>): Promise<Authentication | null> {
  const header = c.req.header("Authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    // A malformed or wrong Authorization header is an error, not a silent fallback to the cookie.
    if (!match?.[1]) throw new ApiError("UNAUTHENTICATED", "Malformed Authorization header.");
    const token = match[1];
    // A project's CI key (`sp_...`) is not a user credential: the CI routes check it themselves.
    if (token.startsWith("sp_")) return null;
    if (isApiToken(token)) {
      const owner = await validateApiToken(c.var.db, token);
      if (!owner) throw new ApiError("UNAUTHENTICATED", "Invalid or expired token.");
      return {
        userId: owner.userId,
        sessionId: null,
        sessionCreatedAt: null,
        method: "api-token",
        apiTokenId: owner.tokenId,
      } satisfies Authentication;
    }
    const session = await validateSessionToken(c.var.db, token);
    if (!session) throw new ApiError("UNAUTHENTICATED", "Invalid or expired token.");
    return {
      userId: session.userId,
      sessionId: session.id,
      sessionCreatedAt: session.createdAt,
      method: "bearer",
      apiTokenId: null,
    } satisfies Authentication;
  }
  const cookie = readCookie(c, SESSION_COOKIE);
  if (!cookie) return null;
  const session = await validateSessionToken(c.var.db, cookie);
  return session
    ? ({
        userId: session.userId,
        sessionId: session.id,
        sessionCreatedAt: session.createdAt,
        method: "cookie",
        apiTokenId: null,
      } satisfies Authentication)
    : null;
}

/** The caller, for handlers behind `requireAuth`; a 401 if there is none. */
export function authOf(c: Context<AppEnv>): Authentication {
  if (!c.var.auth) throw new ApiError("UNAUTHENTICATED", "Sign in to continue.");
  return c.var.auth;
}

/** 401 unless `authenticate` found a caller. */
export const requireAuth = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!c.var.auth) throw new ApiError("UNAUTHENTICATED", "Sign in to continue.");
    await next();
  });

/**
 * For what decides how the account signs in or who may act for it (password, 2FA, sessions, API
 * tokens, linked providers): a session (cookie, or the session token as Bearer), never a personal
 * API token. A leaked script token must not be able to set a password on an OAuth-only account,
 * lock the owner out with its own 2FA secret, sign the owner's browsers out, revoke the owner's
 * other tokens, or mint a token that outlives its own expiry and revocation.
 * Use after `requireAuth`.
 */
export const requireSession = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    refuseApiToken(authOf(c));
    await next();
  });

/** The 403 `requireSession` answers to a personal API token. */
export function refuseApiToken(auth: Authentication | null): void {
  if (auth?.method === "api-token") {
    throw new ApiError("FORBIDDEN", "Sign in with a session to do this; API tokens cannot.");
  }
}
