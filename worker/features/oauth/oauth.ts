// Sign in with GitHub or Google: the authorization-code flow with state and PKCE, the profile
// fetch, and the rules that map an identity at a provider to a SeqPulse account.
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { CodeChallengeMethod, generateCodeVerifier, generateState, OAuth2Client } from "arctic";
import type { Database } from "../../../db/client";
import {
  deleteOAuthAccountIfNotLast,
  findOAuthAccountOwner,
  insertOAuthAccount,
  insertUserWithOAuthAccount,
} from "../../../db/queries/oauth-accounts";
import { findUserCredentialsByEmail } from "../../../db/queries/users";
import { ApiError } from "../../lib/errors";
import { queueAccountCreatedEmails } from "../email/account-emails";
import {
  GITHUB_EMAILS_URL,
  GITHUB_USER_URL,
  GOOGLE_USERINFO_URL,
  type OAuthSettings,
  type ProviderCredentials,
  providerEndpoints,
} from "./providers";
import type { OAuthProvider } from "./schemas";
import {
  type FlowCookie,
  flowCookie,
  githubEmails,
  githubUser,
  googleUserinfo,
  providerEmail,
} from "./schemas";

/**
 * The codes a failed callback redirects to (`/signin/?error=<code>`). Stable: the dashboard
 * shows a message per code. One generic message per code, never the provider's own words.
 */
export type OAuthErrorCode =
  | "OAUTH_STATE_MISMATCH"
  | "OAUTH_CANCELLED"
  | "OAUTH_EMAIL_UNVERIFIED"
  | "OAUTH_ACCOUNT_IN_USE"
  | "OAUTH_PROVIDER_ALREADY_LINKED"
  | "OAUTH_LINK_REQUIRES_SIGNIN"
  | "OAUTH_ACCOUNT_EXISTS"
  | "OAUTH_FAILED"
  | "RATE_LIMITED";

export class OAuthFlowError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    /** For the log line only; never shown to the user. */
    reason: string,
  ) {
    super(reason);
    this.name = "OAuthFlowError";
  }
}

/** The authorization in progress lives this long (the cookie's Max-Age). */
export const FLOW_TTL_SECONDS = 10 * 60;
/** Token exchange and profile requests give up after this long. */
const PROVIDER_TIMEOUT_MS = 10_000;
/** Account names are at most this long (worker/features/auth/schemas.ts). */
const NAME_MAX = 100;

function clientFor(credentials: ProviderCredentials, redirectUri: string) {
  return new OAuth2Client(credentials.clientId, credentials.clientSecret, redirectUri);
}

