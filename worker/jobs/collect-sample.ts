import * as z from "zod";
import {
  type CollectOptions,
  type CollectSampleParams,
  collectSamples,
} from "../features/collection/collect-sample";
import { afterPostSamples } from "../features/deployments/analyze";
import { defineJob } from "./define";
import { retryDelaySeconds } from "./retry";
import type { JobOutcome } from "./types";

const payload = z.object({
  deploymentId: z.uuid(),
  phase: z.enum(["pre", "post"]),
  sequence: z.number().int().min(0),
});
export type CollectSamplePayload = z.infer<typeof payload>;

/** `collect:<deployment>:<phase>:<sequence>`: one job per sample slot. */
export const collectSampleKey = ({ deploymentId, phase, sequence }: CollectSamplePayload) =>
  `collect:${deploymentId}:${phase}:${sequence}`;

/**
 * Job `collect_sample`: one metrics scrape each; the payload names the slot, never a secret.
 * Run as a batch, so a thousand due samples cost a handful of statements, not thousands.
 * `options` exist for tests (a shorter fetch timeout); the Worker uses the defaults.
 */
export function defineCollectSampleJob(options: Pick<CollectOptions, "timeoutMs" | "concurrency"> = {}) {
  return defineJob({
    type: "collect_sample",
    payload,
    dedupeKey: collectSampleKey,
    // The last attempt records its failure as a collection error (features/collection).
    retry: { maxAttempts: 3, backoff: retryDelaySeconds },
    lane: "endpoints",
    async batch({ db, env, jobs, now, deadline }) {
      const requests: CollectSampleParams[] = jobs.map((job) => ({
        ...job.payload,
        attempt: job.attempts,
        lastAttempt: job.attempts >= job.maxAttempts,
      }));
      const collected = await collectSamples(db, env, requests, { ...options, now, deadline });
      const outcomes = collected.map((outcome): JobOutcome => {
        if (outcome.status === "not-started") return { ok: false, deferUntil: now };
        if (outcome.status === "error") return { ok: false, permanent: false, error: outcome.message };
        if (outcome.status !== "failed") return { ok: true };
        return { ok: false, permanent: !outcome.retryable, error: `${outcome.code}: ${outcome.message}` };
      });
      // Judges deployments whose window this batch completed, or looks for an early verdict.
      await afterPostSamples(db, requests, collected, now);
      return outcomes;
    },
  });
}

export const collectSampleJob = defineCollectSampleJob();
