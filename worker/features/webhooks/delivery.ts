import type { Database } from "../../../db/client";
import {
  findDeliveryTarget,
  recordDeliveryAttempt,
  updateWebhook,
  type WebhookRow,
} from "../../../db/queries/webhooks";
import { secretBox } from "../../lib/secret-box";
import { checkOutboundUrl } from "../collection/outbound-url";
import { signedWebhookHeaders } from "./signing";

export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Of a failing answer's body, this much is kept for the log; the rest is never read. */
const MAX_ERROR_BODY_BYTES = 2048;
const MAX_ERROR_LENGTH = 300;

export type SendOutcome =
  | { ok: true; statusCode: number }
  | {
      ok: false;
      statusCode: number | null;
      error: string;
      /** 410 Gone: the receiver asks us to stop; the webhook is disabled, not retried. */
      gone: boolean;
    };

export interface SendParams {
  url: string;
  messageId: string;
  /** The exact JSON signed and sent. */
  body: string;
  /** The current secret first, the previous one while a rotation overlaps. */
  secrets: readonly string[];
  allowPrivateTargets: boolean;
  now: Date;
  timeoutMs?: number;
}

/** Whether the URL may receive webhooks: the metrics endpoint's rules, and https outside development. */
export function checkWebhookUrl(
  url: string,
  options: { allowPrivateTargets: boolean },
): { ok: true; url: string } | { ok: false; reason: string } {
  const checked = checkOutboundUrl(url, options);
  if (!checked.ok) return checked;
  if (!options.allowPrivateTargets && !checked.url.startsWith("https:"))
    return { ok: false, reason: "webhooks are sent over https only" };
  return checked;
}

/**
 * One signed POST of a delivery. Redirects are not followed (a 3xx is a failure), the whole
 * exchange has `timeoutMs`, a 2xx is a success whatever its body. Never throws.
 */
export async function sendWebhook(params: SendParams): Promise<SendOutcome> {
  const target = checkWebhookUrl(params.url, { allowPrivateTargets: params.allowPrivateTargets });
  if (!target.ok)
    return { ok: false, statusCode: null, error: `URL refused: ${target.reason}.`, gone: false };
  const headers = {
    "Content-Type": "application/json",
    "User-Agent": "SeqPulse-Webhooks/1",
    ...(await signedWebhookHeaders({
      messageId: params.messageId,
      body: params.body,
      secrets: params.secrets,
      now: params.now,
    })),
  };
  const timeoutMs = params.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: "POST",
      headers,
      body: params.body,
      redirect: "manual",
      signal,
    });
  } catch {
    const error = signal.aborted ? `No answer within ${timeoutMs / 1000} s.` : "Connection failed.";
    return { ok: false, statusCode: null, error, gone: false };
  }
  const statusCode = response.status;
  if (statusCode >= 200 && statusCode < 300) {
    await response.body?.cancel().catch(() => {});
    return { ok: true, statusCode };
  }
  const excerpt = await readExcerpt(response);
  const reason = statusCode >= 300 && statusCode < 400 ? "Redirect not followed" : `HTTP ${statusCode}`;
  return {
    ok: false,
    statusCode,
    error: (excerpt ? `${reason}: ${excerpt}` : reason).slice(0, MAX_ERROR_LENGTH),
    gone: statusCode === 410,
  };
}

/** The start of a failing answer's body, for the log; the rest is cancelled unread. */
async function readExcerpt(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_ERROR_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short still leaves what was read.
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes.subarray(0, MAX_ERROR_BODY_BYTES)).replace(/\s+/g, " ").trim();
}

/** Secrets are bound to their webhook: a ciphertext copied to another row does not decrypt. */
export const webhookSecretContext = (webhookId: string) => `webhook:${webhookId}`;

/** The secrets that sign now: the current one, and the previous one until its overlap ends. */
export async function signingSecretsOf(
  encryptionKeys: string | undefined,
  webhook: Pick<WebhookRow, "id" | "secretEncrypted" | "previousSecretEncrypted" | "previousValidUntil">,
  now: Date,
): Promise<string[]> {
  const box = secretBox(encryptionKeys);
  const context = webhookSecretContext(webhook.id);
  const secrets = [await box.decrypt(webhook.secretEncrypted, context)];
  if (webhook.previousSecretEncrypted && webhook.previousValidUntil && webhook.previousValidUntil > now)
    secrets.push(await box.decrypt(webhook.previousSecretEncrypted, context));
  return secrets;
}

export type DeliveryRunResult = "delivered" | "retry" | "failed" | "gone" | "skipped";

/**
 * One attempt at a queued delivery, recorded in its log. `lastAttempt`: a failure is final
 * (status `failed`) instead of waiting for a retry. A 410 disables the webhook. A delivery whose
 * webhook was deleted is skipped; one whose webhook is disabled fails without a request.
 */
export async function attemptDelivery(
  db: Database,
  env: Pick<Env, "ENCRYPTION_KEYS" | "ALLOW_PRIVATE_METRICS_URLS">,
  deliveryId: string,
  options: { now: Date; lastAttempt: boolean; timeoutMs?: number },
): Promise<DeliveryRunResult> {
  const target = await findDeliveryTarget(db, deliveryId);
  if (!target) return "skipped";
  const { delivery, webhook } = target;
  if (delivery.status === "succeeded") return "delivered";
  if (!webhook.enabled) {
    await recordDeliveryAttempt(db, deliveryId, {
      status: "failed",
      statusCode: null,
      error: "The webhook is disabled.",
      at: options.now,
    });
    return "failed";
  }
  const outcome = await sendWebhook({
    url: webhook.url,
    messageId: delivery.messageId,
    body: JSON.stringify(delivery.payload),
    secrets: await signingSecretsOf(env.ENCRYPTION_KEYS, webhook, options.now),
    allowPrivateTargets: env.ALLOW_PRIVATE_METRICS_URLS === "true",
    now: options.now,
    timeoutMs: options.timeoutMs,
  });
  if (outcome.ok) {
    await recordDeliveryAttempt(db, deliveryId, {
      status: "succeeded",
      statusCode: outcome.statusCode,
      error: null,
      at: options.now,
    });
    return "delivered";
  }
  const final = options.lastAttempt || outcome.gone;
  await recordDeliveryAttempt(db, deliveryId, {
    status: final ? "failed" : "pending",
    statusCode: outcome.statusCode,
    error: outcome.error,
    at: options.now,
  });
  if (outcome.gone) {
    await updateWebhook(db, webhook.projectId, webhook.id, { enabled: false });
    return "gone";
  }
  return final ? "failed" : "retry";
}
