import { Hono } from "hono";
import { deleteApiToken, deleteApiTokensOfUser, listApiTokens } from "../../../db/queries/api-tokens";
import {
  deleteOtherSessions,
  deleteSession,
  deleteUserSession,
  listUserSessions,
} from "../../../db/queries/sessions";
import {
  findUserById,
  findUserCredentialsByEmail,
  getPasswordHash,
  insertUser,
  setPasswordHash,
  updateUserProfile,
} from "../../../db/queries/users";
import type { AppEnv } from "../../env";
import { clearCookie } from "../../lib/cookies";
import { ApiError } from "../../lib/errors";
import { dummyPasswordHash, hashPassword, verifyPassword } from "../../lib/password";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { validate } from "../../lib/validation";
import {
  authOf,
  refuseApiToken,
  requireAuth,
  requireSession,
  SESSION_COOKIE,
} from "../../middleware/authenticate";
import {
  clearFailures,
  enforceFailureLimits,
  enforceRateLimit,
  guessLimits,
  recordFailure,
} from "../../middleware/rate-limit";
import { createApiToken } from "./api-tokens";
import { changePasswordBody, createTokenBody, idParam, loginBody, signupBody, updateMeBody } from "./schemas";
import { completeFirstFactor, issueSession } from "./sign-in";
import { userView } from "./user-view";

export const authRoutes = new Hono<AppEnv>();

/** How recent a sign-in must be to set a first password. */
export const RECENT_SIGN_IN_MS = 15 * 60 * 1000;

function signedInRecently(createdAt: Date | null): boolean {
  return createdAt !== null && Date.now() - createdAt.getTime() < RECENT_SIGN_IN_MS;
}

authRoutes.post("/signup", validate("json", signupBody), async (c) => {
  const body = c.req.valid("json");
  // Limits before hashing: the hash is the expensive part an attacker would aim at.
  await enforceRateLimit(c, RATE_LIMITS.signupPerIp);
  await enforceRateLimit(c, RATE_LIMITS.signupPerEmail, body.email);
  const user = await insertUser(c.var.db, {
    email: body.email,
    name: body.name ?? "",
    locale: body.locale ?? "en",
    passwordHash: await hashPassword(body.password),
  });
  if (!user) {
    throw new ApiError("EMAIL_TAKEN", "An account with this email already exists.", {
      fields: [{ field: "email", message: "An account with this email already exists." }],
    });
  }
  await issueSession(c, user.id);
  return c.json({ user: await userView(c.var.db, user) }, 201);
});

authRoutes.post("/login", validate("json", loginBody), async (c) => {
  const body = c.req.valid("json");
  // Only wrong passwords count, per account and address (growing delays) and per address
  // (spraying), checked before hashing: the right password never counts, and strangers' wrong
  // ones from other addresses never lock the owner out.
  const limits = guessLimits(c, RATE_LIMITS.loginGuesses, body.email);
  await enforceFailureLimits(c, limits);
  const user = await findUserCredentialsByEmail(c.var.db, body.email);
  // Same work whether or not the account exists, so timing does not reveal accounts.
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), body.password);
  if (!user?.passwordHash || !valid) {
    await recordFailure(c, limits);
    throw new ApiError("INVALID_CREDENTIALS", "Wrong email or password.");
  }
  await clearFailures(c, limits[0]);
  const { twoFactorRequired } = await completeFirstFactor(c, user);
  if (twoFactorRequired) return c.json({ twoFactorRequired: true });
  return c.json({ twoFactorRequired: false, user: await userView(c.var.db, user) });
});

authRoutes.post("/logout", requireAuth(), async (c) => {
  const { sessionId } = authOf(c);
  if (sessionId) await deleteSession(c.var.db, sessionId);
  clearCookie(c, SESSION_COOKIE);
  return c.body(null, 204);
});

authRoutes.get("/me", requireAuth(), async (c) => {
  const user = await findUserById(c.var.db, authOf(c).userId);
  if (!user) throw new ApiError("UNAUTHENTICATED", "Sign in to continue.");
  return c.json({ user: await userView(c.var.db, user) });
});

authRoutes.patch("/me", requireAuth(), validate("json", updateMeBody), async (c) => {
  const user = await updateUserProfile(c.var.db, authOf(c).userId, c.req.valid("json"));
  if (!user) throw new ApiError("UNAUTHENTICATED", "Sign in to continue.");
  return c.json({ user: await userView(c.var.db, user) });
});

