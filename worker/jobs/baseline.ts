import type { Database } from "../../db/client";
import { claimDueBaselines, releaseBaselineClaims } from "../../db/queries/baseline-samples";
import { type BaselineCollection, collectBaselineSamples } from "../features/collection/baseline";

/**
 * Projects sampled per scheduled run at most: a run that finds more due leaves the rest (the
 * longest due first, next time) to the next minute. Measured (docs/benchmarks.md): a pass of
 * this size against endpoints that answer takes a few seconds of the budget left after the sweep.
 */
export const BASELINE_PROJECTS_PER_RUN = 200;
/** Per account and run: one account's hundred projects cannot take a whole run's share. */
export const BASELINE_PROJECTS_PER_OWNER = 10;

export interface BaselinePassOptions {
  env: Env;
  /** The run's clock (the scheduled time): samples are stamped with it, due times count from it. */
  now: Date;
  /** Wall-clock ms: the end of the run's budget, shared with the job sweep that ran first. */
  deadline: number;
  limit?: number;
  perOwnerLimit?: number;
  /** Fetches in flight; the collection default (the Worker's outgoing connection budget). */
  concurrency?: number;
  /** Per fetch; the collection default unless a test needs a shorter one. */
  timeoutMs?: number;
}

export interface BaselinePassResult {
  claimed: number;
  stored: number;
  failed: BaselineCollection["failed"];
  /** Claimed but not started before the deadline, and given back. */
  released: number;
}

/**
 * The continuous baseline: after the job sweep (deployment sampling first), one sample of each
 * idle project due for one, in the time the sweep left. Nothing is claimed once the deadline has
 * passed; fetches still in flight at the deadline finish (bounded by the fetch timeout), those
 * not started are given back to be due again at once.
 */
export async function runBaselinePass(
  db: Database,
  options: BaselinePassOptions,
): Promise<BaselinePassResult> {
  const result: BaselinePassResult = { claimed: 0, stored: 0, failed: {}, released: 0 };
  if (Date.now() >= options.deadline) return result;
  const claims = await claimDueBaselines(db, {
    now: options.now,
    limit: options.limit ?? BASELINE_PROJECTS_PER_RUN,
    perOwnerLimit: options.perOwnerLimit ?? BASELINE_PROJECTS_PER_OWNER,
  });
  result.claimed = claims.length;
  if (claims.length === 0) return result;
  const collected = await collectBaselineSamples(db, options.env, claims, {
    now: options.now,
    deadline: options.deadline,
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
  });
  await releaseBaselineClaims(db, collected.notStarted);
  return {
    ...result,
    stored: collected.stored,
    failed: collected.failed,
    released: collected.notStarted.length,
  };
}
