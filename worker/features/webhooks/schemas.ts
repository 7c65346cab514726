import * as z from "zod";
import { webhookDeliveryStatuses, webhookEvents } from "../../../db/schema/webhooks";
import {
  errorResponse,
  noContent,
  pageOf,
  type RouteContract,
  rateLimited,
  timestamp,
} from "../../lib/contract";
import { paginationQuery } from "../../lib/pagination";

export const webhookEvent = z.enum(webhookEvents);

export const createWebhookBody = z.strictObject({
  url: z.string().trim().min(1).max(2048),
  events: z.array(webhookEvent).min(1).max(webhookEvents.length),
});

export const projectParam = z.object({ id: z.string() });
export const webhookParam = z.object({ id: z.string(), webhookId: z.string() });
export const deliveryParam = z.object({ id: z.string(), webhookId: z.string(), deliveryId: z.string() });
export const deliveryListQuery = z.object(paginationQuery);

// ---- Answers ----

export const webhookSchema = z.strictObject({
  id: z.uuid(),
  projectId: z.uuid(),
  url: z.string(),
  events: z.array(webhookEvent),
  enabled: z
    .boolean()
    .describe("False once a receiver answered 410 Gone; a successful test event enables it again."),
  previousSecretValidUntil: timestamp
    .nullable()
    .describe("After a rotation, until when the previous secret also signs; null otherwise."),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const deliverySchema = z.strictObject({
  id: z.uuid(),
  webhookId: z.uuid(),
  messageId: z.string().describe("The `webhook-id` header: the same on every retry and redelivery."),
  event: webhookEvent,
  status: z.enum(webhookDeliveryStatuses),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: timestamp.nullable(),
  createdAt: timestamp,
});

const withSecret = z.strictObject({
  webhook: webhookSchema,
  secret: z
    .string()
    .startsWith("whsec_")
    .describe("The signing secret (Standard Webhooks), shown this once: only its ciphertext is kept."),
});

export const webhookListResponse = z.strictObject({ items: z.array(webhookSchema) });
export const deliveryResponse = z.strictObject({ delivery: deliverySchema });
export const testEventResponse = z.strictObject({
  delivered: z.boolean().describe("Whether the receiver answered 2xx."),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
});

const tag = "Webhooks";
const noProject = errorResponse("No such project (or not yours).");
const noWebhook = errorResponse("No such project or webhook (or not yours).");
const base = "/api/projects/:id/webhooks";

export const webhookContract: RouteContract[] = [
  {
    method: "POST",
    path: base,
    tag,
    summary: "Add a webhook",
    description:
      "Deliveries are signed per the Standard Webhooks spec (`webhook-id`, `webhook-timestamp`, `webhook-signature`).",
    security: "user",
    request: { params: projectParam, body: createWebhookBody },
    responses: {
      201: { description: "The webhook and its secret, shown once.", body: withSecret },
      403: errorResponse("The project already has 10 webhooks (`WEBHOOK_LIMIT_REACHED`)."),
      404: noProject,
      429: rateLimited("Too many secrets generated; wait."),
    },
  },
  {
    method: "GET",
    path: base,
    tag,
    summary: "The project's webhooks",
    security: "user",
    request: { params: projectParam },
    responses: {
      200: {
        description: "Every webhook of the project (at most 10), newest first.",
        body: webhookListResponse,
      },
      404: noProject,
    },
  },
  {
    method: "DELETE",
    path: `${base}/:webhookId`,
    tag,
    summary: "Delete a webhook and its delivery log",
    security: "user",
    request: { params: webhookParam },
    responses: { 204: noContent, 404: noWebhook },
  },
  {
    method: "POST",
    path: `${base}/:webhookId/rotate-secret`,
    tag,
    summary: "Replace the signing secret",
    description: "The previous secret keeps signing beside the new one for 24 hours.",
    security: "user",
    request: { params: webhookParam },
    responses: {
      200: { description: "The webhook and its new secret, shown once.", body: withSecret },
      404: noWebhook,
      429: rateLimited("Too many secrets generated; wait."),
    },
  },
  {
    method: "GET",
    path: `${base}/:webhookId/deliveries`,
    tag,
    summary: "The webhook's delivery log",
    security: "user",
    request: { params: webhookParam, query: deliveryListQuery },
    responses: {
      200: { description: "One page of deliveries, newest first.", body: pageOf(deliverySchema) },
      404: noWebhook,
    },
  },
  {
    method: "POST",
    path: `${base}/:webhookId/deliveries/:deliveryId/redeliver`,
    tag,
    summary: "Send a delivery again",
    description: "Queued now, with the same `webhook-id` and body.",
    security: "user",
    request: { params: deliveryParam },
    responses: {
      202: { description: "Queued; the log shows its attempts.", body: deliveryResponse },
      404: errorResponse("No such project, webhook or delivery (or not yours)."),
      429: rateLimited("Too many test events and redeliveries; wait."),
    },
  },
  {
    method: "POST",
    path: `${base}/:webhookId/test`,
    tag,
    summary: "Send a test event now",
    description: "A `webhook.test` event, signed as any other; not kept in the delivery log.",
    security: "user",
    request: { params: webhookParam },
    responses: {
      200: { description: "What the receiver answered.", body: testEventResponse },
      404: noWebhook,
      429: rateLimited("Too many test events and redeliveries; wait."),
    },
  },
];
