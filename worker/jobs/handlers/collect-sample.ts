import * as z from "zod";
import {
  type CollectOptions,
  type CollectSampleParams,
  collectSamples,
} from "../../features/collection/collect-sample";
import { afterPostSamples } from "../../features/deployments/analyze";
import type { BatchJobHandler, JobOutcome } from "../types";

export const collectSamplePayload = z.object({
  deploymentId: z.uuid(),
  phase: z.enum(["pre", "post"]),
  sequence: z.number().int().min(0),
});

/**
 * Job `collect_sample`: one metrics scrape each; the payload names the slot, never a secret.
 * Run as a batch, so a thousand due samples cost a handful of statements, not thousands.
 * `options` exist for tests (a shorter fetch timeout); the Worker uses the defaults.
 */
export function createCollectSampleHandler(
  options: Pick<CollectOptions, "timeoutMs" | "concurrency"> = {},
): BatchJobHandler {
  return {
    async batch({ db, env, jobs, now, deadline }) {
      const outcomes: JobOutcome[] = [];
      const requests: CollectSampleParams[] = [];
      const positions: number[] = [];
      jobs.forEach((job, index) => {
        const payload = collectSamplePayload.safeParse(job.payload);
        if (!payload.success) {
          outcomes[index] = { ok: false, permanent: true, error: "invalid collect_sample payload" };
          return;
        }
        positions.push(index);
        requests.push({
          ...payload.data,
          attempt: job.attempts,
          lastAttempt: job.attempts >= job.maxAttempts,
        });
      });
      const collected = await collectSamples(db, env, requests, { ...options, now, deadline });
      collected.forEach((outcome, i) => {
        const index = positions[i] as number;
        if (outcome.status === "not-started") outcomes[index] = { ok: false, deferUntil: now };
        else if (outcome.status === "error")
          outcomes[index] = { ok: false, permanent: false, error: outcome.message };
        else if (outcome.status !== "failed") outcomes[index] = { ok: true };
        else
          outcomes[index] = {
            ok: false,
            permanent: !outcome.retryable,
            error: `${outcome.code}: ${outcome.message}`,
          };
      });
      // Judges deployments whose window this batch completed, or looks for an early verdict.
      await afterPostSamples(db, requests, collected, now);
      return outcomes;
    },
  };
}

export const collectSampleHandler = createCollectSampleHandler();
