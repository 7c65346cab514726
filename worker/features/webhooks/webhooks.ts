import type { Database } from "../../../db/client";
import {
  deleteWebhook,
  findDelivery,
  findWebhook,
  insertWebhookWithinLimit,
  listDeliveries,
  listWebhooks,
  markDeliveryPending,
  updateWebhook,
  type WebhookDeliveryRow,
  type WebhookRow,
} from "../../../db/queries/webhooks";
import type { WebhookEvent } from "../../../db/schema";
import { deliverWebhookJob } from "../../jobs/deliver-webhook";
import { enqueue } from "../../jobs/enqueue";
import { ApiError } from "../../lib/errors";
import { isUuid } from "../../lib/ids";
import { decodeCursor, page } from "../../lib/pagination";
import { secretBox } from "../../lib/secret-box";
import { getOwnedProject } from "../projects/project-settings";
import { checkWebhookUrl, sendWebhook, signingSecretsOf, webhookSecretContext } from "./delivery";
import type { WebhookPayload } from "./events";
import { newMessageId, newWebhookSecret } from "./signing";

// A project's webhooks: every function takes the owner's id and checks the project first, so
// another owner's project, webhook or delivery is NOT_FOUND, as an unknown one.

export const MAX_WEBHOOKS_PER_PROJECT = 10;
/** After a rotation the previous secret keeps signing this long, beside the new one. */
export const WEBHOOK_ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

type WebhookEnv = Pick<Env, "ENCRYPTION_KEYS" | "ALLOW_PRIVATE_METRICS_URLS">;

export function webhookView(webhook: WebhookRow, now: Date) {
  const overlapping = webhook.previousValidUntil && webhook.previousValidUntil > now;
  return {
    id: webhook.id,
    projectId: webhook.projectId,
    url: webhook.url,
    events: webhook.events as WebhookEvent[],
    enabled: webhook.enabled,
    previousSecretValidUntil: overlapping ? (webhook.previousValidUntil?.toISOString() ?? null) : null,
    createdAt: webhook.createdAt.toISOString(),
    updatedAt: webhook.updatedAt.toISOString(),
  };
}

export function deliveryView(delivery: WebhookDeliveryRow) {
  return {
    id: delivery.id,
    webhookId: delivery.webhookId,
    messageId: delivery.messageId,
    event: delivery.event,
    status: delivery.status,
    attempts: delivery.attempts,
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
    createdAt: delivery.createdAt.toISOString(),
  };
}

/** The owner's webhook, or NOT_FOUND. */
export async function getOwnedWebhook(db: Database, ownerId: string, projectId: string, webhookId: string) {
  const project = await getOwnedProject(db, ownerId, projectId);
  const webhook = isUuid(webhookId) ? await findWebhook(db, project.id, webhookId) : null;
  if (!webhook) throw new ApiError("NOT_FOUND", "No such webhook.");
  return webhook;
}

function checkedWebhookUrl(env: WebhookEnv, url: string): string {
  const checked = checkWebhookUrl(url, { allowPrivateTargets: env.ALLOW_PRIVATE_METRICS_URLS === "true" });
  if (!checked.ok) {
    throw new ApiError("VALIDATION_FAILED", `The URL is not allowed: ${checked.reason}.`, {
      fields: [{ field: "url", message: checked.reason }],
    });
  }
  return checked.url;
}

/** A new webhook and its signing secret, returned once: only its ciphertext is kept. */
export async function createWebhook(
  db: Database,
  env: WebhookEnv,
  ownerId: string,
  projectId: string,
  input: { url: string; events: WebhookEvent[] },
  now: Date,
) {
  const project = await getOwnedProject(db, ownerId, projectId);
  const url = checkedWebhookUrl(env, input.url);
  const id = crypto.randomUUID();
  const secret = newWebhookSecret();
  const webhook = await insertWebhookWithinLimit(
    db,
    {
      id,
      projectId: project.id,
      url,
      events: [...new Set(input.events)],
      secretEncrypted: await secretBox(env.ENCRYPTION_KEYS).encrypt(secret, webhookSecretContext(id)),
    },
    MAX_WEBHOOKS_PER_PROJECT,
  );
  if (!webhook) {
    throw new ApiError(
      "WEBHOOK_LIMIT_REACHED",
      `A project has at most ${MAX_WEBHOOKS_PER_PROJECT} webhooks; delete one first.`,
      { details: { limit: MAX_WEBHOOKS_PER_PROJECT } },
    );
  }
  return { webhook: webhookView(webhook, now), secret };
}

