import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { rateLimit } from "../../middleware/rate-limit";
import { checkDatabase, isOperator, readSchedulerHealth } from "./health";

/**
 * Public and unauthenticated: uptime monitors and load balancers call these. The ones that
 * reach the database are rate limited per client so they cannot be used to load it.
 */
export const healthRoutes = new Hono<AppEnv>();

const limitPerClient = rateLimit(RATE_LIMITS.healthPerIp);

healthRoutes.get("/live", (c) => c.json({ status: "ok" }));

healthRoutes.get("/", limitPerClient, async (c) => {
  const db = await checkDatabase(c.var.db);
  return c.json({ status: db ? "ok" : "degraded", checks: { db } }, db ? 200 : 503);
});

/**
 * Anyone sees whether the scheduler runs (status, staleness, last sweep time); the job counts
 * are platform-wide, so only an operator (the OPERATOR_TOKEN secret as Bearer) sees them.
 */
healthRoutes.get("/scheduler", limitPerClient, async (c) => {
  const operator = isOperator(c.req.header("Authorization"), c.env.OPERATOR_TOKEN);
  const health = await readSchedulerHealth(c.var.db, new Date());
  if (!health) return c.json({ status: "degraded", checks: { db: false } }, 503);
  const view = operator
    ? health
    : { status: health.status, stale: health.stale, lastSweepAt: health.lastSweepAt };
  return c.json({ ...view, checks: { db: true } }, health.stale ? 503 : 200);
});