/** The provider URL to send the browser to, and what the callback must find in the cookie. */
export function beginAuthorization(
  settings: OAuthSettings,
  provider: OAuthProvider,
  credentials: ProviderCredentials,
  redirectUri: string,
): { url: string; state: string; codeVerifier: string } {
  const state = generateState();
  // PKCE S256 for both: Google supports it, and GitHub has since July 2025.
  const codeVerifier = generateCodeVerifier();
  const endpoints = providerEndpoints[provider];
  const url = clientFor(credentials, redirectUri).createAuthorizationURLWithPKCE(
    settings.resolveUrl(endpoints.authorization),
    state,
    CodeChallengeMethod.S256,
    codeVerifier,
    [...endpoints.scopes],
  );
  if (provider === "google") url.searchParams.set("prompt", "select_account");
  return { url: url.toString(), state, codeVerifier };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeFlowCookie(flow: FlowCookie): string {
  return encodeBase64urlNoPadding(encoder.encode(JSON.stringify(flow)));
}

/** The flow the cookie describes, or null when it is missing or not one of ours. */
export function decodeFlowCookie(value: string | undefined): FlowCookie | null {
  if (!value || value.length > 4096) return null;
  try {
    const parsed = flowCookie.safeParse(JSON.parse(decoder.decode(decodeBase64urlIgnorePadding(value))));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** What a provider vouches for: a stable id and an email it has verified. */
export interface VerifiedProfile {
  providerUserId: string;
  email: string;
  name: string;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new OAuthFlowError("OAUTH_FAILED", `${what} timed out`)),
      PROVIDER_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function fetchProviderJson(
  settings: OAuthSettings,
  url: string,
  accessToken: string,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const response = await fetch(settings.resolveUrl(url), {
    headers: { ...headers, Authorization: `Bearer ${accessToken}`, "User-Agent": "SeqPulse" },
    redirect: "manual",
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new OAuthFlowError("OAUTH_FAILED", `${new URL(url).pathname} answered ${response.status}`);
  }
  return response.json();
}

const githubHeaders = { Accept: "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28" };

async function githubProfile(settings: OAuthSettings, accessToken: string): Promise<VerifiedProfile> {
  const [user, emails] = await Promise.all([
    fetchProviderJson(settings, GITHUB_USER_URL, accessToken, githubHeaders).then((body) =>
      githubUser.parse(body),
    ),
    fetchProviderJson(settings, GITHUB_EMAILS_URL, accessToken, githubHeaders).then((body) =>
      githubEmails.parse(body),
    ),
  ]);
  // Only the primary address, and only once GitHub has verified it: a secondary or unverified
  // address could be anyone's, and it is what links to an existing account.
  const primary = emails.find((entry) => entry.primary && entry.verified);
  const email = providerEmail.safeParse(primary?.email);
  if (!email.success) throw new OAuthFlowError("OAUTH_EMAIL_UNVERIFIED", "no verified primary email");
  return {
    providerUserId: String(user.id),
    email: email.data,
    name: (user.name?.trim() || user.login).slice(0, NAME_MAX),
  };
}

async function googleProfile(settings: OAuthSettings, accessToken: string): Promise<VerifiedProfile> {
  const info = googleUserinfo.parse(
    await fetchProviderJson(settings, GOOGLE_USERINFO_URL, accessToken, { Accept: "application/json" }),
  );
  const email = providerEmail.safeParse(info.email);
  if (info.email_verified !== true || !email.success) {
    throw new OAuthFlowError("OAUTH_EMAIL_UNVERIFIED", "email missing or not verified");
  }
  const fullName = [info.given_name, info.family_name].filter(Boolean).join(" ");
  return {
    providerUserId: info.sub,
    email: email.data,
    name: (info.name?.trim() || fullName.trim()).slice(0, NAME_MAX),
  };
}

/** Trades the code for an access token (with the PKCE verifier) and reads the profile. */
export async function fetchVerifiedProfile(
  settings: OAuthSettings,
  provider: OAuthProvider,
  credentials: ProviderCredentials,
  params: { code: string; codeVerifier: string; redirectUri: string },
): Promise<VerifiedProfile> {
  const tokens = await withTimeout(
    clientFor(credentials, params.redirectUri).validateAuthorizationCode(
      settings.resolveUrl(providerEndpoints[provider].token),
      params.code,
      params.codeVerifier,
    ),
    "token exchange",
  );
  // The access token is used for the profile and then dropped: we never store provider tokens.
  const accessToken = tokens.accessToken();
  return provider === "github" ? githubProfile(settings, accessToken) : googleProfile(settings, accessToken);
}

/**
 * Which account an identity signs into, linking or creating as needed:
 * - `link` (from a signed-in browser, the same account that started it): the identity is added
 *   to that account, unless it already belongs to another one.
 * - `signin`: a known identity signs into its account; an unknown one joins the account with the
 *   same verified email (never a password sign-up's unverified address), or gets a new account.
 */
export async function resolveAccount(
  db: Database,
  params: {
    provider: OAuthProvider;
    profile: VerifiedProfile;
    mode: "signin" | "link";
    currentUserId: string | null;
    flowUserId: string | undefined;
  },
): Promise<string> {
  const identity = { provider: params.provider, providerUserId: params.profile.providerUserId };
  const email = params.profile.email;

  if (params.mode === "link") {
    const userId = params.currentUserId;
    if (!userId || userId !== params.flowUserId) {
      throw new OAuthFlowError("OAUTH_LINK_REQUIRES_SIGNIN", "link callback without the starting session");
    }
    if (!(await insertOAuthAccount(db, { ...identity, userId, email }))) {
      const owner = await findOAuthAccountOwner(db, identity);
      if (owner === userId) return userId;
      if (owner) throw new OAuthFlowError("OAUTH_ACCOUNT_IN_USE", "identity belongs to another account");
      throw new OAuthFlowError("OAUTH_PROVIDER_ALREADY_LINKED", "account has another identity there");
    }
    return userId;
  }

  // Twice at most: a concurrent callback for the same identity or email can win the insert.
  for (let attempt = 0; attempt < 2; attempt++) {
    const owner = await findOAuthAccountOwner(db, identity);
    if (owner) return owner;
    const existing = await findUserCredentialsByEmail(db, email);
    if (existing) {
      // Only an address someone proved they own links accounts. A password sign-up's address is
      // unverified: linking to it would hand the account to whoever typed the victim's email
      // first (pre-hijacking). That user signs in with the password and connects from settings.
      if (!existing.emailVerifiedAt) {
        throw new OAuthFlowError("OAUTH_ACCOUNT_EXISTS", "an account with this unverified email exists");
      }
      if (await insertOAuthAccount(db, { ...identity, userId: existing.id, email })) return existing.id;
      const ownerNow = await findOAuthAccountOwner(db, identity);
      if (ownerNow) return ownerNow;
      throw new OAuthFlowError("OAUTH_PROVIDER_ALREADY_LINKED", "email's account has another identity there");
    }
    const created = await insertUserWithOAuthAccount(db, { ...identity, email, name: params.profile.name });
    if (created) {
      await queueAccountCreatedEmails(db, created, new Date());
      return created;
    }
  }
  throw new OAuthFlowError("OAUTH_FAILED", "account creation kept conflicting");
}

/**
 * Unlinks a provider from the user's account, unless it is the account's last way in (no
 * password and no other linked provider among `usableProviders`, those currently offered).
 */
export async function unlinkProvider(
  db: Database,
  userId: string,
  provider: OAuthProvider,
  usableProviders: readonly OAuthProvider[],
): Promise<void> {
  const result = await deleteOAuthAccountIfNotLast(db, userId, provider, usableProviders);
  if (result === "not-linked")
    throw new ApiError("NOT_FOUND", "This provider is not linked to your account.");
  if (result === "last-method") {
    throw new ApiError(
      "LAST_SIGN_IN_METHOD",
      "This is your only way to sign in: set a password or link another provider first.",
    );
  }
}
