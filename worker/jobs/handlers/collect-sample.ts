import * as z from "zod";
import { collectSample } from "../../features/collection/collect-sample";
import { type JobHandler, PermanentJobError } from "../types";

export const collectSamplePayload = z.object({
  deploymentId: z.uuid(),
  phase: z.enum(["pre", "post"]),
  sequence: z.number().int().min(0),
});

/** Job `collect_sample`: one metrics scrape; the payload names the slot, never a secret. */
export const collectSampleHandler: JobHandler = async ({ db, env, job, now }) => {
  const payload = collectSamplePayload.safeParse(job.payload);
  if (!payload.success) throw new PermanentJobError("invalid collect_sample payload");
  const outcome = await collectSample(db, env, {
    ...payload.data,
    attempt: job.attempts,
    lastAttempt: job.attempts >= job.maxAttempts,
    now,
  });
  if (outcome.status !== "failed") return;
  const message = `${outcome.code}: ${outcome.message}`;
  throw outcome.retryable ? new Error(message) : new PermanentJobError(message);
};
