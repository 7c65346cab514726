// A paged list's filters live in the address bar (`/deployments/?verdict=warning&q=main`), so a
// filtered list can be shared or reloaded. Each list says how each filter's value is checked;
// whatever the address says goes through that check, and an unknown value is dropped, never sent
// to the API (which would answer 400).

/** A list's filters: one optional string value per key. */
export type FilterValues<Key extends string> = { [K in Key]?: string };

/** Checks one filter's value from the address: the value to keep, or undefined to drop it. */
export type FilterCheck<T extends string = string> = (value: string) => T | undefined;

/** Keeps a value that is one of `values`. */
export function oneOf<T extends string>(values: readonly T[]): FilterCheck<T> {
  return (value) => ((values as readonly string[]).includes(value) ? (value as T) : undefined);
}

/** Query parameters in the order of `keys`, empty ones left out. */
export function filterParams<Key extends string>(
  keys: readonly Key[],
  filters: FilterValues<Key>,
): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of keys) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params;
}

/** `?verdict=ok&q=main`, or "" when nothing is filtered: for the page's address. */
export function filterSearch<Key extends string>(keys: readonly Key[], filters: FilterValues<Key>): string {
  const query = filterParams(keys, filters).toString();
  return query ? `?${query}` : "";
}

/** The API path of one page: the filters, the page size and, after the first page, the cursor. */
export function pagedApiPath<Key extends string>(
  path: string,
  keys: readonly Key[],
  filters: FilterValues<Key>,
  cursor: string | null | undefined,
  limit: number,
): string {
  const params = filterParams(keys, filters);
  params.set("limit", String(limit));
  if (cursor) params.set("cursor", cursor);
  return `${path}?${params.toString()}`;
}

export function hasFilterValues<Key extends string>(
  keys: readonly Key[],
  filters: FilterValues<Key>,
): boolean {
  return keys.some((key) => filters[key]);
}

type FiltersOf<Checks extends Record<string, FilterCheck>> = {
  [K in keyof Checks]?: Exclude<ReturnType<Checks[K]>, undefined>;
};

/**
 * A list's filters: `checks` names them, in the order they are written to addresses, and checks
 * each value read from an address. `apiPath` is the list's API route.
 */
export function defineUrlFilters<Checks extends Record<string, FilterCheck>>(
  apiPath: string,
  checks: Checks,
) {
  type Filters = FiltersOf<Checks>;
  const keys = Object.keys(checks) as (keyof Checks & string)[];
  return {
    parse(search: string | URLSearchParams): Filters {
      const params = typeof search === "string" ? new URLSearchParams(search) : search;
      const filters: Filters = {};
      for (const key of keys) {
        const value = params.get(key);
        const checked = value === null ? undefined : checks[key]?.(value);
        if (checked) filters[key] = checked as Filters[typeof key];
      }
      return filters;
    },
    toSearch: (filters: Filters): string => filterSearch(keys, filters),
    apiPath: (filters: Filters, cursor?: string | null, limit = 20): string =>
      pagedApiPath(apiPath, keys, filters, cursor, limit),
    has: (filters: Filters): boolean => hasFilterValues(keys, filters),
  };
}
