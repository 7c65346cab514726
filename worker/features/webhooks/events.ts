import type { Database } from "../../../db/client";
import { type NewWebhookDelivery, webhooksSubscribedTo } from "../../../db/queries/webhooks";
import type { WebhookEvent } from "../../../db/schema";
import { deliverWebhookJob } from "../../jobs/deliver-webhook";
import { type JobRow, jobRow } from "../../jobs/enqueue";
import { newMessageId } from "./signing";

/** The `data` of a deployment event, as receivers read it (snake_case, like the CI API). */
export interface DeploymentEventData {
  deployment_id: string;
  project_id: string;
  env: string;
  state: string;
  verdict?: string;
  confidence?: number;
  summary?: string;
  dashboard_url?: string;
}

/** The body of every webhook: the event, when it happened, what it is about. */
export interface WebhookPayload {
  type: WebhookEvent | "webhook.test";
  timestamp: string;
  data: DeploymentEventData | Record<string, unknown>;
}

/** Deliveries to insert and their jobs to queue, with the change that caused the event. */
export interface PlannedWebhookEvent {
  deliveries: NewWebhookDelivery[];
  jobs: JobRow<"deliver_webhook">[];
}

export const noWebhookEvent: PlannedWebhookEvent = { deliveries: [], jobs: [] };

/**
 * One delivery per enabled webhook of the project subscribed to `event`, and a job for each.
 * Nothing is written here: the caller inserts both in the statement (or transaction) of the
 * change itself, so an event is queued exactly when its change is stored. `data` is read only
 * when someone subscribes (one indexed lookup otherwise); null from it plans nothing.
 */
export async function planWebhookEvent(
  db: Database,
  params: {
    event: WebhookEvent;
    projectId: string;
    data: () => DeploymentEventData | null | Promise<DeploymentEventData | null>;
    now: Date;
  },
): Promise<PlannedWebhookEvent> {
  const subscribers = await webhooksSubscribedTo(db, params.projectId, params.event);
  if (subscribers.length === 0) return noWebhookEvent;
  const data = await params.data();
  if (!data) return noWebhookEvent;
  const payload: WebhookPayload = { type: params.event, timestamp: params.now.toISOString(), data };
  const deliveries = subscribers.map((webhook) => ({
    id: crypto.randomUUID(),
    webhookId: webhook.id,
    messageId: newMessageId(),
    event: params.event,
    payload,
  }));
  const jobs = deliveries.map((delivery, index) =>
    jobRow(
      deliverWebhookJob,
      { deliveryId: delivery.id },
      { runAt: params.now, tenantId: subscribers[index]?.ownerId ?? null },
    ),
  );
  return { deliveries, jobs };
}
