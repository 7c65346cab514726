import type * as z from "zod";
import { analyzeDeploymentJob } from "../../jobs/analyze-deployment";
import { collectSampleJob, collectSampleKey } from "../../jobs/collect-sample";
import { type JobRow, jobRow } from "../../jobs/enqueue";
import { sha256Hex } from "../../lib/crypto";
import type { MetricSample } from "../analysis/types";
import type { triggerBody } from "./schemas";

/** A deployment whose finish never comes stops blocking its environment after this. */
export const RUNNING_DEPLOYMENT_TTL_MS = 2 * 60 * 60 * 1000;
export const SAMPLE_INTERVAL_MS = 60 * 1000;
/**
 * The verdict normally comes from the sweep that stores a window's last sample (analyze.ts). The
 * analysis job is a backstop due when the window ends: if a sample is being retried then, it
 * waits at most this long past the end (the first retry comes about 30 s after a failure, within
 * the next sweep), then judges what is there. A sample still missing lowers data quality; it
 * never holds the verdict for minutes.
 */
export const LAST_SAMPLE_WAIT_MS = 45 * 1000;
/** PRE samples after the one taken at the trigger: one a minute until the finish, at most this many. */
export const PRE_SAMPLES_AFTER_TRIGGER = 10;

/** What a trigger's body says about the deployment (all but its idempotency key). */
export type TriggerFields = Omit<z.output<typeof triggerBody>, "idempotency_key">;

/**
 * Binds an idempotency key to the request: same key + same body = the same deployment. The
 * pipeline's context fields join the hashed list only when one is sent, so a body without them
 * hashes as it always did: a retry in flight across a release still replays.
 */
export function triggerFingerprint(body: TriggerFields): Promise<string> {
  const fields = [body.env, body.branch ?? null, body.commit_sha ?? null, body.metrics_endpoint ?? null];
  const context = [body.version, body.commit_url, body.ci_run_url, body.actor];
  if (context.some((value) => value !== undefined)) fields.push(...context.map((value) => value ?? null));
  return sha256Hex(JSON.stringify(fields));
}

/**
 * Queued with the trigger: the retry of the baseline taken during the request (sequence 0, a
 * minute later), then one PRE sample a minute until the finish, which drops those still
 * pending (`preDeployJobKeys`); one that runs after the finish anyway takes nothing.
 */
export function triggerJobs(deploymentId: string, triggeredAt: Date): JobRow[] {
  return Array.from({ length: PRE_SAMPLES_AFTER_TRIGGER + 1 }, (_, sequence) =>
    jobRow(
      collectSampleJob,
      { deploymentId, phase: "pre", sequence },
      { runAt: new Date(triggeredAt.getTime() + Math.max(1, sequence) * SAMPLE_INTERVAL_MS) },
    ),
  );
}

/** The dedupe keys of the jobs `triggerJobs` queues. */
export function preDeployJobKeys(deploymentId: string): string[] {
  return Array.from({ length: PRE_SAMPLES_AFTER_TRIGGER + 1 }, (_, sequence) =>
    collectSampleKey({ deploymentId, phase: "pre", sequence }),
  );
}

/** The dedupe keys of the collection jobs `observationJobs` queues. */
export function postSampleJobKeys(deploymentId: string, window: number): string[] {
  return Array.from({ length: window }, (_, sequence) =>
    collectSampleKey({ deploymentId, phase: "post", sequence }),
  );
}

/** One sample a minute over the window from `finishedAt`, and the analysis's backstop at its end. */
export function observationJobs(deploymentId: string, window: number, finishedAt: Date): JobRow[] {
  const jobs: JobRow[] = Array.from({ length: window }, (_, sequence) =>
    jobRow(
      collectSampleJob,
      { deploymentId, phase: "post", sequence },
      { runAt: new Date(finishedAt.getTime() + sequence * SAMPLE_INTERVAL_MS) },
    ),
  );
  jobs.push(
    jobRow(
      analyzeDeploymentJob,
      { deploymentId },
      { runAt: new Date(finishedAt.getTime() + window * SAMPLE_INTERVAL_MS) },
    ),
  );
  return jobs;
}

/** A stored sample as the judges read it. */
export function metricSampleOf(row: MetricSample): MetricSample {
  return {
    collectedAt: row.collectedAt,
    requestsPerSec: row.requestsPerSec,
    latencyP95: row.latencyP95,
    errorRate: row.errorRate,
    cpuUsage: row.cpuUsage,
    memoryUsage: row.memoryUsage,
  };
}
