import { and, eq, inArray, lte, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { type JobStatus, jobStatuses, jobs } from "../schema";

/**
 * A job row to insert. The worker builds them with `jobRow` (worker/jobs/enqueue.ts) from the
 * job type's definition, which fixes the type, payload shape, dedupe key and attempts; the
 * queries here only store them.
 */
export interface NewJob {
  type: string;
  payload?: Record<string, unknown>;
  runAt?: Date;
  dedupeKey?: string;
  maxAttempts?: number;
  /** The account whose work this is; null for platform work. */
  tenantId?: string | null;
}

export interface ClaimedJob {
  id: number;
  type: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  tenantId: string | null;
  /** When it was due (for its start delay); absent on jobs built by hand. */
  runAt?: Date;
}

/**
 * Inserts a job; with a `dedupeKey` already used, does nothing and returns null. The statement
 * under `enqueue` (worker/jobs/enqueue.ts), which is how the worker queues a job.
 */
export async function enqueueJob(db: Database, job: NewJob): Promise<number | null> {
  const rows = await db
    .insert(jobs)
    .values({
      type: job.type,
      payload: job.payload ?? {},
      // The sweeper compares run_at with the Worker's clock, so default to that clock, not
      // the database's: a skew between the two would otherwise delay fresh jobs.
      runAt: job.runAt ?? new Date(),
      dedupeKey: job.dedupeKey,
      maxAttempts: job.maxAttempts,
      tenantId: job.tenantId ?? null,
    })
    .onConflictDoNothing({ target: jobs.dedupeKey })
    .returning({ id: jobs.id });
  return rows[0]?.id ?? null;
}

/** The key claims share work by: a tenant's id, or "" for platform work. */
export const tenantKey = (tenantId: string | null) => tenantId ?? "";

/**
 * Claims up to `limit` due jobs of the given types in one statement: pending or failed jobs
 * whose `run_at` has come, and running jobs whose lease expired (their sweep died). `SKIP
 * LOCKED` lets concurrent sweeps take disjoint jobs instead of waiting on each other; each claim
 * counts as an attempt. Only types this Worker can run are claimed, so an older deployment
 * never takes (and kills) a job type introduced by a newer one.
 *
 * Fair between tenants: due jobs are ranked within their tenant (oldest first) and taken rank by
 * rank, round-robin: every tenant's first job, then every tenant's second... With
 * `perTenantLimit`, no tenant gets more than that many claims, counting the ones `served`
 * already had (earlier batches of the same sweep). Jobs come back in that fair order, which is
 * the order handlers start them in. Platform work (no tenant) is ranked but not capped.
 */
export async function claimDueJobs(
  db: Database,
  params: {
    owner: string;
    now: Date;
    leaseSeconds: number;
    limit: number;
    types: string[];
    perTenantLimit?: number;
    /** Claims each tenant (by `tenantKey`) already had in this sweep. */
    served?: ReadonlyMap<string, number>;
  },
): Promise<ClaimedJob[]> {
  if (params.types.length === 0 || params.limit <= 0) return [];
  const now = sql`${params.now.toISOString()}::timestamptz`;
  const isDue = (table: string) => sql`(
    (${sql.identifier(table)}.status in ('pending', 'failed') and ${sql.identifier(table)}.run_at <= ${now})
    or (${sql.identifier(table)}.status = 'running' and ${sql.identifier(table)}.lease_expires_at <= ${now}))`;
  const types = sql`array[${sql.join(
    params.types.map((type) => sql`${type}`),
    sql`, `,
  )}]::text[]`;
  const served = [...(params.served ?? new Map())];
  const servedValues =
    served.length === 0
      ? sql`select null::text as tenant, 0 as used where false`
      : sql`values ${sql.join(
          served.map(([tenant, used]) => sql`(${tenant}::text, ${used}::int)`),
          sql`, `,
        )}`;
  const cap = params.perTenantLimit ?? 2_147_483_647;
  // Ranking reads a snapshot; the lock (`for update of j skip locked`) then rechecks each chosen
  // row, so a job another sweep took in between is skipped, never claimed twice.
  const result = await db.execute<{
    id: string | number;
    type: string;
    payload: Record<string, unknown>;
    attempts: number;
    max_attempts: number;
    tenant_id: string | null;
    turn: string | number;
    run_at: string | Date;
  }>(sql`
    with served (tenant, used) as (${servedValues}),
    ranked as (
      select jobs.id, jobs.run_at,
        row_number() over (partition by coalesce(jobs.tenant_id::text, '') order by jobs.run_at, jobs.id)
          + coalesce(served.used, 0) as turn
      from ${jobs} as jobs
      left join served on served.tenant = coalesce(jobs.tenant_id::text, '')
      where jobs.type = any(${types}) and ${isDue("jobs")}
    ),
    chosen as (
      select j.id, ranked.turn, ranked.run_at
      from ${jobs} as j join ranked on ranked.id = j.id
      where (ranked.turn <= ${cap} or j.tenant_id is null) and ${isDue("j")}
      order by ranked.turn, ranked.run_at, j.id
      limit ${params.limit}
      for update of j skip locked
    )
    update ${jobs} set
      status = 'running',
      attempts = ${jobs.attempts} + 1,
      lease_owner = ${params.owner},
      lease_expires_at = ${new Date(params.now.getTime() + params.leaseSeconds * 1000).toISOString()}::timestamptz,
      updated_at = ${now}
    from chosen
    where ${jobs.id} = chosen.id
    returning ${jobs.id}, ${jobs.type}, ${jobs.payload}, ${jobs.attempts}, ${jobs.maxAttempts},
      ${jobs.tenantId}, chosen.turn, chosen.run_at`);
  return result.rows
    .map((row) => ({
      job: {
        id: Number(row.id),
        type: row.type,
        payload: row.payload,
        attempts: Number(row.attempts),
        maxAttempts: Number(row.max_attempts),
        tenantId: row.tenant_id,
        runAt: new Date(row.run_at),
      },
      turn: Number(row.turn),
      runAt: new Date(row.run_at).getTime(),
    }))
    .sort((a, b) => a.turn - b.turn || a.runAt - b.runAt || a.job.id - b.job.id)
    .map(({ job }) => job);
}

/**
 * Running jobs whose lease expired after their last allowed attempt: their sweep died (or the
 * handler keeps crashing the isolate). They go to `dead` instead of being claimed again.
 */
export async function buryExhaustedJobs(db: Database, params: { now: Date }): Promise<string[]> {
  const rows = await db
    .update(jobs)
    .set({
      status: "dead",
      lastError: "lease expired on the last attempt",
      leaseOwner: null,
      leaseExpiresAt: null,
      updatedAt: params.now,
      finishedAt: params.now,
    })
    .where(
      and(
        eq(jobs.status, "running"),
        lte(jobs.leaseExpiresAt, params.now),
        sql`${jobs.attempts} >= ${jobs.maxAttempts}`,
      ),
    )
    .returning({ type: jobs.type });
  return rows.map((row) => row.type);
}

/** How a claimed job ends this run: done, waiting for a retry, dead, or put back (deferred). */
export interface JobCompletion {
  id: number;
  status: "succeeded" | "failed" | "dead" | "pending";
  /** Next run for `failed` (the retry) and `pending` (the deferral). */
  runAt?: Date;
  error?: string;
}

/**
 * Records the outcome of many jobs in one statement. Only jobs this sweep still holds count
 * (another sweep may have reclaimed one after its lease expired); returns the ids recorded.
 * A deferral (`pending`) gives back the attempt its claim used.
 */
export async function completeJobs(
  db: Database,
  params: { owner: string; now: Date; completions: JobCompletion[] },
): Promise<Set<number>> {
  if (params.completions.length === 0) return new Set();
  const now = params.now.toISOString();
  const values = sql.join(
    params.completions.map(
      (c) =>
        sql`(${c.id}::bigint, ${c.status}::text, ${c.runAt?.toISOString() ?? null}::timestamptz, ${
          c.error?.slice(0, 2000) ?? null
        }::text)`,
    ),
    sql`, `,
  );
  const result = await db.execute<{ id: string | number }>(sql`
    update ${jobs} set
      status = o.status,
      run_at = coalesce(o.run_at, ${jobs.runAt}),
      attempts = case when o.status = 'pending' then greatest(${jobs.attempts} - 1, 0) else ${jobs.attempts} end,
      last_error = case when o.status = 'pending' then ${jobs.lastError} else o.error end,
      lease_owner = null,
      lease_expires_at = null,
      updated_at = ${now}::timestamptz,
      finished_at = case when o.status in ('succeeded', 'dead') then ${now}::timestamptz end
    from (values ${values}) as o (id, status, run_at, error)
    where ${jobs.id} = o.id and ${jobs.leaseOwner} = ${params.owner} and ${jobs.status} = 'running'
    returning ${jobs.id}`);
  return new Set(result.rows.map((row) => Number(row.id)));
}

export async function countJobsByStatus(db: Database): Promise<Record<JobStatus, number>> {
  const rows = await db
    .select({ status: jobs.status, count: sql<number>`count(*)::int` })
    .from(jobs)
    .groupBy(jobs.status);
  const counts = Object.fromEntries(jobStatuses.map((status) => [status, 0])) as Record<JobStatus, number>;
  for (const row of rows) counts[row.status] = row.count;
  return counts;
}

/** Deletes finished jobs: succeeded ones before `succeededBefore`, dead ones before `deadBefore`. */
export async function deleteFinishedJobs(
  db: Database,
  params: { succeededBefore: Date; deadBefore: Date; limit: number },
): Promise<number> {
  const old = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      or(
        and(eq(jobs.status, "succeeded"), lte(jobs.finishedAt, params.succeededBefore)),
        and(eq(jobs.status, "dead"), lte(jobs.finishedAt, params.deadBefore)),
      ),
    )
    .limit(params.limit);
  const rows = await db.delete(jobs).where(inArray(jobs.id, old)).returning({ id: jobs.id });
  return rows.length;
}

export async function getJob(db: Database, id: number) {
  const rows = await db.select().from(jobs).where(eq(jobs.id, id));
  return rows[0] ?? null;
}

/** Jobs with keys starting with `prefix` that may still succeed (not succeeded, not dead). */
export async function countOpenJobsWithKeyPrefix(db: Database, prefix: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(jobs)
    .where(
      and(
        sql`starts_with(${jobs.dedupeKey}, ${prefix})`,
        inArray(jobs.status, ["pending", "running", "failed"]),
      ),
    );
  return row?.count ?? 0;
}
