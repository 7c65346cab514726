import type { Context } from "hono";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { validate } from "../../lib/validation";
import { enforceRateLimit } from "../../middleware/rate-limit";
import { getDeploymentDetail } from "./deployment-reads";
import { authenticateDeploymentReader, type DeploymentReader } from "./project-key";
import { verdictQuery } from "./schemas";
import { readDeploymentVerdict } from "./verdict-wait";

/**
 * A deployment read by its pipeline (the project's key) or, under `/api`, by its owner: mounted
 * under both `/deployments` and `/api/deployments`, before the dashboard's own routes.
 */
type ReadEnv = { Bindings: Env; Variables: AppEnv["Variables"] & { reader: DeploymentReader } };
export const deploymentReadRoutes = new Hono<ReadEnv>();

// Authentication before validation, as on the other CI routes.
const requireReader = createMiddleware<ReadEnv>(async (c, next) => {
  c.set("reader", await authenticateDeploymentReader(c as unknown as Context<AppEnv>));
  await next();
});

deploymentReadRoutes.get("/:id", requireReader, async (c) => {
  return c.json({ deployment: await getDeploymentDetail(c.var.db, c.var.reader, c.req.param("id")) });
});

deploymentReadRoutes.get("/:id/verdict", requireReader, validate("query", verdictQuery), async (c) => {
  const { reader } = c.var;
  const waitSeconds = c.req.valid("query").wait ?? 0;
  if (waitSeconds > 0) {
    const context = c as unknown as Context<AppEnv>;
    if (reader.kind === "project") {
      await enforceRateLimit(context, RATE_LIMITS.verdictWaitsPerProject, reader.projectId);
    } else {
      await enforceRateLimit(context, RATE_LIMITS.verdictWaitsPerUser, reader.userId);
    }
  }
  return c.json(
    await readDeploymentVerdict(c.var.db, {
      reader,
      id: c.req.param("id"),
      waitSeconds,
      signal: c.req.raw.signal,
      origin: new URL(c.req.url).origin,
    }),
  );
});
