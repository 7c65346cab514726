import * as z from "zod";
import { deleteBaselineSamplesBefore } from "../../db/queries/baseline-samples";
import { expireStaleDeployments } from "../../db/queries/deployments";
import { deleteFinishedJobs } from "../../db/queries/jobs";
import { deleteMetricSamplesBefore } from "../../db/queries/retention";
import { planLimits, projectPlans } from "../features/plans/limits";
import { defineJob } from "./define";
import { retryDelaySeconds } from "./retry";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Succeeded jobs are kept a week for support, dead ones a month (they explain failures). */
export const SUCCEEDED_JOB_RETENTION_DAYS = 7;
export const DEAD_JOB_RETENTION_DAYS = 30;
/** Continuous-baseline samples: a judge reads back a week (and half an hour), so 8 days. */
export const BASELINE_SAMPLE_RETENTION_DAYS = 8;
/** Bounded so one run stays well inside a cron invocation; the next hour takes the rest. */
const MAX_ROWS_PER_RUN = 5000;
/** Baseline samples are the bulk of the rows to delete: up to this many bounded batches an hour. */
const BASELINE_BATCHES_PER_RUN = 4;
/** Deployments' metric samples past their plan's retention: up to this many batches per plan. */
const SAMPLE_BATCHES_PER_PLAN = 2;

/**
 * Job `cleanup`: deletes expired rows (finished jobs, baseline samples, and each plan's metric
 * samples past its retention) and expires deployments whose finish never came. Enqueued
 * once an hour by the sweeper (see `schedulePeriodicJobs`): the key names the hour, so each hour
 * has one. Each delete is bounded; a backlog (say, after an outage of the cleanup) drains over
 * the following hours.
 */
export const cleanupJob = defineJob({
  type: "cleanup",
  payload: z.object({}),
  dedupeKey: (_payload, { runAt }) => `cleanup:${runAt.toISOString().slice(0, 13)}`,
  retry: { maxAttempts: 3, backoff: retryDelaySeconds },
  lane: "database",
  handler: async ({ db, now }) => {
    await expireStaleDeployments(db, { now });
    await deleteFinishedJobs(db, {
      succeededBefore: new Date(now.getTime() - SUCCEEDED_JOB_RETENTION_DAYS * DAY_MS),
      deadBefore: new Date(now.getTime() - DEAD_JOB_RETENTION_DAYS * DAY_MS),
      limit: MAX_ROWS_PER_RUN,
    });
    // At 200 projects a run (jobs/baseline.ts) an hour holds at most 12,000 samples: two batches.
    for (let batch = 0; batch < BASELINE_BATCHES_PER_RUN; batch++) {
      const deleted = await deleteBaselineSamplesBefore(db, {
        before: new Date(now.getTime() - BASELINE_SAMPLE_RETENTION_DAYS * DAY_MS),
        limit: MAX_ROWS_PER_RUN,
      });
      if (deleted < MAX_ROWS_PER_RUN) break;
    }
    // Verdicts, hints and deployments stay: they are what a team looks back at.
    for (const plan of projectPlans) {
      const before = new Date(now.getTime() - planLimits[plan].sampleRetentionDays * DAY_MS);
      for (let batch = 0; batch < SAMPLE_BATCHES_PER_PLAN; batch++) {
        const deleted = await deleteMetricSamplesBefore(db, { plan, before, limit: MAX_ROWS_PER_RUN });
        if (deleted < MAX_ROWS_PER_RUN) break;
      }
    }
  },
});
