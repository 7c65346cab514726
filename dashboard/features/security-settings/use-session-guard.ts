import { useCallback } from "react";
import type { Locale } from "../../i18n/locales";
import type { ApiFailure } from "../../lib/api-client";
import { signInUrl } from "../auth/next-path";
import { isSessionOver } from "./failures";

/**
 * Every request of the page may find the session gone (ended from another device, expired):
 * then the page sends the user to sign in and back. Answers whether it did.
 */
export function useSessionGuard(locale: Locale) {
  return useCallback(
    (failure: ApiFailure): boolean => {
      if (!isSessionOver(failure)) return false;
      window.location.assign(signInUrl(locale, `${window.location.pathname}${window.location.search}`));
      return true;
    },
    [locale],
  );
}
