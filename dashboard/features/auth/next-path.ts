// Where a visitor goes after signing in. `next` comes from the address bar, so anyone can
// craft it: only a same-origin relative path is followed, never `//host` or `/\host` (both
// leave the origin), and never back to a sign-in step (which would loop). Checks are made on
// the URL as a browser resolves it, not on the raw text: `/.//host`, `/x/..//host` and
// `/%2e//host` all normalise to the path `//host`, which a browser given it as an address
// reads as another origin.
import { defaultLocale, isLocale, type Locale, localizedPath, splitLocalePath } from "../../i18n/locales";

export const DEFAULT_NEXT = "/";

/** Locale-neutral paths of the sign-in steps: `next` never points back at them. */
const signInSteps = ["/signin/", "/signup/", "/2fa/"];

const BASE = "https://seqpulse.invalid";

/** A safe path (with its query and fragment) to go to, or null when `raw` is not one. */
export function sanitizeNextPath(raw: string | null | undefined): string | null {
  if (!raw || raw.length > 2000) return null;
  // `//evil.example` and `/\evil.example` are protocol-relative URLs to browsers; control
  // characters and whitespace can hide either (browsers strip tabs and newlines in URLs).
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (/[\u0000-\u001f\u007f\\\s]/.test(raw)) return null;
  const url = resolveSameOrigin(raw);
  if (!url) return null;
  // The locale-neutral rest is what a locale change keeps: `/fr//host` must not become `//host`.
  const { path } = splitLocalePath(url.pathname);
  if (path.startsWith("//")) return null;
  const normalized = path.endsWith("/") ? path : `${path}/`;
  if (signInSteps.includes(normalized)) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * `value` resolved against our origin, or null when it leaves the origin or its normalised path
 * starts with `//` (which, used again as an address, would leave it).
 */
function resolveSameOrigin(value: string): URL | null {
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE || url.pathname.startsWith("//")) return null;
  return url;
}

/**
 * The address to open after a successful sign-in: `next` if it is safe (else the overview), in
 * the user's saved locale, which wins over the locale of the page they signed in on.
 */
export function destinationAfterSignIn(
  next: string | null | undefined,
  userLocale: string | null | undefined,
  pageLocale: Locale = defaultLocale,
): string {
  const safe = sanitizeNextPath(next) ?? DEFAULT_NEXT;
  const url = new URL(safe, BASE);
  const { locale: nextLocale, path } = splitLocalePath(url.pathname);
  const locale = isLocale(userLocale) ? userLocale : next ? nextLocale : pageLocale;
  const destination = `${localizedPath(locale, path)}${url.search}${url.hash}`;
  // The address handed to the browser is checked once more, as the browser will read it.
  const resolved = resolveSameOrigin(destination);
  return resolved
    ? `${resolved.pathname}${resolved.search}${resolved.hash}`
    : localizedPath(locale, DEFAULT_NEXT);
}

/** The sign-in page of `locale`, asked to come back to `returnTo` afterwards. */
export function signInUrl(locale: Locale, returnTo?: string | null, error?: string): string {
  const params = new URLSearchParams();
  const safe = sanitizeNextPath(returnTo);
  if (safe) params.set("next", safe);
  if (error) params.set("error", error);
  const query = params.toString();
  return `${localizedPath(locale, "/signin/")}${query ? `?${query}` : ""}`;
}

/** A sign-in step's page (`/2fa/`, `/signup/`...) in `locale`, carrying `next` along. */
export function stepUrl(locale: Locale, step: string, next: string | null | undefined): string {
  const safe = sanitizeNextPath(next);
  return `${localizedPath(locale, step)}${safe ? `?next=${encodeURIComponent(safe)}` : ""}`;
}
