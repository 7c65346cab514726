import type * as z from "zod";
import type { Database } from "../../../db/client";
import {
  findDeploymentIn,
  listCollectionErrors,
  listDeploymentHints,
  listDeploymentSamples,
  listDeployments,
  listHints,
} from "../../../db/queries/deployment-views";
import { ApiError } from "../../lib/errors";
import { isUuid } from "../../lib/ids";
import { decodeCursor, page } from "../../lib/pagination";
import { rankHints } from "../analysis/hint-ranking";
import { resolveJudge } from "../analysis/judge";
import { summarizeSamples } from "../analysis/samples";
import { metricSampleOf } from "./deployments";
import { type DeploymentReader, scopeOf } from "./project-key";
import type { deploymentListQuery, hintListQuery } from "./schemas";
import { deploymentView, hintView } from "./views";

// What the dashboard reads of deployments and hints: always the owner's own; a deployment is
// read by its pipeline too, with its project's key (a foreign or malformed id is a 404, as an
// unknown one).

/** The owner's deployment, or NOT_FOUND (also for ids that are not even UUIDs). */
export async function getOwnedDeployment(db: Database, ownerId: string, id: string) {
  return getReadableDeployment(db, { kind: "user", userId: ownerId }, id);
}

/** The deployment if `reader` may read it (see `DeploymentReader`), or NOT_FOUND. */
export async function getReadableDeployment(db: Database, reader: DeploymentReader, id: string) {
  const deployment = isUuid(id) ? await findDeploymentIn(db, scopeOf(reader), id) : null;
  if (!deployment) throw new ApiError("NOT_FOUND", "No such deployment.");
  return deployment;
}

export type DeploymentListQuery = z.output<typeof deploymentListQuery>;

/** A page of the owner's deployments, newest first. */
export async function listOwnedDeployments(db: Database, ownerId: string, query: DeploymentListQuery) {
  const rows = await listDeployments(db, ownerId, {
    projectId: query.project,
    env: query.env,
    verdict: query.verdict,
    state: query.state,
    search: query.q,
    limit: query.limit,
    before: decodeCursor(query.cursor),
  });
  const { items, nextCursor } = page(rows, query.limit, (row) => ({ at: row.startedAt, id: row.id }));
  return { items: items.map(deploymentView), nextCursor };
}

/** One deployment with its ranked hints and the errors its collection met. */
export async function getDeploymentDetail(db: Database, reader: DeploymentReader, id: string) {
  const deployment = await getReadableDeployment(db, reader, id);
  const [hintRows, errors] = await Promise.all([
    listDeploymentHints(db, deployment.id),
    listCollectionErrors(db, deployment.id),
  ]);
  return {
    ...deploymentView(deployment),
    hints: rankHints(hintRows.map(hintView)),
    collectionErrors: errors.map((error) => ({ ...error, occurredAt: error.occurredAt.toISOString() })),
  };
}

/** A deployment's samples by phase, and the lines its judge compares POST samples with. */
export async function getDeploymentMetrics(db: Database, ownerId: string, id: string) {
  const deployment = await getOwnedDeployment(db, ownerId, id);
  const samples = await listDeploymentSamples(db, deployment.id);
  const view = samples.map((sample) => ({ ...sample, collectedAt: sample.collectedAt.toISOString() }));
  const pre = samples.filter((sample) => sample.phase === "pre").map(metricSampleOf);
  return {
    deploymentId: deployment.id,
    pre: view.filter((sample) => sample.phase === "pre"),
    post: view.filter((sample) => sample.phase === "post"),
    // What the verdict compares POST samples with (or will): the charts draw these lines.
    lines: resolveJudge(deployment.judge).comparisonLines(summarizeSamples(pre)),
  };
}

export type HintListQuery = z.output<typeof hintListQuery>;

/** Hints are keyed by (deployment, metric): their cursor id is `<deployment id>/<metric>`. */
function isHintCursorId(id: string): boolean {
  const [deploymentId = "", metric = "", extra] = id.split("/");
  return isUuid(deploymentId) && /^[a-z0-9_]{1,64}$/.test(metric) && extra === undefined;
}

/** A page of SeqPulse Diagnostic Hints across the owner's projects, newest first. */
export async function listOwnedHints(db: Database, ownerId: string, query: HintListQuery) {
  const rows = await listHints(db, ownerId, {
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
  return { items: items.map(hintView), nextCursor };
}
