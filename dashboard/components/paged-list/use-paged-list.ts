// The state of a list the API serves in pages (`{ items, nextCursor }`): the first page, loaded
// again whenever its address changes, and "load more" appending the next. 401 sends the visitor
// to sign in; any other failure is kept for the list to show.
import { useCallback, useEffect, useRef, useState } from "react";
import { isSignedOut, redirectToSignIn, rememberSession } from "../../features/session/session";
import type { Locale } from "../../i18n/locales";
import { type ApiFailure, apiRequest } from "../../lib/api-client";

export interface ApiPage<T> {
  items: T[];
  nextCursor: string | null;
}

export type ListState<T> =
  | { kind: "loading" }
  | { kind: "ready"; items: T[]; nextCursor: string | null }
  | { kind: "error"; failure: ApiFailure };

export interface MoreState {
  loading: boolean;
  failure: ApiFailure | null;
}

interface PagedListOptions<T> {
  locale: Locale;
  /** The API path of the page after `cursor` (null: the first page); null while unknown. */
  pagePath: ((cursor: string | null) => string) | null;
  /** Called with each first page that arrives. */
  onFirstPage?: (items: T[]) => void;
}

export function usePagedList<T>({ locale, pagePath, onFirstPage }: PagedListOptions<T>) {
  const [list, setList] = useState<ListState<T>>({ kind: "loading" });
  const [more, setMore] = useState<MoreState>({ loading: false, failure: null });
  // Read by callbacks that outlive a render (polling, a page arriving late).
  const latest = useRef({ list, pagePath, onFirstPage });
  latest.current = { list, pagePath, onFirstPage };
  const firstPage = pagePath?.(null) ?? null;

  const load = useCallback(
    async (path: string, signal?: AbortSignal) => {
      setList({ kind: "loading" });
      const result = await apiRequest<ApiPage<T>>("GET", path, { signal });
      if (signal?.aborted) return;
      if (result.ok) {
        rememberSession(true);
        setList({ kind: "ready", items: result.data.items, nextCursor: result.data.nextCursor });
        latest.current.onFirstPage?.(result.data.items);
      } else if (isSignedOut(result.error)) redirectToSignIn(locale);
      else setList({ kind: "error", failure: result.error });
    },
    [locale],
  );

  useEffect(() => {
    if (firstPage === null) return;
    const controller = new AbortController();
    void load(firstPage, controller.signal);
    return () => controller.abort();
  }, [firstPage, load]);

  const reload = () => {
    if (firstPage !== null) void load(firstPage);
  };

  const loadMore = async () => {
    const { list: shown, pagePath: pathOf } = latest.current;
    if (shown.kind !== "ready" || !shown.nextCursor || !pathOf) return;
    setMore({ loading: true, failure: null });
    const result = await apiRequest<ApiPage<T>>("GET", pathOf(shown.nextCursor));
    if (result.ok) {
      setList({
        kind: "ready",
        items: [...shown.items, ...result.data.items],
        nextCursor: result.data.nextCursor,
      });
      setMore({ loading: false, failure: null });
    } else if (isSignedOut(result.error)) redirectToSignIn(locale);
    else setMore({ loading: false, failure: result.error });
  };

  /** The rows shown now, or null before the first page: for callbacks that outlive a render. */
  const shownItems = useCallback((): T[] | null => {
    const shown = latest.current.list;
    return shown.kind === "ready" ? shown.items : null;
  }, []);

  /** Replaces the rows shown (a new row, a refreshed one), keeping the cursor. */
  const replaceItems = useCallback((items: T[]) => {
    setList((shown) => (shown.kind === "ready" ? { ...shown, items } : shown));
  }, []);

  return { list, more, reload, loadMore, shownItems, replaceItems };
}

export type PagedList<T> = ReturnType<typeof usePagedList<T>>;
