import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../env";
import { incrementCounter, observeHistogram, withMetrics } from "../lib/metrics";

/** Methods counted by name; anything else is `OTHER`, so a client cannot invent label values. */
const COUNTED_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** The label of a path no route serves: raw paths (ids, probes, garbage) never become labels. */
export const UNMATCHED_PATH = "__unmatched__";

/**
 * Counts every answer (`seqpulse_http_requests_total`, `..._duration_seconds`) by route
 * template, and gives the request a metrics batch that goes to the store after the answer
 * (lib/metrics.ts). `/metrics` itself is not counted: a scrape must not change what it reads.
 */
export const httpMetrics = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.path === "/metrics") return next();
    const started = Date.now();
    await withMetrics(
      c.env,
      (work) => c.executionCtx.waitUntil(work),
      async () => {
        await next();
        const method = COUNTED_METHODS.has(c.req.method) ? c.req.method : "OTHER";
        const path = routeTemplateOf(c);
        incrementCounter("seqpulse_http_requests_total", {
          method,
          path,
          status_code: String(c.res.status),
        });
        observeHistogram(
          "seqpulse_http_request_duration_seconds",
          { method, path },
          (Date.now() - started) / 1000,
        );
      },
    );
  });

/**
 * The template of the route that serves the request (`/api/projects/:id`), from the router's
 * match, whichever middleware answered: an answer from authentication (401) is still counted
 * under the route asked for. Middleware (`use`, method ALL) is not a route.
 */
function routeTemplateOf(c: Parameters<Parameters<typeof createMiddleware<AppEnv>>[0]>[0]): string {
  const routes = matchedRoutes(c).filter((route) => route.method !== "ALL");
  return routes.at(-1)?.path ?? UNMATCHED_PATH;
}
