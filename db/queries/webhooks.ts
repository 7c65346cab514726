import { and, desc, eq, lt, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../client";
import {
  projects,
  type WebhookDeliveryStatus,
  type WebhookEvent,
  webhookDeliveries,
  webhooks,
} from "../schema";

// A project's webhooks and their delivery log. Every lookup a user reaches carries the project
// id (already checked to be the user's), so another project's webhook is not found.

export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type NewWebhookDelivery = Pick<
  typeof webhookDeliveries.$inferInsert,
  "webhookId" | "messageId" | "event" | "payload"
> & { id: string };

/**
 * Inserts the webhook unless the project already has `limit` of them; null when it has. The
 * project row is locked first, so concurrent creations for one project queue up; the count is
 * read in the statement's snapshot, so a race can still let one more in (a soft cap, not a
 * security boundary).
 */
export async function insertWebhookWithinLimit(
  db: Database,
  values: { id: string; projectId: string; url: string; events: WebhookEvent[]; secretEncrypted: string },
  limit: number,
): Promise<WebhookRow | null> {
  const result = await db.execute<{ id: string }>(sql`
    with locked as (select id from projects where id = ${values.projectId}::uuid for update)
    insert into ${webhooks} (id, project_id, url, events, secret_encrypted)
    select ${values.id}::uuid, locked.id, ${values.url}, ${sql`array[${sql.join(
      values.events.map((event) => sql`${event}`),
      sql`, `,
    )}]::text[]`}, ${values.secretEncrypted}
    from locked
    where (select count(*) from ${webhooks} where project_id = locked.id) < ${limit}
    returning id`);
  if (result.rows.length === 0) return null;
  return findWebhook(db, values.projectId, values.id);
}

export async function listWebhooks(db: Database, projectId: string): Promise<WebhookRow[]> {
  return db
    .select()
    .from(webhooks)
    .where(eq(webhooks.projectId, projectId))
    .orderBy(desc(webhooks.createdAt), desc(webhooks.id));
}

export async function findWebhook(db: Database, projectId: string, id: string): Promise<WebhookRow | null> {
  const rows = await db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.projectId, projectId), eq(webhooks.id, id)));
  return rows[0] ?? null;
}

/** Deletes the webhook and (cascade) its delivery log; false when it was not the project's. */
export async function deleteWebhook(db: Database, projectId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(webhooks)
    .where(and(eq(webhooks.projectId, projectId), eq(webhooks.id, id)))
    .returning({ id: webhooks.id });
  return rows.length > 0;
}

export async function updateWebhook(
  db: Database,
  projectId: string,
  id: string,
  changes: Partial<
    Pick<WebhookRow, "enabled" | "secretEncrypted" | "previousSecretEncrypted" | "previousValidUntil">
  >,
): Promise<WebhookRow | null> {
  const rows = await db
    .update(webhooks)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(webhooks.projectId, projectId), eq(webhooks.id, id)))
    .returning();
  return rows[0] ?? null;
}

/** The project's enabled webhooks subscribed to `event` (who gets a delivery), with the owner. */
export async function webhooksSubscribedTo(
  db: Database,
  projectId: string,
  event: WebhookEvent,
): Promise<{ id: string; ownerId: string }[]> {
  return db
    .select({ id: webhooks.id, ownerId: projects.ownerId })
    .from(webhooks)
    .innerJoin(projects, eq(projects.id, webhooks.projectId))
    .where(
      and(
        eq(webhooks.projectId, projectId),
        eq(webhooks.enabled, true),
        sql`${event} = any(${webhooks.events})`,
      ),
    );
}

/**
 * An insert of planned deliveries, for a data-modifying CTE done only if the CTE named `after`
 * returned a row (or on its own, `after` null). A webhook deleted since the plan was made is
 * skipped (its job then finds no delivery and does nothing).
 */
