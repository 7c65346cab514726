import type { Context } from "hono";
import { Hono } from "hono";
import {
  countDeploymentsByDay,
  findOwnedDeployment,
  listCollectionErrors,
  listDeploymentHints,
  listDeploymentSamples,
  listDeployments,
  listHints,
} from "../../../db/queries/deployment-views";
import { cancelOwnedDeployment } from "../../../db/queries/deployments";
import type { AppEnv } from "../../env";
import { ApiError } from "../../lib/errors";
import { isUuid } from "../../lib/ids";
import { decodeCursor, page } from "../../lib/pagination";
import { validate } from "../../lib/validation";
import { authOf, requireAuth } from "../../middleware/authenticate";
import { rankHints } from "../analysis/hint-ranking";
import { resolveJudge } from "../analysis/judge";
import { summarizeSamples } from "../analysis/samples";
import { metricSampleOf } from "./deployments";
import { deploymentListQuery, hintListQuery, statsQuery } from "./schemas";
import { deploymentView, hintView } from "./views";

/** The dashboard's reads of deployments (signed-in user, own projects only). */
export const deploymentRoutes = new Hono<AppEnv>();
deploymentRoutes.use(requireAuth());

async function loadDeployment(c: Context<AppEnv>, id: string) {
  const deployment = isUuid(id) ? await findOwnedDeployment(c.var.db, authOf(c).userId, id) : null;
  if (!deployment) throw new ApiError("NOT_FOUND", "No such deployment.");
  return deployment;
}

deploymentRoutes.get("/", validate("query", deploymentListQuery), async (c) => {
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
      hints: rankHints(hintRows.map(hintView)),
      collectionErrors: errors.map((error) => ({ ...error, occurredAt: error.occurredAt.toISOString() })),
    },
  });
});

deploymentRoutes.get("/:id/metrics", async (c) => {
  const deployment = await loadDeployment(c, c.req.param("id"));
  const samples = await listDeploymentSamples(c.var.db, deployment.id);
  const view = samples.map((sample) => ({ ...sample, collectedAt: sample.collectedAt.toISOString() }));
  const pre = samples.filter((sample) => sample.phase === "pre").map(metricSampleOf);
  return c.json({
    deploymentId: deployment.id,
    pre: view.filter((sample) => sample.phase === "pre"),
    post: view.filter((sample) => sample.phase === "post"),
    // What the verdict compares POST samples with (or will): the charts draw these lines.
    lines: resolveJudge(deployment.judge).comparisonLines(summarizeSamples(pre)),
  });
});

/**
 * Ends a deployment stuck in `running` (its finish never came): no samples after, no verdict,
 * and its environment free for the next trigger. Idempotent; a deployment already finished,
 * analysed or expired is refused with DEPLOYMENT_NOT_CANCELLABLE.
 */
deploymentRoutes.post("/:id/cancel", async (c) => {
  const id = c.req.param("id");
  const outcome = isUuid(id)
    ? await cancelOwnedDeployment(c.var.db, { id, ownerId: authOf(c).userId })
    : "not-found";
  if (outcome === "not-found") throw new ApiError("NOT_FOUND", "No such deployment.");
  if (outcome === "not-cancellable") {
    throw new ApiError("DEPLOYMENT_NOT_CANCELLABLE", "Only a running deployment can be cancelled.");
  }
  const deployment = await loadDeployment(c, id);
  return c.json({ deployment: deploymentView(deployment) });
});

/** Hints are keyed by (deployment, metric): their cursor id is `<deployment id>/<metric>`. */
function isHintCursorId(id: string): boolean {
  const [deploymentId = "", metric = "", extra] = id.split("/");
  return isUuid(deploymentId) && /^[a-z0-9_]{1,64}$/.test(metric) && extra === undefined;
}

/** SeqPulse Diagnostic Hints across the user's projects, newest first. */
export const hintRoutes = new Hono<AppEnv>();
hintRoutes.use(requireAuth());

hintRoutes.get("/", validate("query", hintListQuery), async (c) => {
  const query = c.req.valid("query");
  const rows = await listHints(c.var.db, authOf(c).userId, {
    projectId: query.project,
    deploymentId: query.deployment,
    severity: query.severity,
    metric: query.metric,
    limit: query.limit,
    before: decodeCursor(query.cursor, isHintCursorId),
  });
  const { items, nextCursor } = page(rows, query.limit, (row) => ({
    at: row.createdAt,
    id: `${row.deploymentId}/${row.metric}`,
  }));
  return c.json({ items: items.map(hintView), nextCursor });
});

/** The overview's numbers: deployments per UTC day and verdict over the last `days` days. */
export const statsRoutes = new Hono<AppEnv>();
statsRoutes.use(requireAuth());

statsRoutes.get("/deployments", validate("query", statsQuery), async (c) => {
  const { days, project } = c.req.valid("query");
  const now = new Date();
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  const rows = await countDeploymentsByDay(c.var.db, authOf(c).userId, { since, projectId: project });
  const empty = () => ({ ok: 0, warning: 0, rollback_recommended: 0, pending: 0, total: 0 });
  const byDay = new Map<string, ReturnType<typeof empty>>();
  for (let i = 0; i < days; i++) {
    byDay.set(new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10), empty());
  }
  const totals = empty();
  for (const row of rows) {
    const bucket = byDay.get(row.day);
    if (!bucket) continue;
    const key = (row.verdict ?? "pending") as keyof ReturnType<typeof empty>;
    bucket[key] += row.count;
    bucket.total += row.count;
    totals[key] += row.count;
    totals.total += row.count;
  }
  return c.json({
    since: since.toISOString(),
    days: [...byDay].map(([day, counts]) => ({ day, ...counts })),
    totals,
  });
});
