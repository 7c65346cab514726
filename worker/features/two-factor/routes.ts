import { type Context, Hono } from "hono";
import type { AppEnv } from "../../env";
import { clearCookie, readCookie } from "../../lib/cookies";
import { ApiError } from "../../lib/errors";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { secretBox } from "../../lib/secret-box";
import { validate } from "../../lib/validation";
import { authOf, requireAuth, requireSession } from "../../middleware/authenticate";
import {
  clearFailures,
  enforceFailureLimits,
  enforceRateLimit,
  guessLimits,
  recordFailure,
} from "../../middleware/rate-limit";
import { issueSession, TWO_FACTOR_COOKIE } from "../../middleware/sign-in-cookies";
import { findAccount } from "../auth/account";
import { userView } from "../auth/user-view";
import { disableBody, recoveryCodeBody, totpCodeBody } from "./schemas";
import {
  completeChallenge,
  confirmTotpSetup,
  recordChallengeFailure,
  regenerateRecoveryCodes,
  startTotpSetup,
  turnOffTwoFactor,
  twoFactorStatus,
  validateChallengeToken,
  verifyRecoveryCode,
  verifyTotpCode,
} from "./two-factor";

export const twoFactorRoutes = new Hono<AppEnv>();

const boxOf = (c: Context<AppEnv>) => secretBox(c.env.ENCRYPTION_KEYS);

// ---- Second step of a login: no session yet, only the pre-auth cookie ----

/**
 * Finishes a login waiting for its second factor. Every failure to find a live challenge
 * (no cookie, forged, expired, or ended by five wrong codes) is a 401 that clears the cookie:
 * the client goes back to the password step. A wrong code is a 400 INVALID_CODE while the
 * challenge lives; the fifth ends it with a 401, and from then on even a right code is refused.
 * On top of that, wrong codes slow down this user from this address (and this address) with
 * growing delays; a right code never counts, so wrong codes sent from elsewhere do not lock the
 * user out.
 */
async function completeLogin(c: Context<AppEnv>, verify: (userId: string) => Promise<boolean>) {
  const db = c.var.db;
  const refuse = (message: string) => {
    clearCookie(c, TWO_FACTOR_COOKIE);
    return new ApiError("UNAUTHENTICATED", message);
  };
  const challenge = await validateChallengeToken(db, readCookie(c, TWO_FACTOR_COOKIE));
  if (!challenge) throw refuse("The sign-in expired; sign in again.");
  const limits = guessLimits(c, RATE_LIMITS.twoFactorLoginGuesses, challenge.userId);
  await enforceFailureLimits(c, limits);
  if (!(await verify(challenge.userId))) {
    await recordFailure(c, limits);
    if ((await recordChallengeFailure(db, challenge.id)) === "ended") {
      throw refuse("Too many wrong codes; sign in again.");
    }
    throw new ApiError("INVALID_CODE", "The code is wrong or already used.", {
      fields: [{ field: "code", message: "The code is wrong or already used." }],
    });
  }
  await clearFailures(c, limits[0]);
  const userId = await completeChallenge(db, challenge.id);
  if (!userId) throw refuse("The sign-in expired; sign in again.");
  await issueSession(c, userId);
  const user = await findAccount(db, userId);
  if (!user) throw refuse("The sign-in expired; sign in again.");
  return c.json({ user: await userView(db, user) });
}

twoFactorRoutes.post("/verify", validate("json", totpCodeBody), (c) => {
  const { code } = c.req.valid("json");
  return completeLogin(c, (userId) => verifyTotpCode(c.var.db, boxOf(c), { userId, code }));
});

twoFactorRoutes.post("/recovery", validate("json", recoveryCodeBody), (c) => {
  const { code } = c.req.valid("json");
  return completeLogin(c, (userId) => verifyRecoveryCode(c.var.db, boxOf(c), userId, code));
});

// ---- Management: signed in ----

// 2FA settings decide how the account signs in: a session only (see `requireSession`).

twoFactorRoutes.get("/", requireAuth(), requireSession(), async (c) => {
  return c.json(await twoFactorStatus(c.var.db, authOf(c).userId));
});

twoFactorRoutes.post("/setup", requireAuth(), requireSession(), async (c) => {
  const { userId } = authOf(c);
  await enforceRateLimit(c, RATE_LIMITS.twoFactorSetupPerUser, userId);
  return c.json(await startTotpSetup(c.var.db, boxOf(c), userId));
});

twoFactorRoutes.post(
  "/enable",
  requireAuth(),
  requireSession(),
  validate("json", totpCodeBody),
  async (c) => {
    const { userId } = authOf(c);
    await enforceRateLimit(c, RATE_LIMITS.twoFactorEnablePerUser, userId);
    const { code } = c.req.valid("json");
    return c.json(await confirmTotpSetup(c.var.db, boxOf(c), { userId, code }));
  },
);

twoFactorRoutes.post(
  "/disable",
  requireAuth(),
  requireSession(),
  validate("json", disableBody),
  async (c) => {
    const { userId } = authOf(c);
    // Before the password hash: the hash is what an attacker would make us spend.
    await enforceRateLimit(c, RATE_LIMITS.twoFactorDisablePerUser, userId);
    const { password, code } = c.req.valid("json");
    await turnOffTwoFactor(c.var.db, boxOf(c), { userId, password, code });
    return c.body(null, 204);
  },
);

twoFactorRoutes.post(
  "/recovery-codes",
  requireAuth(),
  requireSession(),
  validate("json", totpCodeBody),
  async (c) => {
    const { userId } = authOf(c);
    await enforceRateLimit(c, RATE_LIMITS.twoFactorRecoveryCodesPerUser, userId);
    const { code } = c.req.valid("json");
    return c.json(await regenerateRecoveryCodes(c.var.db, boxOf(c), { userId, code }));
  },
);
