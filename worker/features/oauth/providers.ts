// The two sign-in providers: their real endpoints, their credentials, and the one place where
// a test (or a local dev stack) may point those endpoints at a local OAuth2 server instead.
import * as z from "zod";
import { log } from "../../lib/log";
import { parseLoopbackOverride } from "../../lib/loopback-override";
import { type OAuthProvider, oauthProviders } from "./schemas";

/**
 * The providers' own URLs. arctic's `GitHub`/`Google` classes hard-code the same ones and call
 * the global fetch; we use arctic's generic `OAuth2Client`, which builds identical requests but
 * takes the endpoint per call, so the endpoint can go through `resolveUrl` below.
 */
export const providerEndpoints = {
  github: {
    authorization: "https://github.com/login/oauth/authorize",
    token: "https://github.com/login/oauth/access_token",
    scopes: ["read:user", "user:email"],
  },
  google: {
    authorization: "https://accounts.google.com/o/oauth2/v2/auth",
    token: "https://oauth2.googleapis.com/token",
    scopes: ["openid", "email", "profile"],
  },
} as const satisfies Record<OAuthProvider, { authorization: string; token: string; scopes: string[] }>;

export const GITHUB_USER_URL = "https://api.github.com/user";
export const GITHUB_EMAILS_URL = "https://api.github.com/user/emails";
export const GOOGLE_USERINFO_URL = "https://openidconnect.googleapis.com/v1/userinfo";

/** Every host the OAuth code talks to; nothing else can be mapped. */
const providerHosts = new Set([
  "github.com",
  "api.github.com",
  "accounts.google.com",
  "oauth2.googleapis.com",
  "openidconnect.googleapis.com",
]);

const settingsSchema = z.object({
  GITHUB_CLIENT_ID: z.string().trim().catch(""),
  GITHUB_CLIENT_SECRET: z.string().trim().catch(""),
  GOOGLE_CLIENT_ID: z.string().trim().catch(""),
  GOOGLE_CLIENT_SECRET: z.string().trim().catch(""),
  OAUTH_PROVIDER_BASE_URL_OVERRIDE: z.string().trim().catch(""),
});

export interface ProviderCredentials {
  clientId: string;
  clientSecret: string;
}

export interface OAuthSettings {
  /** Only the providers with both a client id and a client secret. */
  credentials: Partial<Record<OAuthProvider, ProviderCredentials>>;
  /** Where a provider URL is really fetched (or sent to the browser): itself in production. */
  resolveUrl: (url: string) => string;
}

/**
 * `https://api.github.com/user` becomes `<override>/api.github.com/user`: the provider's host is
 * the first path segment on the local server, so one server can stand in for all of them.
 */
export function mapProviderUrl(base: URL, url: string): string {
  const target = new URL(url);
  if (target.protocol !== "https:" || !providerHosts.has(target.host)) {
    throw new Error(`not a provider URL: ${target.origin}`);
  }
  const prefix = base.href.replace(/\/+$/, "");
  return `${prefix}/${target.host}${target.pathname}${target.search}`;
}

export function readOAuthSettings(env: Env): OAuthSettings {
  const values = settingsSchema.parse({
    GITHUB_CLIENT_ID: env.GITHUB_CLIENT_ID,
    GITHUB_CLIENT_SECRET: env.GITHUB_CLIENT_SECRET,
    GOOGLE_CLIENT_ID: env.GOOGLE_CLIENT_ID,
    GOOGLE_CLIENT_SECRET: env.GOOGLE_CLIENT_SECRET,
    OAUTH_PROVIDER_BASE_URL_OVERRIDE: env.OAUTH_PROVIDER_BASE_URL_OVERRIDE,
  });
  const override = parseLoopbackOverride(values.OAUTH_PROVIDER_BASE_URL_OVERRIDE);
  if (override === "invalid") {
    log("error", "OAUTH_PROVIDER_BASE_URL_OVERRIDE is not a loopback URL: every OAuth provider is disabled");
    return { credentials: {}, resolveUrl: (url) => url };
  }
  const credentials: OAuthSettings["credentials"] = {};
  if (values.GITHUB_CLIENT_ID && values.GITHUB_CLIENT_SECRET) {
    credentials.github = { clientId: values.GITHUB_CLIENT_ID, clientSecret: values.GITHUB_CLIENT_SECRET };
  }
  if (values.GOOGLE_CLIENT_ID && values.GOOGLE_CLIENT_SECRET) {
    credentials.google = { clientId: values.GOOGLE_CLIENT_ID, clientSecret: values.GOOGLE_CLIENT_SECRET };
  }
  return { credentials, resolveUrl: override ? (url) => mapProviderUrl(override, url) : (url) => url };
}

export function enabledProviders(settings: OAuthSettings): OAuthProvider[] {
  return oauthProviders.filter((provider) => settings.credentials[provider] !== undefined);
}
