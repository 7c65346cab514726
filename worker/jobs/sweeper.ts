import type { Database } from "../../db/client";
import {
  buryExhaustedJobs,
  type ClaimedJob,
  claimDueJobs,
  completeJobs,
  type JobCompletion,
  tenantKey,
} from "../../db/queries/jobs";
import { recordSweep } from "../../db/queries/scheduler";
import { forEachConcurrently } from "../lib/concurrency";
import { describeError, log } from "../lib/log";
import { incrementCounter, observeHistogram } from "../lib/metrics";
import { withTimeout } from "../lib/time";
import { cleanupJob } from "./cleanup";
import { enqueue } from "./enqueue";
import { type Backoff, retryDelaySeconds } from "./retry";
import {
  type BatchJobHandler,
  DeferJobError,
  type JobHandlers,
  type JobOutcome,
  PermanentJobError,
} from "./types";

export const SWEEPER_NAME = "sweeper";

export interface SweepOptions {
  /** What to run per job type; the Worker passes the registry's (registry.ts `registeredSweep`). */
  handlers: JobHandlers;
  env: Env;
  now?: Date;
  /** Identifies this sweep's leases; random by default. */
  owner?: string;
  /** Jobs claimed (and recorded) per batch; a sweep runs batches until nothing is due. */
  batchSize?: number;
  /**
   * Job types claimed together, lane after lane, each lane until nothing of it is due (or the
   * budget is spent): work that cannot stall (analysis) goes in a lane before work that waits
   * on customers' endpoints (collection), so the latter never starves the former. Types in no
   * lane form a last one. Default: one lane.
   */
  lanes?: string[][];
  /** Each type's wait between attempts (a job type's `retry.backoff`); default `retryDelaySeconds`. */
  backoffs?: Record<string, Backoff>;
  /**
   * Claims per tenant (account) per sweep and lane before any tenant gets more (default 25):
   * every account's share of due work is claimed first; only then, while the budget lasts, the
   * rest of the backlogs (still round-robin), so a big account is not held to a trickle when
   * nobody else is waiting. Platform work (no tenant) is not capped.
   */
  perTenantLimit?: number;
  /** Wall-clock time after which a sweep claims no more batches (default 40 s, inside the minute). */
  budgetMs?: number;
  /**
   * Single-job handlers run at once within a batch (default 2, the size of the sweep's database
   * pool); batch handlers bound their own work.
   */
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
  /** Claim-run-record rounds. */
  batches: number;
}

/** A sweep's wall-clock budget; the continuous baseline (jobs/baseline.ts) gets what it leaves. */
export const SWEEP_BUDGET_MS = 40_000;
const DEFAULT_PER_TENANT_LIMIT = 25;

/** Periodic work rides the same queue; the dedupe key makes each period's job unique. */
export async function schedulePeriodicJobs(db: Database, now: Date): Promise<void> {
  await enqueue(db, cleanupJob, {}, { runAt: now });
}

/**
 * One pass of the scheduler: claim due jobs a batch at a time, run them, record each batch's
 * outcomes in one statement, until nothing is due or the time budget is spent; then a heartbeat.
 */
