import type { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import { routeTableOf } from "../lib/route-table";

/**
 * Answers a path no route serves with a JSON 404 (and the closest known routes), and a known
 * path asked with the wrong method with a JSON 405 and `Allow`, before authentication or any
 * body handling: whether a path exists must not depend on who asks. The table is built from
 * the app's own routes on the first request, once every route is mounted.
 */
export const knownRoutes = (app: Hono<AppEnv>) => {
  let table: ReturnType<typeof routeTableOf> | undefined;
  return createMiddleware<AppEnv>(async (c, next) => {
    table ??= routeTableOf(app.routes);
    const found = table.lookup(c.req.method, c.req.path);
    if (found.kind === "not-found") {
      const [best] = found.suggestions;
      // Without a suggestion, the same answer as the app's notFound (and the bench routes when off).
      if (!best) throw new ApiError("NOT_FOUND", "No such route.");
      throw new ApiError("NOT_FOUND", `No such route. Did you mean ${best}?`, {
        details: { suggestions: found.suggestions },
      });
    }
    if (found.kind === "wrong-method") {
      const allow = found.allow.includes("GET") ? [...found.allow, "HEAD"] : found.allow;
      const [best] = found.suggestions;
      throw new ApiError(
        "METHOD_NOT_ALLOWED",
        `${c.req.method} is not allowed on this path; use ${found.allow.join(" or ")}.${best ? ` Did you mean ${best}?` : ""}`,
        { headers: { Allow: allow.join(", ") }, details: { allow, suggestions: found.suggestions } },
      );
    }
    await next();
  });
};
