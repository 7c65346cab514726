import { Hono } from "hono";
import { jobs } from "../../../db/schema";
import type { AppEnv } from "../../env";

/**
 * Benchmark-only routes (`npm run bench`). They exist only when BENCH_ROUTES is "true"; otherwise
 * their paths answer the same JSON 404 as any unknown path, so a deployed Worker has none.
 */
export const benchRoutes = new Hono<AppEnv>();

benchRoutes.use(async (c, next) => {
  if (c.env.BENCH_ROUTES !== "true") return c.notFound();
  await next();
});

/**
 * The baseline the CI endpoints are measured against: one plain INSERT through the request's
 * pool. The row is a finished job: never claimed, and deleted by the hourly cleanup.
 */
benchRoutes.post("/insert", async (c) => {
  await c.var.db.insert(jobs).values({ type: "bench_insert", status: "succeeded", finishedAt: new Date() });
  return c.body(null, 201);
});
