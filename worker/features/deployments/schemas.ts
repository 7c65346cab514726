import * as z from "zod";
import { envName } from "../projects/schemas";

/** The earlier SeqPulse's limit, for the body field and the `X-Idempotency-Key` header alike. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Field names and limits of the earlier SeqPulse's CI contract (snake_case on purpose). */
export const triggerBody = z.object({
  env: envName,
  idempotency_key: z.string().max(MAX_IDEMPOTENCY_KEY_LENGTH).optional(),
  branch: z.string().max(255).optional(),
  commit_sha: z.string().trim().max(64).optional(),
  metrics_endpoint: z.string().max(2048).optional(),
});

export const finishBody = z.object({
  deployment_id: z.uuid(),
  result: z.enum(["success", "failed"]),
  metrics_endpoint: z.string().max(2048).optional(),
});
