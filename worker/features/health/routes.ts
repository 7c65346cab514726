import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { rateLimit } from "../../middleware/rate-limit";
import { checkDatabase, isOperator, readSchedulerHealth, reasonsOf } from "./health";

/**
 * Public and unauthenticated: uptime monitors and load balancers call these. The ones that
 * reach the database are rate limited per client so they cannot be used to load it.
 */
export const healthRoutes = new Hono<AppEnv>();

const limitPerClient = rateLimit(RATE_LIMITS.healthPerIp);

healthRoutes.get("/live", (c) => c.json({ status: "ok" }));

healthRoutes.get("/", limitPerClient, async (c) => {
  const now = new Date();
  const [db, scheduler] = await Promise.all([checkDatabase(c.var.db), readSchedulerHealth(c.var.db, now)]);
  // Only the database makes it a 503 (a load balancer takes the Worker out): the scheduler's
  // state is reported, by name, without failing the Worker's own answers.
  const checks = { db, ...(scheduler?.checks ?? { scheduler_db_query: false }) };
  const reasons = reasonsOf(checks);
  return c.json({ status: reasons.length === 0 ? "ok" : "degraded", checks, reasons }, db ? 200 : 503);
});

/**
 * Anyone sees whether the scheduler runs (status, staleness, last sweep time, the checks that
 * failed); the job counts are platform-wide, so only an operator (the OPERATOR_TOKEN secret as
 * Bearer) sees them.
 */
healthRoutes.get("/scheduler", limitPerClient, async (c) => {
  const operator = isOperator(c.req.header("Authorization"), c.env.OPERATOR_TOKEN);
  const health = await readSchedulerHealth(c.var.db, new Date());
  if (!health) {
    const checks = { db: false, scheduler_db_query: false };
    return c.json({ status: "degraded" as const, checks, reasons: reasonsOf(checks) }, 503);
  }
  const { checks, reasons, ...rest } = health;
  const view = operator
    ? rest
    : { status: health.status, stale: health.stale, lastSweepAt: health.lastSweepAt };
  return c.json({ ...view, checks: { db: true, ...checks }, reasons }, health.stale ? 503 : 200);
});
