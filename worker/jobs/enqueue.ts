import type { Database } from "../../db/client";
import { enqueueJob, type NewJob } from "../../db/queries/jobs";
import type { AnyJobDefinition, JobDefinition, JobPayload } from "./define";
import type { JobType, RegisteredJob } from "./registry";

export type PayloadOf<D> = D extends JobDefinition<string, infer P> ? P : never;

/** A row ready to insert, built by `jobRow` only. */
export type JobRow<T extends JobType = JobType> = NewJob & {
  type: T;
  payload: JobPayload;
  runAt: Date;
  dedupeKey: string;
  maxAttempts: number;
};

export interface JobRowOptions {
  /** Default: now, on the Worker's clock (the sweeper compares run_at with that clock). */
  runAt?: Date;
  /** The account whose work this is (fair claiming); default none, platform work. */
  tenantId?: string | null;
}

/**
 * The one way to build a job row: type, payload, dedupe key and attempts come from the job's
 * definition. Goes to `enqueue`, or to a statement that queues jobs with another change
 * (db/queries/deployments.ts `queueJobsAfter`).
 */
export function jobRow<D extends RegisteredJob>(
  definition: D,
  payload: PayloadOf<D>,
  options: JobRowOptions = {},
): JobRow<D["type"]> {
  const runAt = options.runAt ?? new Date();
  const job = definition as AnyJobDefinition;
  return {
    type: definition.type,
    payload,
    runAt,
    dedupeKey: job.dedupeKey(payload, { runAt }),
    maxAttempts: job.retry.maxAttempts,
    ...(options.tenantId !== undefined && { tenantId: options.tenantId }),
  };
}

/** Queues one job; a job with the same dedupe key already queued wins, and this returns null. */
export function enqueue<D extends RegisteredJob>(
  db: Database,
  definition: D,
  payload: PayloadOf<D>,
  options: JobRowOptions = {},
): Promise<number | null> {
  return enqueueJob(db, jobRow(definition, payload, options));
}
