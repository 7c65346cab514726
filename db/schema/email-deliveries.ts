import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAtColumn, updatedAtColumn } from "./columns";
import { projects } from "./projects";
import { ownerUserIdColumn } from "./users";

export const emailDeliveryStatuses = ["queued", "sent", "failed", "suppressed"] as const;
export type EmailDeliveryStatus = (typeof emailDeliveryStatuses)[number];

/**
 * One mail per dedupe key, ever (worker/features/email/send.ts): the row is the idempotency
 * record of a send, whatever became of it. `payload` holds only non-secret values: what was
 * rendered (`{to, subject, locale, context}`), or `{reason}` when the mail was suppressed. The
 * `email_type` is a code of worker/features/email/types.ts (text, so new types need no migration).
 */
export const emailDeliveries = pgTable(
  "email_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: ownerUserIdColumn(),
    projectId: uuid("project_id").references(() => projects.id, { onDelete: "cascade" }),
    emailType: text("email_type").notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    status: text("status", { enum: emailDeliveryStatuses }).notNull().default("queued"),
    providerMessageId: text("provider_message_id"),
    payload: jsonb("payload").$type<Record<string, unknown>>(),
    errorMessage: text("error_message"),
    /**
     * Set while a send is in flight (a provider call takes at most 10 s): a second runner of the
     * same key (a job whose lease expired) sends only once this is null or stale.
     */
    sendingSince: timestamp("sending_since", { withTimezone: true }),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (table) => [
    uniqueIndex("email_deliveries_dedupe_key_unique").on(table.dedupeKey),
    // The marketing cooldown reads a user's latest sent mails.
    index("email_deliveries_user_sent_idx").on(table.userId, table.sentAt),
    index("email_deliveries_project_idx").on(table.projectId),
    index("email_deliveries_type_created_idx").on(table.emailType, table.createdAt),
    check(
      "email_deliveries_status_check",
      sql`${table.status} in ('queued', 'sent', 'failed', 'suppressed')`,
    ),
  ],
);
