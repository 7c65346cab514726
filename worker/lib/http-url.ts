/**
 * Whether `value` is an absolute http(s) URL with a host. Pure (no runtime bindings): the
 * dashboard uses it too, before it makes a stored URL a link.
 */
export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
}
