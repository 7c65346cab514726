import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "../client";
import {
  collectionErrors,
  DEFAULT_MAX_ATTEMPTS,
  deployments,
  jobs,
  metricSamples,
  projects,
  type SamplePhase,
} from "../schema";
import type { NewJob } from "./jobs";
import { insertDeliveriesAfter, type NewWebhookDelivery } from "./webhooks";

export type DeploymentRow = typeof deployments.$inferSelect;

export async function findDeploymentByIdempotencyKey(
  db: Database,
  projectId: string,
  key: string,
): Promise<DeploymentRow | null> {
  const rows = await db
    .select()
    .from(deployments)
    .where(and(eq(deployments.projectId, projectId), eq(deployments.idempotencyKey, key)));
  return rows[0] ?? null;
}

export async function findRunningDeployment(
  db: Database,
  projectId: string,
  env: string,
): Promise<DeploymentRow | null> {
  const rows = await db
    .select()
    .from(deployments)
    .where(
      and(eq(deployments.projectId, projectId), eq(deployments.env, env), eq(deployments.state, "running")),
    );
  return rows[0] ?? null;
}

/** A deployment of this project (CI calls), or null. */
export async function findProjectDeployment(
  db: Database,
  projectId: string,
  id: string,
): Promise<DeploymentRow | null> {
  const rows = await db
    .select()
    .from(deployments)
    .where(and(eq(deployments.id, id), eq(deployments.projectId, projectId)));
  return rows[0] ?? null;
}

/** For jobs: by id only. */
export async function findDeploymentById(db: Database, id: string): Promise<DeploymentRow | null> {
  const rows = await db.select().from(deployments).where(eq(deployments.id, id));
  return rows[0] ?? null;
}

/** Running deployments whose finish never came stop blocking their environment. */
export async function expireStaleDeployments(
  db: Database,
  params: { now: Date; projectId?: string; env?: string },
): Promise<number> {
  const rows = await db
    .update(deployments)
    .set({ state: "expired" })
    .where(
      and(
        eq(deployments.state, "running"),
        lte(deployments.expiresAt, params.now),
        params.projectId ? eq(deployments.projectId, params.projectId) : undefined,
        params.env ? eq(deployments.env, params.env) : undefined,
      ),
    )
    .returning({ id: deployments.id });
  return rows.length;
}

/** Deployments of the account's projects still running or under observation (not yet judged). */
export async function countDeploymentsInFlight(db: Database, ownerId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(deployments)
    .innerJoin(projects, eq(projects.id, deployments.projectId))
    .where(and(eq(projects.ownerId, ownerId), inArray(deployments.state, ["running", "finished"])));
  return row?.count ?? 0;
}

export type NewDeployment = Omit<typeof deployments.$inferInsert, "number" | "state"> & { id: string };

/**
 * Inserts a running deployment with the project's next number, and its jobs, in one statement:
 * the project's counter row is locked and bumped, the deployment inserted, the jobs queued, or
 * nothing at all. The unique indexes (one running per env, idempotency key) settle races: a
 * violation surfaces as Postgres error 23505 for the caller to resolve. Null if the project is
 * gone.
 */
export async function insertDeployment(
  db: Database,
  values: NewDeployment,
  /** Queued with it: a deployment never exists without them. */
  jobsToQueue: NewJob[],
  /** Its `deployment.triggered` webhook deliveries (their jobs are in `jobsToQueue`). */
  webhookDeliveries: readonly NewWebhookDelivery[] = [],
): Promise<{ id: string; number: number; usedThisMonth: number } | null> {
  const inserted = await insertDeploymentWithinQuota(db, values, jobsToQueue, webhookDeliveries, {
    monthStart: utcMonthStart(values.startedAt ?? new Date()),
    limit: null,
  });
  return inserted === "quota_exceeded" ? null : inserted;
}

