import * as z from "zod";
import { sendEmail } from "../features/email/send";
import { emailTemplates } from "../features/email/templates";
import { emailTypes } from "../features/email/types";
import { defineJob } from "./define";
import { retryDelaySeconds } from "./retry";
import { DeferJobError, PermanentJobError } from "./types";

const contextValue = z.union([z.string().max(4_000), z.number(), z.null()]);

const payload = z.object({
  type: z.enum(emailTypes),
  userId: z.uuid(),
  projectId: z.uuid().nullable(),
  dedupeKey: z.string().min(1).max(255),
  context: z.record(z.string().max(64), contextValue),
});
export type SendEmailPayload = z.output<typeof payload>;

/**
 * Job `send_email`: one mail, sent once per dedupe key (features/email/send.ts). A provider
 * failure throws, so the sweeper retries with backoff (30 s, 2 min, 8 min, 32 min, 1 h); a
 * cooldown that delays the mail defers the job without using an attempt.
 */
export const sendEmailJob = defineJob({
  type: "send_email",
  payload,
  dedupeKey: ({ dedupeKey }) => `email:${dedupeKey}`,
  retry: { maxAttempts: 6, backoff: retryDelaySeconds },
  lane: "endpoints",
  handler: async ({ db, env, job, now }) => {
    if (!emailTemplates[job.payload.type])
      throw new PermanentJobError(`no template for email type ${job.payload.type}`);
    const result = await sendEmail(db, env, job.payload, { now });
    if (result.status === "deferred")
      throw new DeferJobError(result.until, "email delayed by the marketing cooldown");
  },
});
