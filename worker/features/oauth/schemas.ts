import * as z from "zod";

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
