// A stand-in for a customer's application: serves the SeqPulse metrics contract and verifies
// HMAC v2 signatures the way the SDKs do (version, clock skew, nonce reuse, constant-time
// signature check). Tests, the browser journey and local demos program it over HTTP:
//
//   PUT /__control/apps/<name>   {"secret": "spm_..." | null, "responses": [<response>, ...]}
//       <response> = {"metrics": {...}} | {"status": 500} | {"body": <any JSON>} | {"delayMs": 6000, ...}
//                  | {"trickleMs": 3000, ...}: headers and half the body at once, the rest later
//                  | {"reset": true}: the connection is destroyed without an answer (after the
//                    signature check, which spends the nonce)
//       The n-th scrape gets responses[n]; past the end, the last one repeats.
//   GET /__control/apps/<name>   {"requests": n, "accepted": n, "rejected": [{reason}], "lastHeaders": {...},
//                                 "nonces": [every X-SeqPulse-Nonce received, in order]}
//   GET /apps/<name>/seqpulse-metrics   the metrics endpoint itself
//
// It also stands in for a webhook receiver:
//
//   PUT /__control/hooks/<name>  {"statuses": [500, 200, ...]}: the n-th delivery gets statuses[n]
//                                (past the end, the last one repeats; default 200); clears the log
//   GET /__control/hooks/<name>  {"received": [{"headers": {...}, "body": "<raw body>", "status": n}]}
//   POST /hooks/<name>           the receiver itself
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import { healthyMetrics } from "./metrics-payloads.mjs";

const MAX_PAST_SKEW_S = 300;
const MAX_FUTURE_SKEW_S = 30;
const NONCE_TTL_MS = (MAX_PAST_SKEW_S + MAX_FUTURE_SKEW_S) * 1000;

/**
 * One programmed answer (see the header).
 * @typedef {object} AppResponse
 * @property {Record<string, number | string>} [metrics]
 * @property {number} [status]
 * @property {unknown} [body]
 * @property {number} [delayMs]
 * @property {number} [trickleMs]
 * @property {boolean} [reset]
 * @property {string} [redirect]
 */

/**
 * An application served under /apps/<name>/, with what it has seen.
 * @typedef {object} StandInApp
 * @property {string | null} secret
 * @property {AppResponse[]} responses
 * @property {number} requests
 * @property {number} accepted
 * @property {Array<{ reason: string }>} rejected
 * @property {import("node:http").IncomingHttpHeaders | null} lastHeaders
 * @property {Map<string, number>} nonces nonce -> when it may be forgotten (ms)
 * @property {string[]} noncesReceived
 */

/**
 * The receiver side of HMAC v2, as documented for the SDKs. Returns a reason or null.
 * @param {Record<string, string | undefined>} headers lower-cased names
 * @param {string} secret
 * @param {Map<string, number>} seenNonces nonce -> when it may be forgotten (ms)
 * @returns {string | null}
 */
export function verifySignature(headers, secret, seenNonces, now = Date.now()) {
  const timestamp = headers["x-seqpulse-timestamp"];
  const nonce = headers["x-seqpulse-nonce"];
  const given = headers["x-seqpulse-signature"];
  if (!timestamp || !nonce || !given) return "missing headers";
  if (headers["x-seqpulse-signature-version"] !== "v2") return "wrong version";
  const at = Date.parse(timestamp);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(timestamp) || Number.isNaN(at)) return "bad timestamp";
  if (now - at > MAX_PAST_SKEW_S * 1000) return "too old";
  if (at - now > MAX_FUTURE_SKEW_S * 1000) return "too far in the future";
  for (const [seen, expires] of seenNonces) if (expires < now) seenNonces.delete(seen);
  if (seenNonces.has(nonce)) return "nonce reuse";
  const method = headers["x-seqpulse-method"] ?? "GET";
  const path = headers["x-seqpulse-canonical-path"] ?? "/";
  const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}|${method}|${path}|${nonce}`).digest("hex")}`;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return "invalid signature";
  seenNonces.set(nonce, now + NONCE_TTL_MS);
  return null;
}

