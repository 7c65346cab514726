import { useEffect, useState } from "react";

interface UrlFilterOptions<Filters> {
  /** Checks the address's query: unknown values are dropped. */
  parse: (search: string) => Filters;
  toSearch: (filters: Filters) => string;
  /** The page's address with `search` (`?…` or "") appended. */
  href: (search: string) => string;
  /** Called once with the filters the address held when the page opened. */
  onRead?: (filters: Filters) => void;
}

/**
 * A list's filters, kept in the address bar. Null until the island runs: the address is only
 * known in the browser, and the list waits for it before asking for a page.
 */
export function useUrlFilters<Filters extends object>({
  parse,
  toSearch,
  href,
  onRead,
}: UrlFilterOptions<Filters>) {
  const [filters, setFilters] = useState<Filters | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: read once, after hydration
  useEffect(() => {
    const initial = parse(window.location.search);
    setFilters(initial);
    onRead?.(initial);
  }, []);

  const apply = (next: Filters) => {
    window.history.replaceState(null, "", href(toSearch(next)));
    setFilters(next);
  };

  /** Sets one filter ("" clears it); the result is checked like the address is. */
  const change = (key: keyof Filters, value: string) =>
    apply(parse(toSearch({ ...filters, [key]: value || undefined } as Filters)));

  return { filters, apply, change };
}

export type UrlFilters<Filters extends object> = ReturnType<typeof useUrlFilters<Filters>>;
