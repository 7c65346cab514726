import { type Context, Hono } from "hono";
import type { AppEnv } from "../../env";
import { clearCookie, readCookie, writeCookie } from "../../lib/cookies";
import { ApiError } from "../../lib/errors";
import { describeError, log } from "../../lib/log";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { authOf, refuseApiToken, requireAuth, requireSession } from "../../middleware/authenticate";
import { enforceRateLimit } from "../../middleware/rate-limit";
import { rememberDevice, signInClientOf, writeSignInCookies } from "../../middleware/sign-in-cookies";
import { completeFirstFactor } from "../auth/sign-in";
import { completeOAuthCallback } from "./callback";
import {
  beginAuthorization,
  decodeFlowCookie,
  encodeFlowCookie,
  FLOW_TTL_SECONDS,
  type OAuthErrorCode,
  OAuthFlowError,
  unlinkProvider,
} from "./oauth";
import { enabledProviders, readOAuthSettings } from "./providers";
import { callbackQuery, isOAuthProvider, type OAuthProvider, startQuery } from "./schemas";

export const oauthRoutes = new Hono<AppEnv>();

/** Where failed callbacks land (locale-less: the dashboard picks the locale). */
const SIGN_IN_PAGE = "/signin/";
/** The dashboard's second-factor step, for users with 2FA. */
const TWO_FACTOR_PAGE = "/2fa/";

/** One cookie per provider, so two flows started in two tabs do not overwrite each other. */
const flowCookieName = (provider: OAuthProvider) => `seqpulse_oauth_${provider}`;

function redirectUri(c: Context<AppEnv>, provider: OAuthProvider): string {
  return `${new URL(c.req.url).origin}/api/auth/oauth/${provider}/callback`;
}

function redirectTo(c: Context<AppEnv>, location: string) {
  c.header("Cache-Control", "no-store");
  return c.redirect(location, 302);
}

/** The provider named in the path, with its settings; 404 when unknown or not configured. */
function providerFromPath(c: Context<AppEnv>) {
  const name = c.req.param("provider") ?? "";
  if (!isOAuthProvider(name)) throw new ApiError("NOT_FOUND", "No such route.");
  const settings = readOAuthSettings(c.env);
  const credentials = settings.credentials[name];
  if (!credentials) throw new ApiError("PROVIDER_DISABLED", "This sign-in provider is not available.");
  return { provider: name, settings, credentials };
}

/** Which providers the sign-in page should offer. */
oauthRoutes.get("/providers", (c) => c.json({ providers: enabledProviders(readOAuthSettings(c.env)) }));

oauthRoutes.get("/:provider/start", async (c) => {
  const { provider, settings, credentials } = providerFromPath(c);
  await enforceRateLimit(c, RATE_LIMITS.oauthStartPerIp);
  const query = startQuery.safeParse(c.req.query());
  if (!query.success) {
    throw new ApiError("VALIDATION_FAILED", "Some fields are invalid.", {
      fields: query.error.issues.map((issue) => ({
        field: issue.path.join(".") || "query",
        message: issue.message,
      })),
    });
  }
  const { mode, next } = query.data;
  // Linking adds a way into the account: a session only (see `requireSession`).
  if (mode === "link") refuseApiToken(c.var.auth);
  const userId = c.var.auth?.userId;
  if (mode === "link" && !userId) return redirectTo(c, `${SIGN_IN_PAGE}?error=OAUTH_LINK_REQUIRES_SIGNIN`);
  const { url, state, codeVerifier } = beginAuthorization(
    settings,
    provider,
    credentials,
    redirectUri(c, provider),
  );
  writeCookie(
    c,
    flowCookieName(provider),
    encodeFlowCookie({ state, codeVerifier, mode, next, userId: mode === "link" ? userId : undefined }),
    FLOW_TTL_SECONDS,
  );
  return redirectTo(c, url);
});

/**
 * The provider sends the browser back here. Every failure is a redirect to the sign-in page
 * with a stable code (never a 5xx page, never the provider's message, never a token in a URL).
 */
oauthRoutes.get("/:provider/callback", async (c) => {
  const { provider, settings, credentials } = providerFromPath(c);
  const cookieName = flowCookieName(provider);
  const flow = decodeFlowCookie(readCookie(c, cookieName));
  // Single use: whatever happens next, this authorization cannot be replayed from this browser.
  clearCookie(c, cookieName);
  try {
    await enforceRateLimit(c, RATE_LIMITS.oauthCallbackPerIp);
    const query = callbackQuery.safeParse(c.req.query());
    if (!query.success) throw new OAuthFlowError("OAUTH_FAILED", "malformed callback query");
    const outcome = await completeOAuthCallback(c.var.db, {
      settings,
      provider,
      credentials,
      query: query.data,
      flow,
      redirectUri: redirectUri(c, provider),
      // A personal API token is no session: it cannot finish a link either.
      currentUserId: c.var.auth?.method === "api-token" ? null : (c.var.auth?.userId ?? null),
    });
    if (outcome.mode === "link") return redirectTo(c, outcome.next);
    const signedIn = await completeFirstFactor(c.var.db, outcome.user, signInClientOf(c));
    writeSignInCookies(c, signedIn);
    if (!signedIn.twoFactorRequired) {
      await rememberDevice(c, outcome.user.id);
      return redirectTo(c, outcome.next);
    }
    const next = outcome.next === "/" ? "" : `?${new URLSearchParams({ next: outcome.next })}`;
    return redirectTo(c, `${TWO_FACTOR_PAGE}${next}`);
  } catch (error) {
    const code = failureCode(c, provider, error);
    return redirectTo(c, `${SIGN_IN_PAGE}?error=${code}`);
  }
});

/** Maps a callback failure to its stable code, and logs it (reason only, no token or email). */
function failureCode(c: Context<AppEnv>, provider: OAuthProvider, error: unknown): OAuthErrorCode {
  const fields = { requestId: c.var.requestId, provider };
  if (error instanceof OAuthFlowError) {
    log("warn", "oauth callback refused", { ...fields, code: error.code, reason: error.message });
    return error.code;
  }
  if (error instanceof ApiError && error.code === "RATE_LIMITED") return "RATE_LIMITED";
  // The provider refused the code, answered something unexpected, or our database failed.
  log("error", "oauth callback failed", { ...fields, error: describeError(error).error });
  return "OAUTH_FAILED";
}

/**
 * Unlinks a provider from the signed-in account, unless it is the account's last way in (no
 * password and no other linked provider that is currently offered). A session only.
 */
oauthRoutes.delete("/:provider", requireAuth(), requireSession(), async (c) => {
  const name = c.req.param("provider");
  if (!isOAuthProvider(name)) throw new ApiError("NOT_FOUND", "No such route.");
  await unlinkProvider(c.var.db, authOf(c).userId, name, enabledProviders(readOAuthSettings(c.env)));
  return c.body(null, 204);
});
