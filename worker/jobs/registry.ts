import { analyzeDeploymentJob } from "./analyze-deployment";
import { cleanupJob } from "./cleanup";
import { collectSampleJob } from "./collect-sample";
import { jobLaneOrder } from "./define";
import { deliverWebhookJob } from "./deliver-webhook";
import type { Backoff } from "./retry";
import { sendEmailJob } from "./send-email";
import type { JobHandlers } from "./types";

/**
 * Every job type this Worker knows how to run: one file each, beside this one. Rows are built
 * and queued through enqueue.ts.
 */
export const registeredJobs = [
  analyzeDeploymentJob,
  cleanupJob,
  collectSampleJob,
  deliverWebhookJob,
  sendEmailJob,
] as const;

export type RegisteredJob = (typeof registeredJobs)[number];
/** The names a row of `jobs.type` can hold. */
export type JobType = RegisteredJob["type"];

/** What the sweeper runs for each type (the payload checked first). */
export const jobHandlers: JobHandlers = Object.fromEntries(registeredJobs.map((job) => [job.type, job.run]));

/** Claim order (runSweep's lanes), from each type's lane: see `jobLaneOrder`. */
export const jobLanes: string[][] = jobLaneOrder.map((lane) =>
  registeredJobs.filter((job) => job.lane === lane).map((job) => job.type),
);

/** Each type's wait between attempts. */
export const jobBackoffs: Record<string, Backoff> = Object.fromEntries(
  registeredJobs.map((job) => [job.type, job.retry.backoff]),
);

/** The registry as the sweeper takes it (`runSweep` options). */
export const registeredSweep = { handlers: jobHandlers, lanes: jobLanes, backoffs: jobBackoffs };