/** `insertDeployment`, counted against the project's monthly quota. */
export async function insertDeploymentWithinQuota(
  db: Database,
  values: NewDeployment,
  jobsToQueue: NewJob[],
  webhookDeliveries: readonly NewWebhookDelivery[],
  /**
   * The monthly quota: the project's counter for `monthStart` is bumped with the insert, and
   * nothing is written when it already holds `limit` (null: unlimited, only counted). The check
   * is on the locked row itself, so of two triggers racing for the last slot the second sees
   * the first's count once the lock is released, and is refused.
   */
  quota: { monthStart: Date; limit: number | null },
): Promise<{ id: string; number: number; usedThisMonth: number } | "quota_exceeded" | null> {
  const monthStart = timestamp(quota.monthStart);
  const result = await db.execute<{ id: string; number: number; used: number }>(sql`
    with numbered as (
      update ${projects} set
        last_deployment_number = last_deployment_number + 1,
        deployments_this_month = case when deployments_month_start = ${monthStart}
          then deployments_this_month + 1 else 1 end,
        deployments_month_start = ${monthStart}
      where id = ${values.projectId} and (
        ${quota.limit}::int is null
        or deployments_month_start is distinct from ${monthStart}
        or deployments_this_month < ${quota.limit}::int
      )
      returning last_deployment_number as number, deployments_this_month as used
    ), inserted as (
      insert into ${deployments} (
        id, project_id, number, env, state, branch, commit_sha, version, commit_url, ci_run_url, actor,
        idempotency_key, idempotency_fingerprint, metrics_endpoint, observation_window_minutes,
        started_at, expires_at
      )
      select ${values.id}::uuid, ${values.projectId}::uuid, numbered.number, ${values.env}, 'running',
        ${values.branch ?? null}::text, ${values.commitSha ?? null}::text, ${values.version ?? null}::text,
        ${values.commitUrl ?? null}::text, ${values.ciRunUrl ?? null}::text, ${values.actor ?? null}::text,
        ${values.idempotencyKey ?? null}::text,
        ${values.idempotencyFingerprint ?? null}::text, ${values.metricsEndpoint},
        ${values.observationWindowMinutes}::int, ${timestamp(values.startedAt ?? new Date())},
        ${timestamp(values.expiresAt)}
      from numbered
      returning id, number
    ), queued as (${queueJobsAfter("inserted", jobsToQueue, values.projectId)}),
    delivered as (${insertDeliveriesAfter("inserted", webhookDeliveries)})
    select inserted.id, inserted.number, numbered.used from inserted, numbered`);
  const row = result.rows[0];
  if (row) return { id: row.id, number: Number(row.number), usedThisMonth: Number(row.used) };
  if (quota.limit === null) return null;
  // Nothing written: the project is gone, or its month is full.
  const [project] = await db
    .select({ id: projects.id })
    .from(projects)
    .where(eq(projects.id, values.projectId));
  return project ? "quota_exceeded" : null;
}

/**
 * `running` -> `finished`, with the observation's jobs, in one statement: a finish that fails
 * half way leaves the deployment running (the pipeline's retry finishes it), never finished
 * with nothing scheduled to analyse it. The jobs keyed `jobsToDrop` (the PRE samples still to
 * come) are deleted if not yet claimed. False when it was not this project's running
 * deployment.
 */
export async function finishDeployment(
  db: Database,
  params: {
    id: string;
    projectId: string;
    result: "success" | "failed";
    finishedAt: Date;
    observationWindowMinutes: number;
    jobsToQueue: NewJob[];
    jobsToDrop?: string[];
    /** Its `deployment.finished` webhook deliveries (their jobs are in `jobsToQueue`). */
    webhookDeliveries?: readonly NewWebhookDelivery[];
  },
): Promise<boolean> {
  const keys = params.jobsToDrop ?? [];
  // Through the dedupe key's unique index: a handful of lookups, not a scan of the queue.
  const dropped =
    keys.length === 0
      ? sql`select 1`
      : sql`delete from ${jobs}
      where exists (select 1 from finished) and status in ('pending', 'failed')
        and dedupe_key = any(${textArray(keys)})`;
  const result = await db.execute<{ id: string }>(sql`
    with finished as (
      update ${deployments} set
        state = 'finished',
        pipeline_result = ${params.result},
        finished_at = ${timestamp(params.finishedAt)},
        observation_window_minutes = ${params.observationWindowMinutes}::int
      where id = ${params.id} and project_id = ${params.projectId} and state = 'running'
      returning id
    ), queued as (${queueJobsAfter("finished", params.jobsToQueue, params.projectId)}),
    dropped as (${dropped}),
    delivered as (${insertDeliveriesAfter("finished", params.webhookDeliveries ?? [])})
    select id from finished`);
  return result.rows.length > 0;
}

const utcMonthStart = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));

const timestamp = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/** `array[$1, $2, ...]::text[]`, one parameter per value (an empty list matches nothing). */
const textArray = (values: readonly string[]) =>
  sql`array[${sql.join(
    values.map((value) => sql`${value}`),
    sql`, `,
  )}]::text[]`;

/**
 * An insert of `batch` into jobs for a data-modifying CTE, done only if the CTE named
 * `after` returned a row; jobs whose dedupe key exists are skipped. The rows come from `jobRow`
 * (worker/jobs/enqueue.ts), as `enqueue`'s do. The jobs belong to the project owner's account
 * (fair claiming, db/queries/jobs.ts).
 */
