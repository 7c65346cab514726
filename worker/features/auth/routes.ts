import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { clearCookie } from "../../lib/cookies";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { validate } from "../../lib/validation";
import {
  authOf,
  refuseApiToken,
  requireAuth,
  requireSession,
  SESSION_COOKIE,
} from "../../middleware/authenticate";
import { enforceRateLimit, guessCounter } from "../../middleware/rate-limit";
import {
  issueSession,
  rememberDevice,
  signInClientOf,
  writeSignInCookies,
} from "../../middleware/sign-in-cookies";
import {
  changePassword,
  getAccount,
  listSessions,
  revokeSession,
  signOut,
  signUp,
  updateAccount,
} from "./account";
import { issueApiToken, listUserApiTokens, revokeApiToken } from "./api-tokens";
import { requestEmailVerification, requestPasswordReset, resetPassword, verifyEmail } from "./email-links";
import {
  changePasswordBody,
  createTokenBody,
  forgotPasswordBody,
  idParam,
  loginBody,
  resetPasswordBody,
  signupBody,
  updateMeBody,
  verifyEmailBody,
} from "./schemas";
import { signInWithPassword } from "./sign-in";
import { userView } from "./user-view";

export const authRoutes = new Hono<AppEnv>();

authRoutes.post("/signup", validate("json", signupBody), async (c) => {
  const body = c.req.valid("json");
  // Limits before hashing: the hash is the expensive part an attacker would aim at.
  await enforceRateLimit(c, RATE_LIMITS.signupPerIp);
  await enforceRateLimit(c, RATE_LIMITS.signupPerEmail, body.email);
  const outcome = await signUp(c.var.db, body, new Date());
  // An address with an account gets no session and no word about it: its owner is mailed.
  if (!outcome.created) return c.json({ checkEmail: true as const }, 202);
  await issueSession(c, outcome.user.id);
  return c.json({ user: await userView(c.var.db, outcome.user) }, 201);
});

authRoutes.post("/email/verification", requireAuth(), requireSession(), async (c) => {
  const { userId } = authOf(c);
  await enforceRateLimit(c, RATE_LIMITS.emailVerificationPerUser, userId);
  await requestEmailVerification(c.var.db, userId, new Date());
  return c.json({ accepted: true as const }, 202);
});

authRoutes.post("/email/verify", validate("json", verifyEmailBody), async (c) => {
  await enforceRateLimit(c, RATE_LIMITS.accountLinkPerIp);
  await verifyEmail(c.var.db, c.req.valid("json").token, new Date());
  return c.body(null, 204);
});

authRoutes.post("/password/forgot", validate("json", forgotPasswordBody), async (c) => {
  const { email } = c.req.valid("json");
  await enforceRateLimit(c, RATE_LIMITS.passwordForgotPerIp);
  await enforceRateLimit(c, RATE_LIMITS.passwordForgotPerEmail, email);
  // After the answer: its content and timing are the same whether or not the account exists.
  c.var.inBackground(requestPasswordReset(c.var.db, email, new Date()));
  return c.json({ accepted: true as const }, 202);
});

authRoutes.post("/password/reset", validate("json", resetPasswordBody), async (c) => {
  await enforceRateLimit(c, RATE_LIMITS.accountLinkPerIp);
  const { token, password } = c.req.valid("json");
  await resetPassword(c.var.db, { token, password, now: new Date() });
  // This browser's session (if any) ended with the others.
  clearCookie(c, SESSION_COOKIE);
  return c.body(null, 204);
});

authRoutes.post("/login", validate("json", loginBody), async (c) => {
  const body = c.req.valid("json");
  // Only wrong passwords count, per account and address (growing delays) and per address
  // (spraying), checked before hashing: the right password never counts, and strangers' wrong
  // ones from other addresses never lock the owner out.
  const { outcome, user } = await signInWithPassword(c.var.db, {
    email: body.email,
    password: body.password,
    guesses: guessCounter(c, RATE_LIMITS.loginGuesses, body.email),
    client: signInClientOf(c),
  });
  writeSignInCookies(c, outcome);
  if (outcome.twoFactorRequired) return c.json({ twoFactorRequired: true });
  await rememberDevice(c, user.id);
  return c.json({ twoFactorRequired: false, user: await userView(c.var.db, user) });
});

authRoutes.post("/logout", requireAuth(), async (c) => {
  const { sessionId } = authOf(c);
  if (sessionId) await signOut(c.var.db, sessionId);
  clearCookie(c, SESSION_COOKIE);
  return c.body(null, 204);
});

authRoutes.get("/me", requireAuth(), async (c) => {
  const user = await getAccount(c.var.db, authOf(c).userId);
  return c.json({ user: await userView(c.var.db, user) });
});

authRoutes.patch("/me", requireAuth(), validate("json", updateMeBody), async (c) => {
  const user = await updateAccount(c.var.db, authOf(c).userId, c.req.valid("json"));
  return c.json({ user: await userView(c.var.db, user) });
});

/** See `changePassword`: other sessions end and personal API tokens are revoked. */
authRoutes.post(
  "/password",
  requireAuth(),
  requireSession(),
  validate("json", changePasswordBody),
  async (c) => {
    const { userId, sessionId, sessionCreatedAt } = authOf(c);
    const body = c.req.valid("json");
    await enforceRateLimit(c, RATE_LIMITS.passwordChangePerUser, userId);
    await changePassword(c.var.db, { userId, sessionId, sessionCreatedAt, body, now: new Date() });
    return c.body(null, 204);
  },
);

// Sessions and tokens are managed from a session only (see `requireSession`); a token may still
// revoke itself.

authRoutes.get("/sessions", requireAuth(), requireSession(), async (c) => {
  const { userId, sessionId } = authOf(c);
  return c.json({ sessions: await listSessions(c.var.db, userId, sessionId, new Date()) });
});

authRoutes.delete("/sessions/:id", requireAuth(), requireSession(), validate("param", idParam), async (c) => {
  const { userId, sessionId } = authOf(c);
  const { id } = c.req.valid("param");
  await revokeSession(c.var.db, userId, id);
  if (id === sessionId) clearCookie(c, SESSION_COOKIE);
  return c.body(null, 204);
});

authRoutes.get("/tokens", requireAuth(), requireSession(), async (c) => {
  return c.json({ tokens: await listUserApiTokens(c.var.db, authOf(c).userId) });
});

// A token cannot mint tokens: the new one would outlive this one's expiry and revocation.
authRoutes.post("/tokens", requireAuth(), requireSession(), validate("json", createTokenBody), async (c) => {
  const body = c.req.valid("json");
  const created = await issueApiToken(c.var.db, {
    userId: authOf(c).userId,
    name: body.name,
    expiresInDays: body.expiresInDays,
    now: new Date(),
  });
  // Shown once: only a hash is kept.
  return c.json(created, 201);
});

authRoutes.delete("/tokens/:id", requireAuth(), validate("param", idParam), async (c) => {
  const auth = authOf(c);
  const { id } = c.req.valid("param");
  if (auth.apiTokenId !== id) refuseApiToken(auth);
  await revokeApiToken(c.var.db, auth.userId, id);
  return c.body(null, 204);
});
