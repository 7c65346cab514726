import type { Context } from "hono";
import { Hono } from "hono";
import * as z from "zod";
import {
  findOwnedDeployment,
  listCollectionErrors,
  listDeploymentHints,
  listDeploymentSamples,
  listDeployments,
  listHints,
} from "../../../db/queries/deployment-views";
import type { AppEnv } from "../../env";
import { ApiError } from "../../lib/errors";
import { decodeCursor, page, paginationQuery } from "../../lib/pagination";
import { validate } from "../../lib/validation";
import { authOf, requireAuth } from "../../middleware/authenticate";
import { deploymentView, hintView } from "./views";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidFilter = z.string().regex(UUID, { message: "Must be a UUID." });

const listQuery = z.object({
  ...paginationQuery,
  project: uuidFilter.optional(),
  env: z.string().max(50).optional(),
  verdict: z.enum(["ok", "warning", "rollback_recommended"]).optional(),
  state: z.enum(["running", "finished", "analyzed", "expired"]).optional(),
  q: z.string().trim().min(1).max(100).optional(),
});

/** The dashboard's reads of deployments (signed-in user, own projects only). */
export const deploymentRoutes = new Hono<AppEnv>();
deploymentRoutes.use(requireAuth());

async function loadDeployment(c: Context<AppEnv>, id: string) {
  const deployment = UUID.test(id) ? await findOwnedDeployment(c.var.db, authOf(c).userId, id) : null;
  if (!deployment) throw new ApiError("NOT_FOUND", "No such deployment.");
  return deployment;
}

deploymentRoutes.get("/", validate("query", listQuery), async (c) => {
  const query = c.req.valid("query");
  const rows = await listDeployments(c.var.db, authOf(c).userId, {
    projectId: query.project,
    env: query.env,
    verdict: query.verdict,
    state: query.state,
    search: query.q,
    limit: query.limit,
    before: decodeCursor(query.cursor),
  });
  const { items, nextCursor } = page(rows, query.limit, (row) => ({ at: row.startedAt, id: row.id }));
  return c.json({ items: items.map(deploymentView), nextCursor });
});

deploymentRoutes.get("/:id", async (c) => {
  const deployment = await loadDeployment(c, c.req.param("id"));
  const [hintRows, errors] = await Promise.all([
    listDeploymentHints(c.var.db, deployment.id),
    listCollectionErrors(c.var.db, deployment.id),
  ]);
  return c.json({
    deployment: {
      ...deploymentView(deployment),
      hints: hintRows.map(hintView),
      collectionErrors: errors.map((error) => ({ ...error, occurredAt: error.occurredAt.toISOString() })),
    },
  });
});

deploymentRoutes.get("/:id/metrics", async (c) => {
  const deployment = await loadDeployment(c, c.req.param("id"));
  const samples = await listDeploymentSamples(c.var.db, deployment.id);
  const view = samples.map((sample) => ({ ...sample, collectedAt: sample.collectedAt.toISOString() }));
  return c.json({
    deploymentId: deployment.id,
    pre: view.filter((sample) => sample.phase === "pre"),
    post: view.filter((sample) => sample.phase === "post"),
  });
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
  const query = c.req.valid("query");
  const rows = await listHints(c.var.db, authOf(c).userId, {
    projectId: query.project,
    deploymentId: query.deployment,
    severity: query.severity,
    metric: query.metric,
    limit: query.limit,
    before: decodeCursor(query.cursor),
  });
  const { items, nextCursor } = page(rows, query.limit, (row) => ({
    at: row.createdAt,
    id: `${row.deploymentId}/${row.metric}`,
  }));
  return c.json({ items: items.map(hintView), nextCursor });
});
