import { and, eq, inArray, lte, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { type JobStatus, jobStatuses, jobs } from "../schema";

export interface NewJob {
  type: string;
  payload?: Record<string, unknown>;
  runAt?: Date;
  dedupeKey?: string;
  maxAttempts?: number;
}

export interface ClaimedJob {
  id: number;
  type: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

/** Inserts a job; with a `dedupeKey` already used, does nothing and returns null. */
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
    })
    .onConflictDoNothing({ target: jobs.dedupeKey })
    .returning({ id: jobs.id });
  return rows[0]?.id ?? null;
}

/**
 * Claims up to `limit` due jobs of the given types in one statement: pending or failed jobs
 * whose `run_at` has come, and running jobs whose lease expired (their sweep died). `SKIP
 * LOCKED` lets concurrent sweeps take disjoint jobs instead of waiting on each other; each claim
 * counts as an attempt. Only types this Worker can run are claimed, so an older deployment
 * never takes (and kills) a job type introduced by a newer one.
 */
export async function claimDueJobs(
  db: Database,
  params: { owner: string; now: Date; leaseSeconds: number; limit: number; types: string[] },
): Promise<ClaimedJob[]> {
  if (params.types.length === 0 || params.limit <= 0) return [];
  const due = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        inArray(jobs.type, params.types),
        or(
          and(inArray(jobs.status, ["pending", "failed"]), lte(jobs.runAt, params.now)),
          and(eq(jobs.status, "running"), lte(jobs.leaseExpiresAt, params.now)),
        ),
      ),
    )
    .orderBy(jobs.runAt, jobs.id)
    .limit(params.limit)
    .for("update", { skipLocked: true });
  return db
    .update(jobs)
    .set({
      status: "running",
      attempts: sql`${jobs.attempts} + 1`,
      leaseOwner: params.owner,
      leaseExpiresAt: new Date(params.now.getTime() + params.leaseSeconds * 1000),
      updatedAt: params.now,
    })
    .where(inArray(jobs.id, due))
    .returning({
      id: jobs.id,
      type: jobs.type,
      payload: jobs.payload,
      attempts: jobs.attempts,
      maxAttempts: jobs.maxAttempts,
    });
}

/**
 * Running jobs whose lease expired after their last allowed attempt: their sweep died (or the
 * handler keeps crashing the isolate). They go to `dead` instead of being claimed again.
 */
export async function buryExhaustedJobs(db: Database, params: { now: Date }): Promise<number> {
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
    .returning({ id: jobs.id });
  return rows.length;
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
