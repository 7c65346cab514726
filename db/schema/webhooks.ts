import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAtColumn, updatedAtColumn } from "./columns";
import { projectIdColumn } from "./projects";

/** What a webhook may subscribe to. */
export const webhookEvents = ["deployment.triggered", "deployment.finished", "deployment.verdict"] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/**
 * A project's webhook endpoint, signed per the Standard Webhooks spec. The `whsec_` secret is
 * stored encrypted (worker/lib/secret-box.ts) and shown once; after a rotation the previous one
 * also signs until `previous_valid_until`, so receivers can switch without dropping a delivery.
 */
export const webhooks = pgTable(
  "webhooks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    projectId: projectIdColumn(),
    url: text("url").notNull(),
    /** Subset of `webhookEvents`. */
    events: text("events").array().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    secretEncrypted: text("secret_encrypted").notNull(),
    previousSecretEncrypted: text("previous_secret_encrypted"),
    previousValidUntil: timestamp("previous_valid_until", { withTimezone: true }),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (table) => [index("webhooks_project_idx").on(table.projectId)],
);

export const webhookDeliveryStatuses = ["pending", "succeeded", "failed"] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

/**
 * One event sent to one webhook, with its attempts' outcome: the delivery log. `message_id` is
 * the Standard Webhooks `webhook-id` (the same on every retry and on a redelivery, so receivers
 * can deduplicate); `payload` is the exact JSON body signed and sent.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    messageId: text("message_id").notNull(),
    event: text("event", { enum: webhookEvents }).notNull(),
    payload: jsonb("payload").notNull(),
    status: text("status", { enum: webhookDeliveryStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true }),
    createdAt: createdAtColumn(),
  },
  (table) => [
    index("webhook_deliveries_webhook_created_idx").on(table.webhookId, table.createdAt),
    index("webhook_deliveries_pending_idx").on(table.createdAt).where(sql`${table.status} = 'pending'`),
  ],
);
