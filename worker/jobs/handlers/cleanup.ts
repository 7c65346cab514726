import { expireStaleDeployments } from "../../../db/queries/deployments";
import { deleteFinishedJobs } from "../../../db/queries/jobs";
import type { JobHandler } from "../types";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Succeeded jobs are kept a week for support, dead ones a month (they explain failures). */
export const SUCCEEDED_JOB_RETENTION_DAYS = 7;
export const DEAD_JOB_RETENTION_DAYS = 30;
/** Bounded so one run stays well inside a cron invocation; the next hour takes the rest. */
const MAX_ROWS_PER_RUN = 5000;

/**
 * Deletes expired rows and expires deployments whose finish never came. Enqueued once an hour
 * by the sweeper (see `schedulePeriodicJobs`).
 */
export const cleanupHandler: JobHandler = async ({ db, now }) => {
  await expireStaleDeployments(db, { now });
  await deleteFinishedJobs(db, {
    succeededBefore: new Date(now.getTime() - SUCCEEDED_JOB_RETENTION_DAYS * DAY_MS),
    deadBefore: new Date(now.getTime() - DEAD_JOB_RETENTION_DAYS * DAY_MS),
    limit: MAX_ROWS_PER_RUN,
  });
};