export async function runSweep(db: Database, options: SweepOptions): Promise<SweepResult> {
  const startedAt = options.now ?? new Date();
  const deadline = Date.now() + (options.budgetMs ?? SWEEP_BUDGET_MS);
  const owner = options.owner ?? crypto.randomUUID();
  const batchSize = options.batchSize ?? 100;
  const result: SweepResult = {
    owner,
    claimed: 0,
    succeeded: 0,
    failed: 0,
    dead: 0,
    deferred: 0,
    lostLeases: 0,
    batches: 0,
  };

  if (options.handlers[cleanupJob.type]) await schedulePeriodicJobs(db, startedAt);
  const buried = await buryExhaustedJobs(db, { now: startedAt });
  result.dead += buried.length;
  for (const type of buried) {
    incrementCounter("seqpulse_scheduler_jobs_failed_total", { job_type: type, outcome: "dead" });
    log("error", "job_failed", { type, reason: "lease expired on the last attempt" });
  }
  for (const types of claimLanes(options)) {
    // Claims per tenant so far in this lane: later batches continue the round-robin.
    const served = new Map<string, number>();
    // Shares first; once they are all claimed, the rest of the backlogs.
    let capped = true;
    for (;;) {
      // The first batch always runs, so a sweep started late still makes progress.
      if (result.batches > 0 && Date.now() >= deadline) break;
      const claimed = await claimDueJobs(db, {
        owner,
        now: startedAt,
        leaseSeconds: options.leaseSeconds ?? 300,
        limit: batchSize,
        types,
        perTenantLimit: capped ? (options.perTenantLimit ?? DEFAULT_PER_TENANT_LIMIT) : undefined,
        served,
      });
      if (claimed.length === 0) {
        if (!capped) break;
        capped = false;
        continue;
      }
      for (const job of claimed) {
        served.set(tenantKey(job.tenantId), (served.get(tenantKey(job.tenantId)) ?? 0) + 1);
        if (job.runAt) {
          const delay = Math.max(0, startedAt.getTime() - job.runAt.getTime()) / 1000;
          observeHistogram("seqpulse_scheduler_job_start_delay_seconds", { job_type: job.type }, delay);
        }
      }
      result.batches += 1;
      result.claimed += claimed.length;
      const outcomes = await runBatch(db, options, claimed, startedAt, deadline);
      await recordOutcomes(db, options, owner, claimed, outcomes, result);
      // A short batch means every tenant with work had its share (then the backlogs come next)
      // or nothing else is due; a spent budget leaves the rest to the next minute's sweep.
      if (claimed.length < batchSize) {
        if (!capped) break;
        capped = false;
      }
    }
  }

  incrementCounter("seqpulse_scheduler_sweeps_total", {});
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

/** The lanes to claim in: the configured ones (types this sweep has handlers for), then the rest. */
function claimLanes(options: SweepOptions): string[][] {
  const known = new Set(Object.keys(options.handlers));
  const lanes = (options.lanes ?? []).map((lane) => lane.filter((type) => known.has(type)));
  const laned = new Set(lanes.flat());
  const rest = [...known].filter((type) => !laned.has(type));
  return [...lanes, rest].filter((lane) => lane.length > 0);
}

/** Runs one claimed batch: each batch handler once with its jobs, other jobs on a small pool. */
async function runBatch(
  db: Database,
  options: SweepOptions,
  claimed: ClaimedJob[],
  now: Date,
  deadline: number,
): Promise<Map<number, JobOutcome>> {
  const outcomes = new Map<number, JobOutcome>();
  const single: ClaimedJob[] = [];
  const byType = new Map<string, ClaimedJob[]>();
  for (const job of claimed) {
    const handler = options.handlers[job.type];
    const group = byType.get(job.type);
    if (!handler || typeof handler === "function") single.push(job);
    else if (group) group.push(job);
    else byType.set(job.type, [job]);
  }
  const timeoutMs = options.handlerTimeoutMs ?? 60_000;

  const batches = [...byType].map(async ([type, jobs]) => {
    const handler = options.handlers[type] as BatchJobHandler;
    const results = await settle(
      handler.batch({
        db,
        env: options.env,
        jobs,
        now,
        deadline: Math.min(deadline, Date.now() + timeoutMs),
      }),
      timeoutMs,
    );
    jobs.forEach((job, i) => {
      const outcome = Array.isArray(results) ? results[i] : results;
      outcomes.set(job.id, outcome ?? { ok: false, permanent: false, error: "no outcome returned" });
    });
  });

  const singles = forEachConcurrently(single, options.concurrency ?? 2, async (job) => {
    const handler = options.handlers[job.type];
    outcomes.set(
      job.id,
      typeof handler === "function"
        ? await settle(
            handler({ db, env: options.env, job, now }).then(() => ({ ok: true }) as const),
            timeoutMs,
          )
        : { ok: false, permanent: true, error: `no handler for job type ${job.type}` },
    );
  });
  await Promise.all([...batches, singles]);
  return outcomes;
}

/** A handler's promise as an outcome: thrown errors and timeouts become failures. */
async function settle<T>(work: Promise<T>, timeoutMs: number): Promise<T | JobOutcome> {
  try {
    const timedOut = Symbol("timeout");
    const value = await withTimeout(work, timeoutMs, timedOut);
    if (value === timedOut) return { ok: false, permanent: false, error: `timed out after ${timeoutMs} ms` };
    return value;
  } catch (error) {
    if (error instanceof DeferJobError) return { ok: false, deferUntil: error.until };
    return {
      ok: false,
      permanent: error instanceof PermanentJobError,
      error: describeError(error).error,
    };
  }
}

/** Turns outcomes into job states (retry time, dead after the last attempt) in one statement. */
async function recordOutcomes(
  db: Database,
  options: SweepOptions,
  owner: string,
  claimed: ClaimedJob[],
  outcomes: Map<number, JobOutcome>,
  result: SweepResult,
): Promise<void> {
  const now = options.now ?? new Date();
  const random = options.random ?? Math.random;
  const completions: JobCompletion[] = claimed.map((job) => {
    const outcome = outcomes.get(job.id) ?? { ok: false, permanent: false, error: "no outcome" };
    if (outcome.ok) return { id: job.id, status: "succeeded" };
    // Never back into this sweep's own window: a deferral always waits at least a second.
    if ("deferUntil" in outcome)
      return {
        id: job.id,
        status: "pending",
        runAt: new Date(Math.max(outcome.deferUntil.getTime(), now.getTime() + 1000)),
      };
    if (outcome.permanent || job.attempts >= job.maxAttempts)
      return { id: job.id, status: "dead", error: outcome.error };
    const backoff = options.backoffs?.[job.type] ?? retryDelaySeconds;
    const runAt = new Date(now.getTime() + backoff(job.attempts, random) * 1000);
    return { id: job.id, status: "failed", runAt, error: outcome.error };
  });
  const recorded = await completeJobs(db, { owner, now, completions });
  completions.forEach((completion, i) => {
    const job = claimed[i] as ClaimedJob;
    if (!recorded.has(completion.id)) {
      result.lostLeases += 1;
      return;
    }
    if (completion.status === "succeeded") result.succeeded += 1;
    else if (completion.status === "pending") result.deferred += 1;
    else {
      result.failed += 1;
      if (completion.status === "dead") result.dead += 1;
      const final = completion.status === "dead";
      incrementCounter("seqpulse_scheduler_jobs_failed_total", {
        job_type: job.type,
        outcome: final ? "dead" : "retry",
      });
      // §14.3's event names: job_failed once no attempt is left, job_retry_scheduled before.
      log(final ? "error" : "warn", final ? "job_failed" : "job_retry_scheduled", {
        jobId: job.id,
        type: job.type,
        attempt: job.attempts,
        error: completion.error,
        retryAt: completion.runAt?.toISOString(),
      });
    }
  });
}
