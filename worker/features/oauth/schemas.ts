import * as z from "zod";
import { errorResponse, noContent, type RouteContract, rateLimited } from "../../lib/contract";

/** The sign-in providers (features/oauth/providers.ts holds their endpoints). */
export const oauthProviders = ["github", "google"] as const;
export type OAuthProvider = (typeof oauthProviders)[number];

export function isOAuthProvider(value: string): value is OAuthProvider {
  return (oauthProviders as readonly string[]).includes(value);
}

/** Stands in for our origin when resolving `next`: only paths on it are kept. */
const NEXT_BASE = "https://seqpulse.invalid";

/**
 * A same-origin path to land on after signing in: `/projects/?tab=1`, never `//host` or
 * `/\host` (browsers read both as another origin), no whitespace or control characters (browsers
 * drop some of them, which can turn a path into `//host`). The value is resolved as a browser
 * would and kept only if it stays on our origin; what comes out is the normalised path, query
 * and fragment, so `/.//host`, `/x/..//host` and `/%2e//host` (whose normalised path is `//host`,
 * another origin once used as an address) are refused rather than passed on.
 */
export const nextPath = z
  .string()
  .max(2000)
  .transform((value, ctx) => {
    const refuse = () => {
      ctx.addIssue({ code: "custom", message: "Use a path on this site, starting with a single /." });
      return z.NEVER;
    };
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
    if (!value.startsWith("/") || value.startsWith("//") || /[\u0000-\u001f\u007f\\\s]/.test(value)) {
      return refuse();
    }
    let url: URL;
    try {
      url = new URL(value, NEXT_BASE);
    } catch {
      return refuse();
    }
    if (url.origin !== NEXT_BASE || url.pathname.startsWith("//")) return refuse();
    return `${url.pathname}${url.search}${url.hash}`;
  });

export const startQuery = z.object({
  mode: z.enum(["signin", "link"]).default("signin"),
  next: nextPath.default("/"),
});

/** What the provider appends to our callback URL. */
export const callbackQuery = z.object({
  code: z.string().min(1).max(2048).optional(),
  state: z.string().min(1).max(512).optional(),
  error: z.string().max(256).optional(),
});

/** The short-lived cookie that binds an authorization in progress to this browser. */
export const flowCookie = z.object({
  state: z.string().min(1).max(512),
  /** PKCE (S256): both providers get one; a cookie without it is refused. */
  codeVerifier: z.string().min(43).max(128).optional(),
  mode: z.enum(["signin", "link"]),
  next: nextPath,
  /** For `link`: who started it; the callback must come back to the same account. */
  userId: z.string().max(64).optional(),
});
export type FlowCookie = z.infer<typeof flowCookie>;

// ---- Provider responses (only the fields we use) ----

/** `GET https://api.github.com/user` */
export const githubUser = z.object({
  id: z.number().int().positive(),
  login: z.string().min(1).max(100),
  name: z.string().max(1000).nullish(),
});

/** `GET https://api.github.com/user/emails` (needs the `user:email` scope) */
export const githubEmails = z
  .array(
    z.object({
      email: z.string().max(320),
      primary: z.boolean(),
      verified: z.boolean(),
    }),
  )
  .max(1000);

/** `GET https://openidconnect.googleapis.com/v1/userinfo` (scopes `openid email profile`) */
export const googleUserinfo = z.object({
  sub: z.string().min(1).max(255),
  email: z.string().max(320).optional(),
  email_verified: z.boolean().optional(),
  name: z.string().max(1000).optional(),
  given_name: z.string().max(1000).optional(),
  family_name: z.string().max(1000).optional(),
});

/** An email we are willing to key an account on. */
export const providerEmail = z.string().trim().max(254).pipe(z.email());

// ---- The API's routes ----

export const providerParam = z.object({ provider: z.enum(oauthProviders) });

export const providersResponse = z.strictObject({ providers: z.array(z.enum(oauthProviders)) });

const tag = "Auth";
const redirect = (description: string) => ({
  description,
  headers: { Location: "Where the browser goes next." },
});
const unknownProvider = errorResponse("No such provider.");

export const oauthContract: RouteContract[] = [
  {
    method: "GET",
    path: "/api/auth/oauth/providers",
    tag,
    summary: "The sign-in providers offered",
    security: "public",
    responses: { 200: { description: "Enabled providers.", body: providersResponse } },
  },
  {
    method: "GET",
    path: "/api/auth/oauth/:provider/start",
    tag,
    summary: "Start signing in (or linking) with a provider",
    description: "A browser navigation: redirects to the provider, with a flow cookie bound to this browser.",
    security: "public",
    request: { params: providerParam, query: startQuery },
    responses: {
      302: redirect("To the provider, or to the sign-in page when linking needs a session."),
      403: errorResponse("Linking needs a session: API tokens cannot."),
      404: unknownProvider,
      429: rateLimited("Too many sign-in attempts from this address."),
    },
  },
  {
    method: "GET",
    path: "/api/auth/oauth/:provider/callback",
    tag,
    summary: "The provider's redirect back",
    description:
      "Signs in (or links) and redirects to `next`, to the 2FA step, or to the sign-in page with `?error=<code>`.",
    security: "public",
    request: { params: providerParam, query: callbackQuery },
    responses: {
      302: redirect("To the page the flow asked for, the 2FA step, or the sign-in page with an error code."),
      404: unknownProvider,
    },
  },
  {
    method: "DELETE",
    path: "/api/auth/oauth/:provider",
    tag,
    summary: "Unlink a provider",
    security: "session",
    request: { params: providerParam },
    responses: {
      204: noContent,
      404: errorResponse("No such provider, or it is not linked."),
      409: errorResponse("This is the account's last way to sign in."),
    },
  },
];