/**
 * Changes the password, or sets a first one on an OAuth-only account, ends every other session
 * and revokes every personal API token (neither a stolen session nor a leaked token may outlive
 * the password change).
 */
authRoutes.post(
  "/password",
  requireAuth(),
  requireSession(),
  validate("json", changePasswordBody),
  async (c) => {
    const { userId, sessionId } = authOf(c);
    const body = c.req.valid("json");
    await enforceRateLimit(c, RATE_LIMITS.passwordChangePerUser, userId);
    const currentHash = await getPasswordHash(c.var.db, userId);
    if (!currentHash && !signedInRecently(authOf(c).sessionCreatedAt)) {
      // A first password proves nothing about who asks: only a fresh sign-in (through the
      // provider) may set it, so a stolen old session cannot take the account over.
      throw new ApiError("REAUTH_REQUIRED", "Sign in again to set a password.");
    }
    if (currentHash) {
      const currentValid = body.currentPassword
        ? await verifyPassword(currentHash, body.currentPassword)
        : false;
      if (!currentValid) {
        throw new ApiError("VALIDATION_FAILED", "The current password is wrong.", {
          fields: [{ field: "currentPassword", message: "The current password is wrong." }],
        });
      }
    }
    await setPasswordHash(c.var.db, userId, await hashPassword(body.newPassword));
    await deleteOtherSessions(c.var.db, userId, sessionId);
    await deleteApiTokensOfUser(c.var.db, userId);
    return c.body(null, 204);
  },
);

// Sessions and tokens are managed from a session only (see `requireSession`); a token may still
// revoke itself.

authRoutes.get("/sessions", requireAuth(), requireSession(), async (c) => {
  const { userId, sessionId } = authOf(c);
  const rows = await listUserSessions(c.var.db, userId, new Date());
  return c.json({
    sessions: rows.map((row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      lastSeenAt: row.lastSeenAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      userAgent: row.userAgent,
      ipAddress: row.ipAddress,
      current: row.id === sessionId,
    })),
  });
});

authRoutes.delete("/sessions/:id", requireAuth(), requireSession(), validate("param", idParam), async (c) => {
  const { userId, sessionId } = authOf(c);
  const { id } = c.req.valid("param");
  if (!(await deleteUserSession(c.var.db, userId, id))) throw new ApiError("NOT_FOUND", "No such session.");
  if (id === sessionId) clearCookie(c, SESSION_COOKIE);
  return c.body(null, 204);
});

authRoutes.get("/tokens", requireAuth(), requireSession(), async (c) => {
  const rows = await listApiTokens(c.var.db, authOf(c).userId);
  return c.json({
    tokens: rows.map((row) => ({
      id: row.id,
      name: row.name,
      displayPrefix: row.displayPrefix,
      createdAt: row.createdAt.toISOString(),
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
      expiresAt: row.expiresAt?.toISOString() ?? null,
    })),
  });
});

// A token cannot mint tokens: the new one would outlive this one's expiry and revocation.
authRoutes.post("/tokens", requireAuth(), requireSession(), validate("json", createTokenBody), async (c) => {
  const body = c.req.valid("json");
  const expiresAt = body.expiresInDays ? new Date(Date.now() + body.expiresInDays * 86_400_000) : null;
  const { token, record } = await createApiToken(c.var.db, {
    userId: authOf(c).userId,
    name: body.name,
    expiresAt,
  });
  return c.json(
    {
      // Shown once: only a hash is kept.
      token,
      tokenInfo: {
        id: record.id,
        name: record.name,
        displayPrefix: record.displayPrefix,
        createdAt: record.createdAt.toISOString(),
        expiresAt: record.expiresAt?.toISOString() ?? null,
      },
    },
    201,
  );
});

authRoutes.delete("/tokens/:id", requireAuth(), validate("param", idParam), async (c) => {
  const auth = authOf(c);
  const { id } = c.req.valid("param");
  if (auth.apiTokenId !== id) refuseApiToken(auth);
  if (!(await deleteApiToken(c.var.db, auth.userId, id))) {
    throw new ApiError("NOT_FOUND", "No such token.");
  }
  return c.body(null, 204);
});