function queueJobsAfter(after: string, batch: NewJob[], projectId: string) {
  if (batch.length === 0) return sql`select 1`;
  const rows = sql.join(
    batch.map(
      (job) =>
        sql`(${job.type}::text, ${JSON.stringify(job.payload ?? {})}::jsonb, ${timestamp(job.runAt ?? new Date())}, ${
          job.dedupeKey ?? null
        }::text, ${job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS}::int)`,
    ),
    sql`, `,
  );
  return sql`insert into ${jobs} (type, payload, run_at, dedupe_key, max_attempts, tenant_id)
    select v.*, (select owner_id from ${projects} where id = ${projectId}::uuid)
    from (values ${rows}) as v (type, payload, run_at, dedupe_key, max_attempts)
    where exists (select 1 from ${sql.identifier(after)})
    on conflict (dedupe_key) do nothing`;
}

export interface SampleSlot {
  deploymentId: string;
  phase: SamplePhase;
  sequence: number;
}

export const slotKey = (slot: SampleSlot) => `${slot.deploymentId}:${slot.phase}:${slot.sequence}`;

/** What collecting a deployment's samples needs: its state and endpoint, its project's HMAC. */
export async function findCollectionTargets(db: Database, deploymentIds: string[]) {
  if (deploymentIds.length === 0) return [];
  return db
    .select({
      deploymentId: deployments.id,
      state: deployments.state,
      metricsEndpoint: deployments.metricsEndpoint,
      project: {
        id: projects.id,
        hmacEnabled: projects.hmacEnabled,
        hmacSecretEncrypted: projects.hmacSecretEncrypted,
        hmacPreviousSecretEncrypted: projects.hmacPreviousSecretEncrypted,
        hmacPreviousValidUntil: projects.hmacPreviousValidUntil,
        collectionBackoffUntil: projects.collectionBackoffUntil,
      },
    })
    .from(deployments)
    .innerJoin(projects, eq(projects.id, deployments.projectId))
    .where(inArray(deployments.id, deploymentIds));
}

/** The slots already sampled for these deployments, as `slotKey`s. */
export async function storedSampleSlots(db: Database, deploymentIds: string[]): Promise<Set<string>> {
  if (deploymentIds.length === 0) return new Set();
  const rows = await db
    .select({
      deploymentId: metricSamples.deploymentId,
      phase: metricSamples.phase,
      sequence: metricSamples.sequence,
    })
    .from(metricSamples)
    .where(inArray(metricSamples.deploymentId, deploymentIds));
  return new Set(rows.map(slotKey));
}

/**
 * Stores samples in one statement. Idempotent: a slot already sampled keeps its first sample.
 * Returns the `slotKey`s stored by this call.
 */
export async function insertSamples(
  db: Database,
  samples: Array<typeof metricSamples.$inferInsert>,
): Promise<Set<string>> {
  if (samples.length === 0) return new Set();
  const rows = await db.insert(metricSamples).values(samples).onConflictDoNothing().returning({
    deploymentId: metricSamples.deploymentId,
    phase: metricSamples.phase,
    sequence: metricSamples.sequence,
  });
  return new Set(rows.map(slotKey));
}

export async function insertCollectionErrors(
  db: Database,
  values: Array<typeof collectionErrors.$inferInsert>,
): Promise<void> {
  if (values.length > 0) await db.insert(collectionErrors).values(values);
}

export type CancelOutcome = "cancelled" | "already-cancelled" | "not-cancellable" | "not-found";

/**
 * `running` -> `cancelled` for the owner's deployment, and its open collection and analysis jobs
 * deleted (by the dedupe keys the caller names, worker/jobs/collect-sample.ts), in one
 * statement: the environment is free for the next trigger at once, and nothing is sampled or
 * judged for it afterwards (a job already claimed finds the state and skips). Only a running
 * deployment can be cancelled; one already cancelled is reported as such.
 */
export async function cancelOwnedDeployment(
  db: Database,
  params: { id: string; ownerId: string; pendingJobKeys: string[] },
): Promise<CancelOutcome> {
  const result = await db.execute<{ cancelled: boolean; state: string | null }>(sql`
    with owned as (
      select d.id, d.state from ${deployments} d
      join ${projects} p on p.id = d.project_id
      where d.id = ${params.id} and p.owner_id = ${params.ownerId}
    ), cancelled as (
      update ${deployments} set state = 'cancelled'
      -- state re-checked on the row itself: a finish committed meanwhile wins.
      where id in (select id from owned) and state = 'running'
      returning id
    ), dropped as (
      delete from ${jobs}
      where exists (select 1 from cancelled)
        and status in ('pending', 'failed')
        and dedupe_key = any(${textArray(params.pendingJobKeys)})
    )
    select exists (select 1 from cancelled) as cancelled, (select state from owned) as state`);
  const row = result.rows[0];
  if (!row || row.state === null) return "not-found";
  if (row.cancelled) return "cancelled";
  return row.state === "cancelled" ? "already-cancelled" : "not-cancellable";
}
