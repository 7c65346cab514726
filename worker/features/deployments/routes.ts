import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { validate } from "../../lib/validation";
import { authOf, requireAuth } from "../../middleware/authenticate";
import { cancelDeployment } from "./cancel";
import { getDeploymentMetrics, listOwnedDeployments, listOwnedHints } from "./deployment-reads";
import { deploymentListQuery, hintListQuery, statsQuery } from "./schemas";
import { deploymentStats } from "./stats";

/**
 * The dashboard's reads of deployments (signed-in user, own projects only). The deployment itself
 * and its verdict, which its pipeline reads too, are `deploymentReadRoutes`.
 */
export const deploymentRoutes = new Hono<AppEnv>();
deploymentRoutes.use(requireAuth());

deploymentRoutes.get("/", validate("query", deploymentListQuery), async (c) => {
  return c.json(await listOwnedDeployments(c.var.db, authOf(c).userId, c.req.valid("query")));
});

deploymentRoutes.get("/:id/metrics", async (c) => {
  return c.json(await getDeploymentMetrics(c.var.db, authOf(c).userId, c.req.param("id")));
});

/** Ends a deployment stuck in `running` (see `cancelDeployment`). */
deploymentRoutes.post("/:id/cancel", async (c) => {
  return c.json({ deployment: await cancelDeployment(c.var.db, authOf(c).userId, c.req.param("id")) });
});

/** SeqPulse Diagnostic Hints across the user's projects, newest first. */
export const hintRoutes = new Hono<AppEnv>();
hintRoutes.use(requireAuth());

hintRoutes.get("/", validate("query", hintListQuery), async (c) => {
  return c.json(await listOwnedHints(c.var.db, authOf(c).userId, c.req.valid("query")));
});

/** The overview's numbers: deployments per UTC day and verdict over the last `days` days. */
export const statsRoutes = new Hono<AppEnv>();
statsRoutes.use(requireAuth());

statsRoutes.get("/deployments", validate("query", statsQuery), async (c) => {
  const { days, project } = c.req.valid("query");
  return c.json(
    await deploymentStats(c.var.db, authOf(c).userId, { days, projectId: project, now: new Date() }),
  );
});
