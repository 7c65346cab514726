// The token of a mailed link (verification, reset) arrives in the address bar. It is read once
// and removed from the address at once (history.replaceState), so it is not left in the history,
// in a bookmark or in a screenshot; the pages also send no Referer (Referrer-Policy: no-referrer).
import { useEffect, useState } from "react";
import type { ApiFailure } from "../../lib/api-client";

/** The `token` query parameter, removed from the address bar; undefined until read, null if absent. */
export function useLinkToken(): string | null | undefined {
  const [token, setToken] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    const url = new URL(window.location.href);
    const value = url.searchParams.get("token");
    if (value !== null) {
      url.searchParams.delete("token");
      window.history.replaceState(window.history.state, "", `${url.pathname}${url.search}${url.hash}`);
    }
    setToken(value);
  }, []);
  return token;
}

export type LinkErrorKey = "TOKEN_INVALID" | "TOKEN_EXPIRED" | "TOKEN_USED" | "RATE_LIMITED" | "UNKNOWN";

/** The message key for a refused link (or any other failure of these pages). */
export function linkErrorKey(failure: ApiFailure): `accountEmail.errors.${LinkErrorKey}` {
  const known: LinkErrorKey[] = ["TOKEN_INVALID", "TOKEN_EXPIRED", "TOKEN_USED", "RATE_LIMITED"];
  const key = known.find((code) => code === failure.code) ?? "UNKNOWN";
  return `accountEmail.errors.${key}`;
}
