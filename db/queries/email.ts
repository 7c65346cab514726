import { and, desc, eq, gt, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import {
  deployments,
  type EmailDeliveryStatus,
  emailDeliveries,
  projects,
  type UserLocale,
  userEmailPreferences,
  users,
} from "../schema";

export interface EmailDeliveryKey {
  userId: string;
  projectId: string | null;
  emailType: string;
  dedupeKey: string;
}

export async function findEmailDelivery(
  db: Database,
  dedupeKey: string,
): Promise<{ id: string; status: EmailDeliveryStatus } | null> {
  const rows = await db
    .select({ id: emailDeliveries.id, status: emailDeliveries.status })
    .from(emailDeliveries)
    .where(eq(emailDeliveries.dedupeKey, dedupeKey))
    .limit(1);
  return rows[0] ?? null;
}

export async function emailRecipient(
  db: Database,
  userId: string,
): Promise<{ email: string; name: string; locale: UserLocale } | null> {
  const rows = await db
    .select({ email: users.email, name: users.name, locale: users.locale })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return rows[0] ?? null;
}

export async function userOwnsAnyProject(db: Database, userId: string): Promise<boolean> {
  const rows = await db
    .select({ id: projects.id })
    .from(projects)
    .where(eq(projects.ownerId, userId))
    .limit(1);
  return rows.length > 0;
}

export interface EmailPreferences {
  product: boolean;
  alerts: boolean;
}

/** No row: everything on. */
export async function getEmailPreferences(db: Database, userId: string): Promise<EmailPreferences> {
  const rows = await db
    .select({ product: userEmailPreferences.product, alerts: userEmailPreferences.alerts })
    .from(userEmailPreferences)
    .where(eq(userEmailPreferences.userId, userId))
    .limit(1);
  return rows[0] ?? { product: true, alerts: true };
}

/** Sets the given switches, leaving the others as they were. */
export async function updateEmailPreferences(
  db: Database,
  userId: string,
  changes: Partial<EmailPreferences>,
  options: { now: Date; unsubscribed?: boolean },
): Promise<EmailPreferences> {
  const set = {
    ...changes,
    updatedAt: options.now,
    ...(options.unsubscribed && { unsubscribedAt: options.now }),
  };
  const rows = await db
    .insert(userEmailPreferences)
    .values({ userId, product: true, alerts: true, ...set })
    .onConflictDoUpdate({ target: userEmailPreferences.userId, set })
    .returning({ product: userEmailPreferences.product, alerts: userEmailPreferences.alerts });
  const row = rows[0];
  if (!row) throw new Error("email preferences upsert returned no row");
  return row;
}

/** When the user was last sent one of `types` after `since`; null if never. */
export async function lastEmailSentAt(
  db: Database,
  params: { userId: string; types: readonly string[]; since: Date },
): Promise<Date | null> {
  const rows = await db
    .select({ sentAt: emailDeliveries.sentAt })
    .from(emailDeliveries)
    .where(
      and(
        eq(emailDeliveries.userId, params.userId),
        eq(emailDeliveries.status, "sent"),
        inArray(emailDeliveries.emailType, [...params.types]),
        gt(emailDeliveries.sentAt, params.since),
      ),
    )
    .orderBy(desc(emailDeliveries.sentAt))
    .limit(1);
  return rows[0]?.sentAt ?? null;
}

/**
 * Records a suppression: a new row, or an unsent one (queued/failed, no send in flight) turned
 * final. Returns false when the key's row is already final or being sent.
 */
export async function suppressEmailDelivery(
  db: Database,
  key: EmailDeliveryKey,
  reason: string,
  params: { now: Date; staleBefore: Date },
): Promise<boolean> {
  const inserted = await db
    .insert(emailDeliveries)
    .values({ ...key, status: "suppressed", payload: { reason } })
    .onConflictDoNothing({ target: emailDeliveries.dedupeKey })
    .returning({ id: emailDeliveries.id });
  if (inserted.length > 0) return true;
  const updated = await db
    .update(emailDeliveries)
    .set({ status: "suppressed", payload: { reason }, updatedAt: params.now })
    .where(
      and(
        eq(emailDeliveries.dedupeKey, key.dedupeKey),
        inArray(emailDeliveries.status, ["queued", "failed"]),
        or(isNull(emailDeliveries.sendingSince), lt(emailDeliveries.sendingSince, params.staleBefore)),
      ),
    )
    .returning({ id: emailDeliveries.id });
  return updated.length > 0;
}

/**
 * Takes the right to send a key: inserts its row as `queued` with `sending_since`, or takes over
 * an unsent row (queued/failed) whose previous send is not in flight. The unique key and the
 * conditional update make this the only runner holding it; null: someone else holds it or the
 * row is final.
 */
export async function claimEmailDelivery(
  db: Database,
  key: EmailDeliveryKey,
  payload: Record<string, unknown>,
  params: { now: Date; staleBefore: Date },
): Promise<string | null> {
  const inserted = await db
    .insert(emailDeliveries)
    .values({ ...key, status: "queued", payload, sendingSince: params.now })
    .onConflictDoNothing({ target: emailDeliveries.dedupeKey })
    .returning({ id: emailDeliveries.id });
  if (inserted[0]) return inserted[0].id;
  const updated = await db
    .update(emailDeliveries)
    .set({ status: "queued", payload, sendingSince: params.now, updatedAt: params.now })
    .where(
      and(
        eq(emailDeliveries.dedupeKey, key.dedupeKey),
        inArray(emailDeliveries.status, ["queued", "failed"]),
        or(isNull(emailDeliveries.sendingSince), lt(emailDeliveries.sendingSince, params.staleBefore)),
      ),
    )
    .returning({ id: emailDeliveries.id });
  return updated[0]?.id ?? null;
}

export async function markEmailSent(
  db: Database,
  id: string,
  params: { messageId: string; now: Date },
): Promise<void> {
  await db
    .update(emailDeliveries)
    .set({
      status: "sent",
      providerMessageId: params.messageId,
      sentAt: params.now,
      errorMessage: null,
      sendingSince: null,
      updatedAt: params.now,
    })
    .where(eq(emailDeliveries.id, id));
}

export async function markEmailFailed(
  db: Database,
  id: string,
  params: { error: string; now: Date },
): Promise<void> {
  await db
    .update(emailDeliveries)
    .set({
      status: "failed",
      errorMessage: params.error.slice(0, 1000),
      sendingSince: null,
      updatedAt: params.now,
    })
    .where(eq(emailDeliveries.id, id));
}

/** Deliveries of a user, newest first (tests and support). */
export async function listEmailDeliveries(db: Database, params: { userId: string; limit?: number }) {
  return db
    .select({
      id: emailDeliveries.id,
      emailType: emailDeliveries.emailType,
      dedupeKey: emailDeliveries.dedupeKey,
      status: emailDeliveries.status,
      payload: emailDeliveries.payload,
      errorMessage: emailDeliveries.errorMessage,
      providerMessageId: emailDeliveries.providerMessageId,
      sentAt: emailDeliveries.sentAt,
      projectId: emailDeliveries.projectId,
    })
    .from(emailDeliveries)
    .where(eq(emailDeliveries.userId, params.userId))
    .orderBy(desc(emailDeliveries.createdAt), sql`${emailDeliveries.id}`)
    .limit(params.limit ?? 100);
}

/** What a verdict's mail says about its deployment, and to whom (the project's owner). */
export async function verdictMailFacts(
  db: Database,
  deploymentId: string,
): Promise<{ ownerId: string; projectId: string; projectName: string; env: string; number: number } | null> {
  const rows = await db
    .select({
      ownerId: projects.ownerId,
      projectId: projects.id,
      projectName: projects.name,
      env: deployments.env,
      number: deployments.number,
    })
    .from(deployments)
    .innerJoin(projects, eq(projects.id, deployments.projectId))
    .where(eq(deployments.id, deploymentId))
    .limit(1);
  return rows[0] ?? null;
}
