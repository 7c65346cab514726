import { and, asc, desc, eq, ilike, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../client";
import {
  collectionErrors,
  type DeploymentState,
  deployments,
  hints,
  metricSamples,
  projects,
  verdicts,
} from "../schema";

/**
 * Reads for the dashboard. Every query joins the project and filters on its owner, so another
 * user's deployment is not found by construction.
 */
const deploymentColumns = {
  id: deployments.id,
  number: deployments.number,
  projectId: deployments.projectId,
  projectName: projects.name,
  env: deployments.env,
  state: deployments.state,
  pipelineResult: deployments.pipelineResult,
  branch: deployments.branch,
  commitSha: deployments.commitSha,
  version: deployments.version,
  commitUrl: deployments.commitUrl,
  ciRunUrl: deployments.ciRunUrl,
  actor: deployments.actor,
  observationWindowMinutes: deployments.observationWindowMinutes,
  startedAt: deployments.startedAt,
  finishedAt: deployments.finishedAt,
  analyzedAt: deployments.analyzedAt,
  verdict: verdicts.verdict,
  confidence: verdicts.confidence,
  summary: verdicts.summary,
  details: verdicts.details,
  dataQuality: verdicts.dataQuality,
  judge: verdicts.judge,
  settings: verdicts.settings,
  early: verdicts.early,
  shadow: verdicts.shadow,
};

export type DeploymentListRow = Awaited<ReturnType<typeof listDeployments>>[number];

export interface DeploymentFilters {
  projectId?: string;
  env?: string;
  verdict?: "ok" | "warning" | "rollback_recommended";
  state?: DeploymentState;
  /** Matches the branch or the start of the commit SHA. */
  search?: string;
}

export async function listDeployments(
  db: Database,
  ownerId: string,
  params: DeploymentFilters & { limit: number; before: { at: Date; id: string } | null },
) {
  const conditions: Array<SQL | undefined> = [
    eq(projects.ownerId, ownerId),
    params.projectId ? eq(deployments.projectId, params.projectId) : undefined,
    params.env ? eq(deployments.env, params.env) : undefined,
    params.verdict ? eq(verdicts.verdict, params.verdict) : undefined,
    params.state ? eq(deployments.state, params.state) : undefined,
    params.search
      ? or(
          ilike(deployments.branch, `%${escapeLike(params.search)}%`),
          ilike(deployments.commitSha, `${escapeLike(params.search)}%`),
        )
      : undefined,
    params.before
      ? or(
          lt(deployments.startedAt, params.before.at),
          and(eq(deployments.startedAt, params.before.at), lt(deployments.id, params.before.id)),
        )
      : undefined,
  ];
  return db
    .select(deploymentColumns)
    .from(deployments)
    .innerJoin(projects, eq(projects.id, deployments.projectId))
    .leftJoin(verdicts, eq(verdicts.deploymentId, deployments.id))
    .where(and(...conditions))
    .orderBy(desc(deployments.startedAt), desc(deployments.id))
    .limit(params.limit + 1);
}

export async function findOwnedDeployment(db: Database, ownerId: string, id: string) {
  return findDeploymentIn(db, { ownerId }, id);
}

/** Whose deployments a reader may see: a user's (every project they own) or one project's (its CI key). */
export type DeploymentScope = { ownerId: string } | { projectId: string };

/** The deployment `id` if it lies in `scope`, else null: the scope is part of the WHERE. */
export async function findDeploymentIn(db: Database, scope: DeploymentScope, id: string) {
  const inScope =
    "ownerId" in scope ? eq(projects.ownerId, scope.ownerId) : eq(deployments.projectId, scope.projectId);
  const rows = await db
    .select(deploymentColumns)
    .from(deployments)
    .innerJoin(projects, eq(projects.id, deployments.projectId))
    .leftJoin(verdicts, eq(verdicts.deploymentId, deployments.id))
    .where(and(eq(deployments.id, id), inScope));
  return rows[0] ?? null;
}

/** The project's latest deployment in `env` (with `version`, if given), or null. */
export async function findLatestDeploymentId(
  db: Database,
  projectId: string,
  env: string,
  version?: string,
): Promise<string | null> {
  const rows = await db
    .select({ id: deployments.id })
    .from(deployments)
    .where(
      and(
        eq(deployments.projectId, projectId),
        eq(deployments.env, env),
        version === undefined ? undefined : eq(deployments.version, version),
      ),
    )
    .orderBy(desc(deployments.startedAt), desc(deployments.id))
    .limit(1);
  return rows[0]?.id ?? null;
}

/**
 * What a waiting pipeline polls: the deployment's state and whether its verdict exists. One
 * primary-key lookup per poll, no transaction.
 */
export async function findDeploymentProgress(db: Database, projectId: string, id: string) {
  const rows = await db
    .select({ state: deployments.state, verdict: verdicts.verdict })
    .from(deployments)
    .leftJoin(verdicts, eq(verdicts.deploymentId, deployments.id))
    .where(and(eq(deployments.id, id), eq(deployments.projectId, projectId)));
  return rows[0] ?? null;
}

export async function listDeploymentSamples(db: Database, deploymentId: string) {
  const samples = await listSamplesOfDeployments(db, [deploymentId]);
  return samples.map(({ deploymentId: _deploymentId, ...sample }) => sample);
}

/** The samples of several deployments in one query, oldest first, each row naming its deployment. */
export async function listSamplesOfDeployments(db: Database, deploymentIds: readonly string[]) {
  if (deploymentIds.length === 0) return [];
  return db
    .select({
      deploymentId: metricSamples.deploymentId,
      phase: metricSamples.phase,
      sequence: metricSamples.sequence,
      requestsPerSec: metricSamples.requestsPerSec,
      latencyP95: metricSamples.latencyP95,
      errorRate: metricSamples.errorRate,
      cpuUsage: metricSamples.cpuUsage,
      memoryUsage: metricSamples.memoryUsage,
      collectedAt: metricSamples.collectedAt,
    })
    .from(metricSamples)
    .where(inArray(metricSamples.deploymentId, [...deploymentIds]))
    .orderBy(asc(metricSamples.collectedAt), asc(metricSamples.sequence));
}

export async function listCollectionErrors(db: Database, deploymentId: string) {
  return db
    .select({
      phase: collectionErrors.phase,
      sequence: collectionErrors.sequence,
      code: collectionErrors.code,
      message: collectionErrors.message,
      attempt: collectionErrors.attempt,
      final: collectionErrors.final,
      occurredAt: collectionErrors.occurredAt,
    })
    .from(collectionErrors)
    .where(eq(collectionErrors.deploymentId, deploymentId))
    .orderBy(asc(collectionErrors.occurredAt))
    .limit(200);
}

const hintColumns = {
  deploymentId: hints.deploymentId,
  deploymentNumber: deployments.number,
  projectId: deployments.projectId,
  projectName: projects.name,
  env: deployments.env,
  metric: hints.metric,
  code: hints.code,
  severity: hints.severity,
  confidence: hints.confidence,
  title: hints.title,
  diagnosis: hints.diagnosis,
  suggestedActions: hints.suggestedActions,
  observedValue: hints.observedValue,
  threshold: hints.threshold,
  evidence: hints.evidence,
  createdAt: hints.createdAt,
};

/** Severity order for display: critical first. */
const severityRank = sql`case ${hints.severity} when 'critical' then 0 when 'warning' then 1 else 2 end`;

export async function listDeploymentHints(db: Database, deploymentId: string) {
  return db
    .select(hintColumns)
    .from(hints)
    .innerJoin(deployments, eq(deployments.id, hints.deploymentId))
    .innerJoin(projects, eq(projects.id, deployments.projectId))
    .where(eq(hints.deploymentId, deploymentId))
    .orderBy(severityRank, desc(hints.confidence));
}

export async function listHints(
  db: Database,
  ownerId: string,
  params: {
    projectId?: string;
    deploymentId?: string;
    severity?: "critical" | "warning" | "info";
    metric?: string;
    limit: number;
    before: { at: Date; id: string } | null;
  },
) {
  // Hints are keyed by (deployment, metric): the cursor id is `<deployment id>/<metric>`.
  const beforeKey = params.before ? params.before.id : null;
  return db
    .select(hintColumns)
    .from(hints)
    .innerJoin(deployments, eq(deployments.id, hints.deploymentId))
    .innerJoin(projects, eq(projects.id, deployments.projectId))
    .where(
      and(
        eq(projects.ownerId, ownerId),
        params.projectId ? eq(deployments.projectId, params.projectId) : undefined,
        params.deploymentId ? eq(hints.deploymentId, params.deploymentId) : undefined,
        params.severity ? eq(hints.severity, params.severity) : undefined,
        params.metric ? eq(hints.metric, params.metric) : undefined,
        params.before && beforeKey
          ? or(
              lt(hints.createdAt, params.before.at),
              and(
                eq(hints.createdAt, params.before.at),
                sql`(${hints.deploymentId}::text || '/' || ${hints.metric}) < ${beforeKey}`,
              ),
            )
          : undefined,
      ),
    )
    .orderBy(desc(hints.createdAt), desc(sql`${hints.deploymentId}::text || '/' || ${hints.metric}`))
    .limit(params.limit + 1);
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (match) => `\\${match}`);
}

/** Deployments started per UTC day and verdict (null: no verdict yet) over the last `days`. */
export async function countDeploymentsByDay(
  db: Database,
  ownerId: string,
  params: { since: Date; projectId?: string },
): Promise<Array<{ day: string; verdict: string | null; count: number }>> {
  const day = sql<string>`to_char(date_trunc('day', ${deployments.startedAt} at time zone 'UTC'), 'YYYY-MM-DD')`;
  return db
    .select({ day, verdict: verdicts.verdict, count: sql<number>`count(*)::int` })
    .from(deployments)
    .innerJoin(projects, eq(projects.id, deployments.projectId))
    .leftJoin(verdicts, eq(verdicts.deploymentId, deployments.id))
    .where(
      and(
        eq(projects.ownerId, ownerId),
        sql`${deployments.startedAt} >= ${params.since}`,
        params.projectId ? eq(deployments.projectId, params.projectId) : undefined,
      ),
    )
    .groupBy(day, verdicts.verdict)
    .orderBy(day);
}
