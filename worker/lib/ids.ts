const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Path ids that are not even UUIDs are answered like unknown ones (404), without a query. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
