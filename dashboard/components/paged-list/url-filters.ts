// A paged list's filters live in the address bar (`/deployments/?verdict=warning&q=main`), so a
// filtered list can be shared or reloaded. Each list parses the address itself (an unknown value
// is dropped, never sent to the API, which would answer 400); writing filters back, to the
// address and to the API's query, is the same for every list.

/** A list's filters: one optional string value per key. */
export type FilterValues<Key extends string> = { [K in Key]?: string };

/** `value` when it is one of `values`, else undefined. */
export function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : undefined;
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
