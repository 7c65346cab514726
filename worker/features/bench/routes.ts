import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { insertBaselineRow } from "./bench";

/**
 * Benchmark-only routes (`npm run bench`). They exist only when BENCH_ROUTES is "true"; otherwise
 * their paths answer the same JSON 404 as any unknown path, so a deployed Worker has none.
 */
export const benchRoutes = new Hono<AppEnv>();

benchRoutes.use(async (c, next) => {
  if (c.env.BENCH_ROUTES !== "true") return c.notFound();
  await next();
});

/** The baseline the CI endpoints are measured against: one plain INSERT through the request's pool. */
benchRoutes.post("/insert", async (c) => {
  await insertBaselineRow(c.var.db, new Date());
  return c.body(null, 201);
});
