import { useCallback, useEffect, useRef, useState } from "react";
import type { Locale } from "../../i18n/locales";
import { type ApiFailure, apiRequest } from "../auth/api";
import { isSignedOut, redirectToSignIn, rememberSession } from "./session";

export type ApiData<T> =
  | { kind: "loading" }
  | { kind: "ready"; data: T }
  | { kind: "error"; failure: ApiFailure };

/**
 * GETs `path` (null: not yet) and keeps the answer. A 401 sends the visitor to sign in (the state
 * stays "loading" meanwhile); other failures are an error state the page explains, with `reload`.
 */
export function useApiData<T>(locale: Locale, path: string | null) {
  const [state, setState] = useState<ApiData<T>>({ kind: "loading" });
  const controller = useRef<AbortController | null>(null);

  const load = useCallback(async () => {
    if (path === null) return;
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    setState((previous) => (previous.kind === "loading" ? previous : { kind: "loading" }));
    const result = await apiRequest<T>("GET", path, { signal: current.signal });
    if (current.signal.aborted) return;
    if (result.ok) {
      rememberSession(true);
      setState({ kind: "ready", data: result.data });
    } else if (isSignedOut(result.error)) {
      redirectToSignIn(locale);
    } else {
      setState({ kind: "error", failure: result.error });
    }
  }, [locale, path]);

  useEffect(() => {
    void load();
    return () => controller.current?.abort();
  }, [load]);

  return { state, reload: load, setState };
}
