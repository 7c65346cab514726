import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { clientIp, rateLimit } from "../../middleware/rate-limit";
import { checkDatabase, readSchedulerHealth } from "./health";

/**
 * Public and unauthenticated: uptime monitors and load balancers call these. The ones that
 * reach the database are rate limited per client so they cannot be used to load it.
 */
export const healthRoutes = new Hono<AppEnv>();

const limitPerClient = rateLimit({
  name: "health",
  limit: 120,
  windowSeconds: 60,
  key: (c) => clientIp(c),
});

healthRoutes.get("/live", (c) => c.json({ status: "ok" }));

healthRoutes.get("/", limitPerClient, async (c) => {
  const db = await checkDatabase(c.var.db);
  return c.json({ status: db ? "ok" : "degraded", checks: { db } }, db ? 200 : 503);
});

healthRoutes.get("/scheduler", limitPerClient, async (c) => {
  const health = await readSchedulerHealth(c.var.db, new Date());
  if (!health) return c.json({ status: "degraded", checks: { db: false } }, 503);
  return c.json({ ...health, checks: { db: true } }, health.stale ? 503 : 200);
});
