import { Hono } from "hono";
import * as z from "zod";
import type { AppEnv } from "../../env";
import { isUuid } from "../../lib/ids";
import { paginationQuery } from "../../lib/pagination";
import { validate } from "../../lib/validation";
import { authOf, requireAuth } from "../../middleware/authenticate";
import { cancelDeployment } from "./cancel";
import {
  getDeploymentDetail,
  getDeploymentMetrics,
  listOwnedDeployments,
  listOwnedHints,
} from "./deployment-reads";
import { deploymentStats } from "./stats";

const uuidFilter = z.string().refine(isUuid, { message: "Must be a UUID." });

const listQuery = z.object({
  ...paginationQuery,
  project: uuidFilter.optional(),
  env: z.string().max(50).optional(),
  verdict: z.enum(["ok", "warning", "rollback_recommended"]).optional(),
  state: z.enum(["running", "finished", "analyzed", "expired", "cancelled"]).optional(),
  q: z.string().trim().min(1).max(100).optional(),
});

/** The dashboard's reads of deployments (signed-in user, own projects only). */
export const deploymentRoutes = new Hono<AppEnv>();
deploymentRoutes.use(requireAuth());

deploymentRoutes.get("/", validate("query", listQuery), async (c) => {
  return c.json(await listOwnedDeployments(c.var.db, authOf(c).userId, c.req.valid("query")));
});

deploymentRoutes.get("/:id", async (c) => {
  return c.json({ deployment: await getDeploymentDetail(c.var.db, authOf(c).userId, c.req.param("id")) });
});

deploymentRoutes.get("/:id/metrics", async (c) => {
  return c.json(await getDeploymentMetrics(c.var.db, authOf(c).userId, c.req.param("id")));
});

/** Ends a deployment stuck in `running` (see `cancelDeployment`). */
deploymentRoutes.post("/:id/cancel", async (c) => {
  return c.json({ deployment: await cancelDeployment(c.var.db, authOf(c).userId, c.req.param("id")) });
});

const hintQuery = z.object({
  ...paginationQuery,
  project: uuidFilter.optional(),
  deployment: uuidFilter.optional(),
  severity: z.enum(["critical", "warning", "info"]).optional(),
  metric: z
    .enum(["latency_p95", "error_rate", "cpu_usage", "memory_usage", "requests_per_sec", "composite"])
    .optional(),
});

/** SeqPulse Diagnostic Hints across the user's projects, newest first. */
export const hintRoutes = new Hono<AppEnv>();
hintRoutes.use(requireAuth());

hintRoutes.get("/", validate("query", hintQuery), async (c) => {
  return c.json(await listOwnedHints(c.var.db, authOf(c).userId, c.req.valid("query")));
});

const statsQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).default(7),
  project: uuidFilter.optional(),
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
