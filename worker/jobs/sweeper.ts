import type { Database } from "../../db/client";
import {
  buryExhaustedJobs,
  type ClaimedJob,
  claimDueJobs,
  deferJob,
  enqueueJob,
  markJobFailed,
  markJobSucceeded,
} from "../../db/queries/jobs";
import { recordSweep } from "../../db/queries/scheduler";
import { describeError, log } from "../lib/log";
import { withTimeout } from "../lib/time";
import { DeferJobError, type JobHandlers, PermanentJobError } from "./types";

export const SWEEPER_NAME = "sweeper";

export interface SweepOptions {
  handlers: JobHandlers;
  env: Env;
  now?: Date;
  /** Identifies this sweep's leases; random by default. */
  owner?: string;
  /** Jobs claimed per sweep: bounded so a sweep fits in one cron invocation. */
  batchSize?: number;
  /** Jobs run at once within a sweep. */
  concurrency?: number;
  /** How long a claim is held before another sweep may take the job over. */
  leaseSeconds?: number;
  /** A handler still running after this is counted as failed (and retried). */
  handlerTimeoutMs?: number;
  /** Jitter source, for deterministic tests. */
  random?: () => number;
}

export interface SweepResult {
  owner: string;
  claimed: number;
  succeeded: number;
  failed: number;
  dead: number;
  /** Not ready yet, put back to wait without using an attempt. */
  deferred: number;
  /** Completions refused because another sweep had taken the job over. */
  lostLeases: number;
}

const BASE_RETRY_SECONDS = 30;
const MAX_RETRY_SECONDS = 60 * 60;

/**
 * Seconds before retry number `attempt` (1-based): 30 s, 2 min, 8 min, 32 min, then an hour,
 * each within +/-20 % so jobs that failed together do not retry in lockstep.
 */
export function retryDelaySeconds(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BASE_RETRY_SECONDS * 4 ** Math.max(0, attempt - 1), MAX_RETRY_SECONDS);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Periodic work rides the same queue; the dedupe key makes each period's job unique. */
export async function schedulePeriodicJobs(db: Database, now: Date): Promise<void> {
  const hour = now.toISOString().slice(0, 13);
  await enqueueJob(db, { type: "cleanup", dedupeKey: `cleanup:${hour}`, maxAttempts: 3, runAt: now });
}

/** One pass of the scheduler: claim due jobs, run them, record outcomes and a heartbeat. */
export async function runSweep(db: Database, options: SweepOptions): Promise<SweepResult> {
  const startedAt = options.now ?? new Date();
  const owner = options.owner ?? crypto.randomUUID();
  const random = options.random ?? Math.random;
  const result: SweepResult = {
    owner,
    claimed: 0,
    succeeded: 0,
    failed: 0,
    dead: 0,
    deferred: 0,
    lostLeases: 0,
  };

  if (options.handlers.cleanup) await schedulePeriodicJobs(db, startedAt);
  result.dead += await buryExhaustedJobs(db, { now: startedAt });
  const claimed = await claimDueJobs(db, {
    owner,
    now: startedAt,
    leaseSeconds: options.leaseSeconds ?? 300,
    limit: options.batchSize ?? 25,
    types: Object.keys(options.handlers),
  });
  result.claimed = claimed.length;

  const runOne = async (job: ClaimedJob) => {
    const outcome = await runHandler(db, options, job, startedAt);
    const now = options.now ?? new Date();
    if (outcome.ok) {
      if (await markJobSucceeded(db, { id: job.id, owner, now })) result.succeeded += 1;
      else result.lostLeases += 1;
      return;
    }
    if ("deferUntil" in outcome) {
      if (await deferJob(db, { id: job.id, owner, runAt: outcome.deferUntil, now })) result.deferred += 1;
      else result.lostLeases += 1;
      return;
    }
    const final = outcome.permanent || job.attempts >= job.maxAttempts;
    const retryAt = final ? null : new Date(now.getTime() + retryDelaySeconds(job.attempts, random) * 1000);
    if (!(await markJobFailed(db, { id: job.id, owner, now, error: outcome.error, retryAt }))) {
      result.lostLeases += 1;
      return;
    }
    result.failed += 1;
    if (final) result.dead += 1;
    log(final ? "error" : "warn", final ? "job dead" : "job failed, will retry", {
      jobId: job.id,
      type: job.type,
      attempt: job.attempts,
      error: outcome.error,
      retryAt: retryAt?.toISOString(),
    });
  };

  // A small fixed pool of runners: bounded concurrency without a dependency.
  const queue = [...claimed];
  const runners = Array.from({ length: Math.min(options.concurrency ?? 5, queue.length) }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await runOne(job);
  });
  await Promise.all(runners);

  await recordSweep(db, {
    name: SWEEPER_NAME,
    startedAt,
    finishedAt: options.now ?? new Date(),
    claimed: result.claimed,
    succeeded: result.succeeded,
    failed: result.failed,
  });
  return result;
}

type HandlerOutcome =
  | { ok: true }
  | { ok: false; deferUntil: Date }
  | { ok: false; permanent: boolean; error: string };

async function runHandler(
  db: Database,
  options: SweepOptions,
  job: ClaimedJob,
  now: Date,
): Promise<HandlerOutcome> {
  const handler = options.handlers[job.type];
  if (!handler) return { ok: false, permanent: true, error: `no handler for job type ${job.type}` };
  const timeoutMs = options.handlerTimeoutMs ?? 60_000;
  try {
    const finished = await withTimeout(
      handler({ db, env: options.env, job, now }).then(() => true as const),
      timeoutMs,
      false as const,
    );
    if (!finished) return { ok: false, permanent: false, error: `timed out after ${timeoutMs} ms` };
    return { ok: true };
  } catch (error) {
    if (error instanceof DeferJobError) return { ok: false, deferUntil: error.until };
    return {
      ok: false,
      permanent: error instanceof PermanentJobError,
      error: describeError(error).error,
    };
  }
}
