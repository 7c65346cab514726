import * as z from "zod";
import { deliverSlackMessage } from "../features/slack/delivery";
import { defineJob } from "./define";
import { webhookRetryDelaySeconds } from "./deliver-webhook";
import { DeferJobError } from "./types";

export const slackEvents = ["triggered", "verdict", "cancelled"] as const;
export type SlackEvent = (typeof slackEvents)[number];

const payload = z.object({ deploymentId: z.uuid(), event: z.enum(slackEvents) });

/**
 * Job `deliver_slack`: brings a deployment's Slack message up to date after one of its events,
 * retried with the webhooks' backoff (30 s, 2 min, 8 min, ...) on timeouts and Slack-side errors.
 * A 429 waits its `Retry-After` without using an attempt; a refusal (bad token, unknown
 * channel) is recorded on the message and ends the job. One job per deployment and event.
 */
export const deliverSlackJob = defineJob({
  type: "deliver_slack",
  payload,
  dedupeKey: ({ deploymentId, event }) => `slack:${deploymentId}:${event}`,
  retry: { maxAttempts: 6, backoff: webhookRetryDelaySeconds },
  lane: "endpoints",
  handler: async ({ db, env, job, now }) => {
    const result = await deliverSlackMessage(db, env, job.payload.deploymentId, {
      now,
      lastAttempt: job.attempts >= job.maxAttempts,
    });
    if (result.status === "deferred") throw new DeferJobError(result.until, "waiting for Slack");
    // Thrown so the sweeper retries with this type's backoff; the message row has the error.
    if (result.status === "retry") throw new Error("slack delivery failed; retrying");
  },
});
