const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * A `*_BASE_URL_OVERRIDE` setting (OAuth providers, Slack, the mail provider): test and local-dev
 * only, so it cannot send anything to a third party. It is honoured only when it names a loopback
 * address over http(s) without credentials (a deployed Worker cannot reach loopback, so a stray
 * production value fails closed); null when unset, "invalid" for anything else, which the caller
 * logs and turns its feature off for.
 */
export function parseLoopbackOverride(value: string): URL | null | "invalid" {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "invalid";
  }
  const httpish = url.protocol === "http:" || url.protocol === "https:";
  if (!httpish || !LOOPBACK_HOSTS.has(url.hostname) || url.username || url.password) return "invalid";
  return url;
}
