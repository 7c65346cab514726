import { and, desc, eq, gt, isNull, or } from "drizzle-orm";
import type { Database } from "../client";
import { apiTokens } from "../schema";

export async function insertApiToken(
  db: Database,
  values: {
    id: string;
    userId: string;
    name: string;
    secretHash: string;
    displayPrefix: string;
    expiresAt: Date | null;
  },
) {
  const rows = await db.insert(apiTokens).values(values).returning({
    id: apiTokens.id,
    name: apiTokens.name,
    displayPrefix: apiTokens.displayPrefix,
    createdAt: apiTokens.createdAt,
    expiresAt: apiTokens.expiresAt,
  });
  const row = rows[0];
  if (!row) throw new Error("insert returned no row");
  return row;
}

export async function findActiveApiToken(db: Database, id: string, now: Date) {
  const rows = await db
    .select({
      id: apiTokens.id,
      userId: apiTokens.userId,
      secretHash: apiTokens.secretHash,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now))));
  return rows[0] ?? null;
}

export async function touchApiToken(db: Database, id: string, now: Date): Promise<void> {
  await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, id));
}

export async function listApiTokens(db: Database, userId: string) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      displayPrefix: apiTokens.displayPrefix,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      expiresAt: apiTokens.expiresAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.createdAt))
    .limit(100);
}

export async function deleteApiToken(db: Database, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(apiTokens)
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

/** Revokes every personal API token of the user (after a password change). */
export async function deleteApiTokensOfUser(db: Database, userId: string): Promise<void> {
  await db.delete(apiTokens).where(eq(apiTokens.userId, userId));
}
