// The bench's calls to the local stack: JSON in and out, each from an address of its own (the
// API limits sign-ups and failed calls per address), a thrown error on any non-2xx answer.

/**
 * @typedef {{ method?: string, body?: unknown, headers?: Record<string, string> }} CallOptions
 * @typedef {{ connections: number, roundTrips: number }} DbStats
 */

/**
 * A caller whose requests come from `<prefix>.x.y` addresses, one each; also returns its address source.
 * @param {string} prefix
 */
export function benchClient(prefix) {
  let address = 0;
  const clientIp = () => `${prefix}.${Math.floor(address / 250)}.${(address++ % 250) + 1}`;
  /**
   * @param {string} baseUrl
   * @param {string} path
   * @param {CallOptions} [options]
   * @returns {Promise<{ json: any, cookie: string[] }>}
   */
  async function call(baseUrl, path, { method = "GET", body, headers = {} } = {}) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        "CF-Connecting-IP": clientIp(),
        ...(body ? { "Content-Type": "application/json" } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return {
      json: text ? JSON.parse(text) : null,
      cookie: response.headers.getSetCookie().map((c) => c.split(";")[0] ?? ""),
    };
  }
  return { call, clientIp };
}

/**
 * Fires one scheduled event at `at` (ms) on the local stack and measures it: wall time, the
 * application's scrapes, and the database round trips and connections it cost (null when the
 * stack does not report them).
 * @param {{ url: string, dbStats: () => DbStats | null | Promise<DbStats | null> }} stack
 * @param {{ totalRequests: () => number }} app
 * @param {number} at
 */
export async function measureScheduledEvent(stack, app, at) {
  const scrapesBefore = app.totalRequests();
  const db = await stack.dbStats();
  const started = performance.now();
  const response = await fetch(`${stack.url}/cdn-cgi/local/scheduled?cron=*+*+*+*+*&time=${at}`);
  await response.text();
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`scheduled event: ${response.status}`);
  const dbAfter = await stack.dbStats();
  return {
    ms,
    scrapes: app.totalRequests() - scrapesBefore,
    roundTrips: db && dbAfter ? dbAfter.roundTrips - db.roundTrips : null,
    connections: db && dbAfter ? dbAfter.connections - db.connections : null,
  };
}
