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

/** What became of one job; the sweeper records every outcome of a batch in one statement. */
export type JobOutcome =
  | { ok: true }
  | { ok: false; deferUntil: Date }
  | { ok: false; permanent: boolean; error: string };

export interface BatchJobContext {
  db: Database;
  env: Env;
  jobs: ClaimedJob[];
  now: Date;
  /** Wall-clock time (ms) after which no new work may start: defer what is left. */
  deadline: number;
}

/**
 * Runs many jobs of one type together, so their database work costs a few statements per
 * batch instead of a few per job. Returns one outcome per job, in the order given; the same
 * idempotency rule as `JobHandler` applies.
 */
export interface BatchJobHandler {
  batch: (context: BatchJobContext) => Promise<JobOutcome[]>;
}

export type JobHandlers = Record<string, JobHandler | BatchJobHandler>;

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
