import { useCallback, useEffect, useRef, useState } from "react";
import type { Locale } from "../../i18n/locales";
import { apiRequest } from "../../lib/api-client";
import { type Problem, problemForFailure } from "../auth/problems";
import type { useSessionGuard } from "./use-session-guard";

/** The props of a section that shows such a list. */
export interface ListSectionProps {
  locale: Locale;
  /** Changes when something else on the page ended sessions or revoked tokens (a password change). */
  reloadKey: number;
}

export type SectionList<T> =
  | { kind: "loading" }
  | { kind: "ready"; items: T[] }
  | { kind: "error"; problem: Problem };

/**
 * A section's list (sessions, tokens), loaded from `path` and again whenever `reloadKey`
 * changes (something else on the page ended sessions or revoked tokens).
 */
export function useSectionList<Data, T>(
  path: string,
  itemsOf: (data: Data) => T[],
  guard: ReturnType<typeof useSessionGuard>,
  reloadKey: number,
) {
  const [state, setState] = useState<SectionList<T>>({ kind: "loading" });
  const pick = useRef(itemsOf);
  pick.current = itemsOf;

  const load = useCallback(async () => {
    const result = await apiRequest<Data>("GET", path);
    if (result.ok) setState({ kind: "ready", items: pick.current(result.data) });
    else if (!guard(result.error)) setState({ kind: "error", problem: problemForFailure(result.error) });
  }, [path, guard]);

  useEffect(() => {
    void reloadKey;
    void load();
  }, [load, reloadKey]);

  /** Changes the shown items (one added or removed) without asking the server again. */
  const update = useCallback((change: (items: T[]) => T[]) => {
    setState((previous) =>
      previous.kind === "ready" ? { kind: "ready", items: change(previous.items) } : previous,
    );
  }, []);

  return { state, update };
}