export function insertDeliveriesAfter(after: string | null, deliveries: readonly NewWebhookDelivery[]): SQL {
  if (deliveries.length === 0) return sql`select 1`;
  const rows = sql.join(
    deliveries.map(
      (delivery) =>
        sql`(${delivery.id}::uuid, ${delivery.webhookId}::uuid, ${delivery.messageId}::text, ${delivery.event}::text, ${JSON.stringify(delivery.payload)}::jsonb)`,
    ),
    sql`, `,
  );
  return sql`insert into ${webhookDeliveries} (id, webhook_id, message_id, event, payload)
    select v.* from (values ${rows}) as v (id, webhook_id, message_id, event, payload)
    where ${after ? sql`exists (select 1 from ${sql.identifier(after)})` : sql`true`}
      and exists (select 1 from ${webhooks} w where w.id = v.webhook_id)`;
}

/** A delivery with what sending it needs; null when it (or its webhook) is gone. */
export async function findDeliveryTarget(db: Database, deliveryId: string) {
  const rows = await db
    .select({
      delivery: webhookDeliveries,
      webhook: {
        id: webhooks.id,
        projectId: webhooks.projectId,
        url: webhooks.url,
        enabled: webhooks.enabled,
        secretEncrypted: webhooks.secretEncrypted,
        previousSecretEncrypted: webhooks.previousSecretEncrypted,
        previousValidUntil: webhooks.previousValidUntil,
      },
    })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(eq(webhookDeliveries.id, deliveryId));
  return rows[0] ?? null;
}

/** The project's delivery, reached through its webhook; null for another project's. */
export async function findDelivery(
  db: Database,
  projectId: string,
  webhookId: string,
  deliveryId: string,
): Promise<WebhookDeliveryRow | null> {
  const rows = await db
    .select({ delivery: webhookDeliveries })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(
      and(
        eq(webhooks.projectId, projectId),
        eq(webhooks.id, webhookId),
        eq(webhookDeliveries.id, deliveryId),
      ),
    );
  return rows[0]?.delivery ?? null;
}

export async function insertDelivery(
  db: Database,
  delivery: NewWebhookDelivery,
): Promise<WebhookDeliveryRow> {
  const rows = await db.insert(webhookDeliveries).values(delivery).returning();
  const row = rows[0];
  if (!row) throw new Error("delivery not inserted");
  return row;
}

/** What one attempt did: counted, its status code or error kept, the status moved. */
export async function recordDeliveryAttempt(
  db: Database,
  deliveryId: string,
  attempt: {
    status: WebhookDeliveryStatus;
    statusCode: number | null;
    error: string | null;
    at: Date;
  },
): Promise<WebhookDeliveryRow | null> {
  const rows = await db
    .update(webhookDeliveries)
    .set({
      status: attempt.status,
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      lastStatusCode: attempt.statusCode,
      lastError: attempt.error,
      lastAttemptAt: attempt.at,
    })
    .where(eq(webhookDeliveries.id, deliveryId))
    .returning();
  return rows[0] ?? null;
}

/** A redelivery starts a new series of attempts: pending again, the log keeps the count. */
export async function markDeliveryPending(db: Database, deliveryId: string): Promise<void> {
  await db.update(webhookDeliveries).set({ status: "pending" }).where(eq(webhookDeliveries.id, deliveryId));
}

/** The webhook's deliveries, newest first, keyset-paged. */
export async function listDeliveries(
  db: Database,
  webhookId: string,
  params: { limit: number; before: { at: Date; id: string } | null },
): Promise<WebhookDeliveryRow[]> {
  const conditions: SQL[] = [eq(webhookDeliveries.webhookId, webhookId)];
  if (params.before) {
    const keyset = or(
      lt(webhookDeliveries.createdAt, params.before.at),
      and(eq(webhookDeliveries.createdAt, params.before.at), lt(webhookDeliveries.id, params.before.id)),
    );
    if (keyset) conditions.push(keyset);
  }
  return db
    .select()
    .from(webhookDeliveries)
    .where(and(...conditions))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(params.limit + 1);
}
