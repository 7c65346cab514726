import { type Context, Hono } from "hono";
import type { AppEnv } from "../../env";
import { clearCookie, readCookie } from "../../lib/cookies";
import { ApiError } from "../../lib/errors";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { secretBox } from "../../lib/secret-box";
import { validate } from "../../lib/validation";
import { authOf, requireAuth, requireSession } from "../../middleware/authenticate";
import { enforceRateLimit, guessCounter } from "../../middleware/rate-limit";
import {
  rememberDevice,
  signInClientOf,
  TWO_FACTOR_COOKIE,
  writeSignInCookies,
} from "../../middleware/sign-in-cookies";
import { userView } from "../auth/user-view";
import { disableBody, recoveryCodeBody, totpCodeBody } from "./schemas";
import { regenerateRecoveryCodes, startTotpSetup, twoFactorStatus } from "./two-factor";
import { completeTwoFactorLogin } from "./two-factor-login";
import { disableTwoFactor, enableTwoFactor } from "./two-factor-notices";

export const twoFactorRoutes = new Hono<AppEnv>();

const boxOf = (c: Context<AppEnv>) => secretBox(c.env.ENCRYPTION_KEYS);

// ---- Second step of a login: no session yet, only the pre-auth cookie ----

/** See `completeTwoFactorLogin`; a refusal that ends the sign-in also clears its cookie. */
async function completeLogin(c: Context<AppEnv>, factor: { method: "totp" | "recovery"; code: string }) {
  try {
    const { sessionToken, user } = await completeTwoFactorLogin(c.var.db, {
      challengeToken: readCookie(c, TWO_FACTOR_COOKIE),
      factor,
      encryptionKeys: c.env.ENCRYPTION_KEYS,
      guessesFor: (userId) => guessCounter(c, RATE_LIMITS.twoFactorLoginGuesses, userId),
      client: signInClientOf(c),
    });
    writeSignInCookies(c, { twoFactorRequired: false, sessionToken });
    await rememberDevice(c, user.id);
    return c.json({ user: await userView(c.var.db, user) });
  } catch (error) {
    if (error instanceof ApiError && error.code === "UNAUTHENTICATED") clearCookie(c, TWO_FACTOR_COOKIE);
    throw error;
  }
}

twoFactorRoutes.post("/verify", validate("json", totpCodeBody), (c) => {
  return completeLogin(c, { method: "totp", code: c.req.valid("json").code });
});

twoFactorRoutes.post("/recovery", validate("json", recoveryCodeBody), (c) => {
  return completeLogin(c, { method: "recovery", code: c.req.valid("json").code });
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
    return c.json(await enableTwoFactor(c.var.db, boxOf(c), { userId, code }));
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
    await disableTwoFactor(c.var.db, boxOf(c), { userId, password, code });
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