/** @param {{ host?: string, port?: number }} [options] */
export async function startMetricsApp({ host = "127.0.0.1", port = 0 } = {}) {
  /** @type {Map<string, StandInApp>} */
  const apps = new Map();
  /** @type {Map<string, { statuses: number[], received: Array<{ headers: unknown, body: string, status: number }> }>} */
  const hooks = new Map();
  /** @param {string} name */
  const hookOf = (name) => {
    let hook = hooks.get(name);
    if (!hook) {
      hook = { statuses: [200], received: [] };
      hooks.set(name, hook);
    }
    return hook;
  };
  let totalRequests = 0;
  /** @param {string} name */
  const appOf = (name) => {
    let app = apps.get(name);
    if (!app) {
      app = {
        secret: null,
        responses: [{ metrics: healthyMetrics() }],
        requests: 0,
        accepted: 0,
        rejected: [],
        lastHeaders: null,
        nonces: new Map(),
        noncesReceived: [],
      };
      apps.set(name, app);
    }
    return app;
  };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://app");
    /** @type {(status: number, body?: unknown) => void} */
    const send = (status, body) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    const control = /^\/__control\/apps\/([\w-]+)$/.exec(url.pathname);
    if (control) {
      const app = appOf(/** @type {string} */ (control[1]));
      if (req.method === "PUT") {
        let raw = "";
        for await (const chunk of req) raw += chunk;
        const config = JSON.parse(raw || "{}");
        if ("secret" in config) app.secret = config.secret;
        if (Array.isArray(config.responses) && config.responses.length > 0) app.responses = config.responses;
        app.requests = 0;
        app.accepted = 0;
        app.rejected = [];
        app.noncesReceived = [];
        return send(200, { ok: true });
      }
      return send(200, {
        requests: app.requests,
        accepted: app.accepted,
        rejected: app.rejected,
        lastHeaders: app.lastHeaders,
        nonces: app.noncesReceived,
      });
    }
    const hookControl = /^\/__control\/hooks\/([\w-]+)$/.exec(url.pathname);
    if (hookControl) {
      const hook = hookOf(/** @type {string} */ (hookControl[1]));
      if (req.method === "PUT") {
        let raw = "";
        for await (const chunk of req) raw += chunk;
        const config = JSON.parse(raw || "{}");
        if (Array.isArray(config.statuses) && config.statuses.length > 0) hook.statuses = config.statuses;
        hook.received = [];
        return send(200, { ok: true });
      }
      return send(200, { received: hook.received });
    }
    const receiver = /^\/hooks\/([\w-]+)$/.exec(url.pathname);
    if (receiver && req.method === "POST") {
      const hook = hookOf(/** @type {string} */ (receiver[1]));
      let raw = "";
      for await (const chunk of req) raw += chunk;
      const status = /** @type {number} */ (
        hook.statuses[Math.min(hook.received.length, hook.statuses.length - 1)]
      );
      hook.received.push({ headers: req.headers, body: raw, status });
      return send(status, { received: status < 300 });
    }
    const endpoint = /^\/apps\/([\w-]+)\/[\w-]+$/.exec(url.pathname);
    if (!endpoint || req.method !== "GET") return send(404, { error: "not found" });
    const app = appOf(/** @type {string} */ (endpoint[1]));
    totalRequests += 1;
    const index = Math.min(app.requests, app.responses.length - 1);
    app.requests += 1;
    app.lastHeaders = req.headers;
    const nonce = req.headers["x-seqpulse-nonce"];
    if (typeof nonce === "string" && nonce) app.noncesReceived.push(nonce);
    // `responses` is never empty (a PUT keeps the previous list rather than set an empty one).
    const response = /** @type {AppResponse} */ (app.responses[index]);
    if (app.secret) {
      // Node joins repeated headers into one string (only set-cookie comes as a list).
      const headers = /** @type {Record<string, string | undefined>} */ (req.headers);
      const reason = verifySignature(headers, app.secret, app.nonces);
      if (reason) {
        app.rejected.push({ reason });
        return send(401, { error: "unauthorized" });
      }
    }
    // A crash or a proxy dropping the connection after the request was read (and its nonce
    // verified, so spent): no status line at all.
    if (response.reset) {
      if (response.delayMs) await new Promise((r) => setTimeout(r, response.delayMs));
      return req.socket.resetAndDestroy();
    }
    if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
    if (response.status && response.status !== 200) return send(response.status, { error: "failure" });
    app.accepted += 1;
    if (response.redirect) {
      res.writeHead(302, { Location: response.redirect });
      return res.end();
    }
    const body = JSON.stringify("body" in response ? response.body : { metrics: response.metrics });
    if (response.trickleMs) {
      const half = Math.floor(body.length / 2);
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
      res.write(body.slice(0, half));
      await new Promise((resolve) => setTimeout(resolve, response.trickleMs));
      if (!res.destroyed) res.end(body.slice(half));
      return;
    }
    return send(200, "body" in response ? response.body : { metrics: response.metrics });
  });
  await /** @type {Promise<void>} */ (
    new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, resolve);
    })
  );
  const { port: boundPort } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://${host}:${boundPort}`,
    /** Scrapes of every app's metrics endpoint so far. */
    totalRequests: () => totalRequests,
    /** @returns {Promise<void>} */
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export { healthyMetrics };
