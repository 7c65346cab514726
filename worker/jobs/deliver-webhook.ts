import * as z from "zod";
import { attemptDelivery } from "../features/webhooks/delivery";
import { incrementCounter } from "../lib/metrics";
import { defineJob } from "./define";

/**
 * Seconds before retry number `attempt`: 30 s, 2 min, 8 min, 32 min, then 2 h, each within
 * +/-20 %; eight attempts span about seven hours.
 */
export function webhookRetryDelaySeconds(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30 * 4 ** Math.max(0, attempt - 1), 2 * 60 * 60);
  return Math.round(base * (0.8 + 0.4 * random()));
}

const payload = z.object({ deliveryId: z.uuid() });

/**
 * Job `deliver_webhook`: one signed POST of a delivery, retried with backoff until a 2xx, a 410
 * or its last attempt. The key names the delivery and when its series of attempts was queued,
 * so a redelivery is a new series while a duplicate queueing of one series is not.
 */
export const deliverWebhookJob = defineJob({
  type: "deliver_webhook",
  payload,
  dedupeKey: ({ deliveryId }, { runAt }) => `webhook:${deliveryId}:${runAt.toISOString()}`,
  retry: { maxAttempts: 8, backoff: webhookRetryDelaySeconds },
  lane: "endpoints",
  handler: async ({ db, env, job, now }) => {
    const result = await attemptDelivery(db, env, job.payload.deliveryId, {
      now,
      lastAttempt: job.attempts >= job.maxAttempts,
    });
    incrementCounter("seqpulse_webhook_deliveries_total", { result });
    // Thrown so the sweeper retries with this type's backoff; the log already has the attempt.
    if (result === "retry") throw new Error("webhook delivery failed; retrying");
  },
});
