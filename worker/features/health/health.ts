import { sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { readSchedulerSnapshot } from "../../../db/queries/scheduler";
import { SWEEPER_NAME } from "../../jobs/sweeper";
import { constantTimeEqualString } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { withTimeout } from "../../lib/time";

/** A health check answers within this, even when the database hangs. */
export const HEALTH_CHECK_TIMEOUT_MS = 3_000;
/** The cron fires every minute; three missed sweeps in a row mean the scheduler is down. */
export const SCHEDULER_STALE_AFTER_MS = 3 * 60 * 1000;

export async function checkDatabase(db: Database): Promise<boolean> {
  const ping = db.execute(sql`select 1`).then(
    () => true,
    () => false,
  );
  return withTimeout(ping, HEALTH_CHECK_TIMEOUT_MS, false);
}

/** Failures judged over this window: a dead job an hour ago no longer makes health degraded. */
export const RECENT_FAILURE_WINDOW_MS = 15 * 60 * 1000;
/**
 * Job types that die when a customer's side refuses: their metrics endpoint (a sample), their
 * webhook receiver, their Slack workspace. Those deaths are recorded on the deployment or the
 * delivery, where the customer sees them; they say nothing about the platform, so they do not
 * count in `failed_jobs` (one tenant's broken endpoint would otherwise degrade everyone's health).
 */
export const CUSTOMER_SIDE_JOB_TYPES: readonly string[] = [
  "collect_sample",
  "deliver_webhook",
  "deliver_slack",
];
/** A running job whose lease expired this long ago was not taken back by the sweeps: stuck. */
export const STUCK_AFTER_LEASE_MS = 2 * 60 * 1000;

/** The checks of §14.2, by name; `reasons` lists the ones that failed. */
export const schedulerCheckNames = [
  "scheduler_db_query",
  "scheduler_heartbeat_fresh",
  "stuck_running_jobs",
  "failed_jobs",
] as const;
export type SchedulerCheck = (typeof schedulerCheckNames)[number];

export interface SchedulerHealth {
  status: "ok" | "stale" | "degraded";
  stale: boolean;
  lastSweepAt: string | null;
  lastSweep: { claimed: number; succeeded: number; failed: number } | null;
  jobs: { pending: number; running: number; failed: number; dead: number };
  /** Over the last RECENT_FAILURE_WINDOW_MS (dead, failed) and leases expired STUCK_AFTER_LEASE_MS ago. */
  recent: { windowSeconds: number; dead: number; failed: number; stuckRunning: number };
  checks: Record<SchedulerCheck, boolean>;
  reasons: SchedulerCheck[];
}

/** The failed checks, in their documented order. */
export function reasonsOf<Name extends string>(checks: Partial<Record<Name, boolean>>): Name[] {
  return (Object.entries(checks) as [Name, boolean][]).filter(([, ok]) => !ok).map(([name]) => name);
}

/**
 * The scheduler's health: its last sweep (fresh within SCHEDULER_STALE_AFTER_MS), the job counts,
 * and the recent failures. Null when the database does not answer in time.
 */
export async function readSchedulerHealth(db: Database, now: Date): Promise<SchedulerHealth | null> {
  const read = readSchedulerSnapshot(db, {
    name: SWEEPER_NAME,
    recentSince: new Date(now.getTime() - RECENT_FAILURE_WINDOW_MS),
    stuckBefore: new Date(now.getTime() - STUCK_AFTER_LEASE_MS),
    customerSideTypes: CUSTOMER_SIDE_JOB_TYPES,
  }).then(
    (snapshot) => snapshot,
    () => null,
  );
  const snapshot = await withTimeout(read, HEALTH_CHECK_TIMEOUT_MS, null);
  if (!snapshot) return null;
  const { lastSweep: sweep, jobs: counts, recent } = snapshot;
  const lastSweepAt = sweep?.finishedAt ?? null;
  const stale = !lastSweepAt || now.getTime() - lastSweepAt.getTime() > SCHEDULER_STALE_AFTER_MS;
  const checks: Record<SchedulerCheck, boolean> = {
    scheduler_db_query: true,
    scheduler_heartbeat_fresh: !stale,
    stuck_running_jobs: recent.stuckRunning === 0,
    failed_jobs: recent.dead === 0,
  };
  const reasons = reasonsOf(checks);
  return {
    status: stale ? "stale" : reasons.length > 0 ? "degraded" : "ok",
    stale,
    lastSweepAt: lastSweepAt?.toISOString() ?? null,
    lastSweep: sweep ? { claimed: sweep.claimed, succeeded: sweep.succeeded, failed: sweep.failed } : null,
    jobs: counts,
    recent: { windowSeconds: RECENT_FAILURE_WINDOW_MS / 1000, ...recent },
    checks,
    reasons,
  };
}

/**
 * Whether the caller is an operator: `Authorization: Bearer <OPERATOR_TOKEN>`. No header is an
 * anonymous caller; a wrong token is a 401, so a monitor with a stale token notices. With
 * OPERATOR_TOKEN unset or empty nobody is an operator.
 */
export function isOperator(authorization: string | undefined, operatorToken: string | undefined): boolean {
  if (!authorization) return false;
  const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  if (!token || !operatorToken || !constantTimeEqualString(token, operatorToken)) {
    throw new ApiError("UNAUTHENTICATED", "Invalid operator token.");
  }
  return true;
}
