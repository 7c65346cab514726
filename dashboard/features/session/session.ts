// The signed-in pages' side of the session: the API answers 401 when there is none, and the
// page then sends the visitor to sign in and back. A hint in localStorage ("was signed in on
// this browser") lets the layout's head script pick the right first paint of `/` (overview or
// public intro) before the API has answered; the API's answer always decides.
import type { Locale } from "../../i18n/locales";
import type { ApiFailure } from "../../lib/api-client";
import { signInUrl } from "../auth/next-path";

/** Read by the inline script in layouts/base-layout.astro: keep the two in step. */
export const SESSION_HINT_KEY = "seqpulse.signedIn";
export const SESSION_ATTRIBUTE = "data-session";

export function isSignedOut(failure: ApiFailure): boolean {
  return failure.status === 401;
}

export function rememberSession(signedIn: boolean): void {
  try {
    if (signedIn) window.localStorage.setItem(SESSION_HINT_KEY, "1");
    else window.localStorage.removeItem(SESSION_HINT_KEY);
  } catch {
    // Storage disabled: the first paint of `/` is the public intro, then the overview.
  }
  document.documentElement.toggleAttribute(SESSION_ATTRIBUTE, signedIn);
}

/** Opens the sign-in page of `locale`, which comes back to this very page afterwards. */
export function redirectToSignIn(locale: Locale): void {
  rememberSession(false);
  window.location.replace(signInUrl(locale, `${window.location.pathname}${window.location.search}`));
}
