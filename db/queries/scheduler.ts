import { eq, sql } from "drizzle-orm";
import type { Database } from "../client";
import { jobs, schedulerHeartbeats } from "../schema";

export interface SweepRecord {
  name: string;
  startedAt: Date;
  finishedAt: Date;
  claimed: number;
  succeeded: number;
  failed: number;
}

export async function recordSweep(db: Database, sweep: SweepRecord): Promise<void> {
  const values = {
    lastSweepStartedAt: sweep.startedAt,
    lastSweepFinishedAt: sweep.finishedAt,
    claimed: sweep.claimed,
    succeeded: sweep.succeeded,
    failed: sweep.failed,
  };
  await db
    .insert(schedulerHeartbeats)
    .values({ name: sweep.name, ...values })
    .onConflictDoUpdate({ target: schedulerHeartbeats.name, set: values });
}

export async function getLastSweep(db: Database, name: string) {
  const rows = await db.select().from(schedulerHeartbeats).where(eq(schedulerHeartbeats.name, name));
  return rows[0] ?? null;
}

export interface SchedulerSnapshot {
  lastSweep: {
    startedAt: Date;
    finishedAt: Date;
    claimed: number;
    succeeded: number;
    failed: number;
  } | null;
  jobs: { pending: number; running: number; failed: number; dead: number };
  /** Dead since `recentSince` (platform types only), failed (waiting for a retry) since then, running with a lease expired before `stuckBefore`. */
  recent: { dead: number; failed: number; stuckRunning: number };
}

/**
 * What health reads, in one statement (one connection, one round trip: health is polled): the
 * scheduler's last sweep, the jobs by status, and the recent failures.
 */
export async function readSchedulerSnapshot(
  db: Database,
  params: {
    name: string;
    recentSince: Date;
    stuckBefore: Date;
    /** Types whose dead jobs are left out of `recent.dead` (failures on a customer's side). */
    customerSideTypes?: readonly string[];
  },
): Promise<SchedulerSnapshot> {
  const customerSide = params.customerSideTypes ?? [];
  const platformType =
    customerSide.length > 0
      ? sql`${jobs.type} not in (${sql.join(
          customerSide.map((type) => sql`${type}`),
          sql`, `,
        )})`
      : sql`true`;
  const since = sql`${params.recentSince.toISOString()}::timestamptz`;
  const stuck = sql`${params.stuckBefore.toISOString()}::timestamptz`;
  const result = await db.execute<{
    started_at: string | Date | null;
    finished_at: string | Date | null;
    claimed: number | null;
    succeeded: number | null;
    sweep_failed: number | null;
    pending: number;
    running: number;
    failed: number;
    dead: number;
    recent_dead: number;
    recent_failed: number;
    stuck_running: number;
  }>(sql`
    select h.last_sweep_started_at as started_at, h.last_sweep_finished_at as finished_at,
      h.claimed, h.succeeded, h.failed as sweep_failed, j.*
    from (
      select
        count(*) filter (where ${jobs.status} = 'pending')::int as pending,
        count(*) filter (where ${jobs.status} = 'running')::int as running,
        count(*) filter (where ${jobs.status} = 'failed')::int as failed,
        count(*) filter (where ${jobs.status} = 'dead')::int as dead,
        count(*) filter (where ${jobs.status} = 'dead' and ${jobs.finishedAt} >= ${since} and ${platformType})::int as recent_dead,
        count(*) filter (where ${jobs.status} = 'failed' and ${jobs.updatedAt} >= ${since})::int as recent_failed,
        count(*) filter (where ${jobs.status} = 'running' and ${jobs.leaseExpiresAt} < ${stuck})::int as stuck_running
      from ${jobs}
    ) as j
    left join ${schedulerHeartbeats} as h on h.name = ${params.name}`);
  const row = result.rows[0];
  const n = (value: unknown) => Number(value ?? 0);
  return {
    lastSweep:
      row?.finished_at && row.started_at
        ? {
            startedAt: new Date(row.started_at),
            finishedAt: new Date(row.finished_at),
            claimed: n(row.claimed),
            succeeded: n(row.succeeded),
            failed: n(row.sweep_failed),
          }
        : null,
    jobs: { pending: n(row?.pending), running: n(row?.running), failed: n(row?.failed), dead: n(row?.dead) },
    recent: { dead: n(row?.recent_dead), failed: n(row?.recent_failed), stuckRunning: n(row?.stuck_running) },
  };
}
