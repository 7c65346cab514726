import type { Database } from "../client";
import { jobs } from "../schema";

/**
 * One plain INSERT, the baseline the CI endpoints' benchmarks compare with. The row is a finished
 * job: never claimed, and deleted by the hourly cleanup.
 */
export async function insertBenchRow(db: Database, now: Date): Promise<void> {
  await db.insert(jobs).values({ type: "bench_insert", status: "succeeded", finishedAt: now });
}
