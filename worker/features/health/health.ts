import { sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { countJobsByStatus } from "../../../db/queries/jobs";
import { getLastSweep } from "../../../db/queries/scheduler";
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

export interface SchedulerHealth {
  status: "ok" | "stale";
  stale: boolean;
  lastSweepAt: string | null;
  lastSweep: { claimed: number; succeeded: number; failed: number } | null;
  jobs: { pending: number; running: number; failed: number; dead: number };
}

export async function readSchedulerHealth(db: Database, now: Date): Promise<SchedulerHealth | null> {
  const read = Promise.all([getLastSweep(db, SWEEPER_NAME), countJobsByStatus(db)]).then(
    (values) => values,
    () => null,
  );
  const values = await withTimeout(read, HEALTH_CHECK_TIMEOUT_MS, null);
  if (!values) return null;
  const [sweep, counts] = values;
  const lastSweepAt = sweep?.lastSweepFinishedAt ?? null;
  const stale = !lastSweepAt || now.getTime() - lastSweepAt.getTime() > SCHEDULER_STALE_AFTER_MS;
  return {
    status: stale ? "stale" : "ok",
    stale,
    lastSweepAt: lastSweepAt?.toISOString() ?? null,
    lastSweep: sweep ? { claimed: sweep.claimed, succeeded: sweep.succeeded, failed: sweep.failed } : null,
    jobs: { pending: counts.pending, running: counts.running, failed: counts.failed, dead: counts.dead },
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
