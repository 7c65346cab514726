import type { Database } from "../../db/client";
import type { ClaimedJob } from "../../db/queries/jobs";

export interface JobContext {
  db: Database;
  env: Env;
  job: ClaimedJob;
  /** The sweep's clock: handlers use it instead of `new Date()` so tests can move time. */
  now: Date;
}

/**
 * Runs one job. Must be idempotent: a job can run again after its sweep died mid-way
 * (at-least-once). Throwing retries it with backoff; throwing `PermanentJobError` kills it.
 */
export type JobHandler = (context: JobContext) => Promise<void>;

export type JobHandlers = Record<string, JobHandler>;

/** A failure that retrying cannot fix (bad payload, a deleted target): the job goes dead. */
export class PermanentJobError extends Error {
  override name = "PermanentJobError";
}

/** Not ready yet (e.g. samples still being retried): run again at `until`, no attempt used. */
export class DeferJobError extends Error {
  override name = "DeferJobError";
  constructor(
    readonly until: Date,
    message = "deferred",
  ) {
    super(message);
  }
}
