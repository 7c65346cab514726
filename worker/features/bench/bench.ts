import type { Database } from "../../../db/client";
import { insertBenchRow } from "../../../db/queries/bench";

/** The database work a benchmark measures the CI endpoints against: one INSERT, nothing else. */
export function insertBaselineRow(db: Database, now: Date): Promise<void> {
  return insertBenchRow(db, now);
}
