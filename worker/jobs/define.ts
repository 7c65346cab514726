import type * as z from "zod";
import type { ClaimedJob } from "../../db/queries/jobs";
import type { RetryPolicy } from "./retry";
import {
  type BatchJobContext,
  type BatchJobHandler,
  type JobContext,
  type JobHandler,
  type JobOutcome,
  PermanentJobError,
} from "./types";

/**
 * Claim order of a sweep, lane after lane (registry.ts `jobLanes`): `database` work (analysis,
 * cleanup) finishes fast; `endpoints` work (collection) waits on customers' endpoints and can
 * use a whole sweep's budget, so it comes last and can never delay a verdict.
 */
export const jobLaneOrder = ["database", "endpoints"] as const;
export type JobLane = (typeof jobLaneOrder)[number];

/** A job's payload: a JSON object stored in `jobs.payload`. */
export type JobPayload = Record<string, unknown>;

/** A claimed job whose payload passed its type's schema. */
export type ParsedJob<P> = Omit<ClaimedJob, "payload"> & { payload: P };

export type ParsedJobContext<P> = Omit<JobContext, "job"> & { job: ParsedJob<P> };
export type ParsedBatchContext<P> = Omit<BatchJobContext, "jobs"> & { jobs: ParsedJob<P>[] };

/** What a job type is, apart from how it runs. */
export interface JobSpec<T extends string, P extends JobPayload> {
  /** Its name in `jobs.type`. */
  type: T;
  /** Checked at claim time: a row that fails it goes dead without running. */
  payload: z.ZodType<P>;
  /**
   * The row's `jobs.dedupe_key`: a second job with the same key is never queued. Rows in the
   * table keep the keys they were queued with, so a format change lets old and new twins both run.
   */
  dedupeKey: (payload: P, when: { runAt: Date }) => string;
  retry: RetryPolicy;
  lane: JobLane;
}

/**
 * A job type: its spec, and `run`, what the sweeper calls (the payload checked first, then the
 * type's handler). Jobs are at-least-once, so handlers must be idempotent (types.ts).
 */
export interface JobDefinition<
  T extends string = string,
  P extends JobPayload = JobPayload,
  R extends JobHandler | BatchJobHandler = JobHandler | BatchJobHandler,
> extends JobSpec<T, P> {
  run: R;
}

/** A job type of any name and payload, as lists of them hold it. */
// biome-ignore lint/suspicious/noExplicitAny: the payload type varies per job type.
export type AnyJobDefinition = JobDefinition<string, any>;

/** One job at a time: throwing retries it with backoff, `PermanentJobError` kills it. */
export function defineJob<T extends string, P extends JobPayload>(
  spec: JobSpec<T, P> & { handler: (context: ParsedJobContext<P>) => Promise<void> },
): JobDefinition<T, P, JobHandler>;
/** Many jobs of the type at once: one outcome per job, in the order given. */
export function defineJob<T extends string, P extends JobPayload>(
  spec: JobSpec<T, P> & { batch: (context: ParsedBatchContext<P>) => Promise<JobOutcome[]> },
): JobDefinition<T, P, BatchJobHandler>;
export function defineJob<T extends string, P extends JobPayload>(
  spec: JobSpec<T, P> & {
    handler?: (context: ParsedJobContext<P>) => Promise<void>;
    batch?: (context: ParsedBatchContext<P>) => Promise<JobOutcome[]>;
  },
): JobDefinition<T, P> {
  const { handler, batch, ...rest } = spec;
  const invalid = `invalid ${spec.type} payload`;
  if (handler) {
    const run: JobHandler = async (context) => {
      const payload = spec.payload.safeParse(context.job.payload);
      if (!payload.success) throw new PermanentJobError(invalid);
      await handler({ ...context, job: { ...context.job, payload: payload.data } });
    };
    return { ...rest, run };
  }
  if (!batch) throw new Error(`job type ${spec.type} has neither a handler nor a batch`);
  const run: BatchJobHandler = {
    async batch(context) {
      const outcomes: JobOutcome[] = [];
      const valid: ParsedJob<P>[] = [];
      const positions: number[] = [];
      context.jobs.forEach((job, index) => {
        const payload = spec.payload.safeParse(job.payload);
        if (!payload.success) {
          outcomes[index] = { ok: false, permanent: true, error: invalid };
          return;
        }
        positions.push(index);
        valid.push({ ...job, payload: payload.data });
      });
      if (valid.length === 0) return outcomes;
      const results = await batch({ ...context, jobs: valid });
      // A missing outcome stays a hole, which the sweeper records as a failure.
      results.forEach((outcome, i) => {
        const index = positions[i];
        if (index !== undefined) outcomes[index] = outcome;
      });
      return outcomes;
    },
  };
  return { ...rest, run };
}
