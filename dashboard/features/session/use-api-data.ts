import { useCallback, useEffect, useRef, useState } from "react";
import type { Locale } from "../../i18n/locales";
import { type ApiFailure, apiRequest } from "../../lib/api-client";
import { isSignedOut, redirectToSignIn, rememberSession } from "./session";

export type ApiData<T> =
  | { kind: "loading" }
  | { kind: "ready"; data: T }
  | { kind: "error"; failure: ApiFailure };

/**
 * GETs `path` (null: not yet) and keeps the answer. A 401 sends the visitor to sign in (the state
 * stays "loading" meanwhile); other failures are an error state the page explains, with `reload`.
 * `reload({ quiet: true })` refreshes in the background: what is shown stays until the new
 * answer replaces it, and a failure keeps it. `reload` resolves to the new data, or null.
 */
export function useApiData<T>(locale: Locale, path: string | null) {
  const [state, setState] = useState<ApiData<T>>({ kind: "loading" });
  const controller = useRef<AbortController | null>(null);

  const load = useCallback(
    async (options: { quiet?: boolean } = {}): Promise<T | null> => {
      if (path === null) return null;
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      if (!options.quiet) {
        setState((previous) => (previous.kind === "loading" ? previous : { kind: "loading" }));
      }
      const result = await apiRequest<T>("GET", path, { signal: current.signal });
      if (current.signal.aborted) return null;
      if (result.ok) {
        rememberSession(true);
        // An unchanged answer keeps the same object: nothing below re-renders (or redraws).
        setState((previous) =>
          options.quiet && previous.kind === "ready" && sameJson(previous.data, result.data)
            ? previous
            : { kind: "ready", data: result.data },
        );
        return result.data;
      }
      if (isSignedOut(result.error)) redirectToSignIn(locale);
      else if (!options.quiet) setState({ kind: "error", failure: result.error });
      return null;
    },
    [locale, path],
  );

  useEffect(() => {
    void load();
    return () => controller.current?.abort();
  }, [load]);

  return { state, reload: load, setState };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