export async function listProjectWebhooks(db: Database, ownerId: string, projectId: string, now: Date) {
  const project = await getOwnedProject(db, ownerId, projectId);
  return { items: (await listWebhooks(db, project.id)).map((webhook) => webhookView(webhook, now)) };
}

export async function removeWebhook(db: Database, ownerId: string, projectId: string, webhookId: string) {
  const webhook = await getOwnedWebhook(db, ownerId, projectId, webhookId);
  if (!(await deleteWebhook(db, webhook.projectId, webhook.id)))
    throw new ApiError("NOT_FOUND", "No such webhook.");
}

/**
 * A new secret, returned once. The previous one keeps signing beside it for a day, so
 * receivers can switch without refusing a delivery.
 */
export async function rotateWebhookSecret(
  db: Database,
  env: WebhookEnv,
  ownerId: string,
  projectId: string,
  webhookId: string,
  now: Date,
) {
  const webhook = await getOwnedWebhook(db, ownerId, projectId, webhookId);
  const secret = newWebhookSecret();
  const updated = await updateWebhook(db, webhook.projectId, webhook.id, {
    secretEncrypted: await secretBox(env.ENCRYPTION_KEYS).encrypt(secret, webhookSecretContext(webhook.id)),
    previousSecretEncrypted: webhook.secretEncrypted,
    previousValidUntil: new Date(now.getTime() + WEBHOOK_ROTATION_OVERLAP_MS),
  });
  if (!updated) throw new ApiError("NOT_FOUND", "No such webhook.");
  return { webhook: webhookView(updated, now), secret };
}

export async function listWebhookDeliveries(
  db: Database,
  ownerId: string,
  projectId: string,
  webhookId: string,
  query: { limit: number; cursor?: string },
) {
  const webhook = await getOwnedWebhook(db, ownerId, projectId, webhookId);
  const rows = await listDeliveries(db, webhook.id, {
    limit: query.limit,
    before: decodeCursor(query.cursor),
  });
  const result = page(rows, query.limit, (row) => ({ at: row.createdAt, id: row.id }));
  return { items: result.items.map(deliveryView), nextCursor: result.nextCursor };
}

/**
 * Sends a delivery again, through the job system, with its `webhook-id` unchanged so receivers
 * that saw it already can tell. A new series of attempts: pending again, attempts keep counting.
 */
export async function redeliver(
  db: Database,
  ownerId: string,
  projectId: string,
  webhookId: string,
  deliveryId: string,
  now: Date,
) {
  const webhook = await getOwnedWebhook(db, ownerId, projectId, webhookId);
  const delivery = isUuid(deliveryId)
    ? await findDelivery(db, webhook.projectId, webhook.id, deliveryId)
    : null;
  if (!delivery) throw new ApiError("NOT_FOUND", "No such delivery.");
  await markDeliveryPending(db, delivery.id);
  await enqueue(db, deliverWebhookJob, { deliveryId: delivery.id }, { runAt: now, tenantId: ownerId });
  return { delivery: deliveryView({ ...delivery, status: "pending" }) };
}

/**
 * Sends a `webhook.test` event now, signed like any other, and answers with what the receiver
 * said. Not logged (it is not a deployment event). A webhook disabled by a 410 is enabled again
 * when its receiver accepts the test: that is how an owner says the endpoint is back.
 */
export async function sendTestEvent(db: Database, env: WebhookEnv, webhook: WebhookRow, now: Date) {
  const payload: WebhookPayload = {
    type: "webhook.test",
    timestamp: now.toISOString(),
    data: { webhook_id: webhook.id, project_id: webhook.projectId },
  };
  const outcome = await sendWebhook({
    url: webhook.url,
    messageId: newMessageId(),
    body: JSON.stringify(payload),
    secrets: await signingSecretsOf(env.ENCRYPTION_KEYS, webhook, now),
    allowPrivateTargets: env.ALLOW_PRIVATE_METRICS_URLS === "true",
    now,
  });
  if (outcome.ok && !webhook.enabled)
    await updateWebhook(db, webhook.projectId, webhook.id, { enabled: true });
  return {
    delivered: outcome.ok,
    statusCode: outcome.statusCode,
    error: outcome.ok ? null : outcome.error,
  };
}
