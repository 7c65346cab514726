import { eq } from "drizzle-orm";
import type { Database } from "../client";
import { schedulerHeartbeats } from "../schema";

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
