import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../client";
import { oauthAccounts, type UserLocale, users } from "../schema";

/** The columns every auth decision needs; secrets stay out unless asked for. */
const userColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  locale: users.locale,
  totpEnabledAt: users.totpEnabledAt,
  emailVerifiedAt: users.emailVerifiedAt,
  hasPassword: sql<boolean>`${users.passwordHash} is not null`,
};

export type UserSummary = {
  id: string;
  email: string;
  name: string;
  locale: UserLocale;
  totpEnabledAt: Date | null;
  emailVerifiedAt: Date | null;
  hasPassword: boolean;
};

export async function findUserById(db: Database, id: string): Promise<UserSummary | null> {
  const rows = await db.select(userColumns).from(users).where(eq(users.id, id));
  return rows[0] ?? null;
}

/** Emails are unique regardless of case. */
export async function findUserCredentialsByEmail(db: Database, email: string) {
  const rows = await db
    .select({ ...userColumns, passwordHash: users.passwordHash })
    .from(users)
    .where(sql`lower(${users.email}) = lower(${email})`);
  return rows[0] ?? null;
}

export async function getPasswordHash(db: Database, userId: string): Promise<string | null> {
  const rows = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return rows[0]?.passwordHash ?? null;
}

/** Returns null when the email is taken (the unique index decides, so races are safe). */
export async function insertUser(
  db: Database,
  values: { email: string; name: string; locale?: UserLocale; passwordHash: string | null },
): Promise<UserSummary | null> {
  const rows = await db.insert(users).values(values).onConflictDoNothing().returning(userColumns);
  return rows[0] ?? null;
}

export async function updateUserProfile(
  db: Database,
  userId: string,
  values: { name?: string; locale?: UserLocale },
): Promise<UserSummary | null> {
  const rows = await db
    .update(users)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning(userColumns);
  return rows[0] ?? null;
}

export async function setPasswordHash(db: Database, userId: string, passwordHash: string): Promise<void> {
  await db.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, userId));
}

export async function listLinkedProviders(db: Database, userId: string): Promise<string[]> {
  const rows = await db
    .select({ provider: oauthAccounts.provider })
    .from(oauthAccounts)
    .where(and(eq(oauthAccounts.userId, userId)))
    .orderBy(oauthAccounts.provider);
  return rows.map((row) => row.provider);
}
