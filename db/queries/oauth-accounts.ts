import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../client";
import {
  accountTokens,
  apiTokens,
  oauthAccounts,
  recoveryCodes,
  sessions,
  twoFactorChallenges,
  userDevices,
  users,
} from "../schema";

export type OAuthProviderName = (typeof oauthAccounts.$inferSelect)["provider"];

export interface OAuthIdentity {
  provider: OAuthProviderName;
  providerUserId: string;
}

/** The account an identity at a provider belongs to, or null. */
export async function findOAuthAccountOwner(db: Database, identity: OAuthIdentity): Promise<string | null> {
  const rows = await db
    .select({ userId: oauthAccounts.userId })
    .from(oauthAccounts)
    .where(
      and(
        eq(oauthAccounts.provider, identity.provider),
        eq(oauthAccounts.providerUserId, identity.providerUserId),
      ),
    );
  return rows[0]?.userId ?? null;
}

/**
 * Links an identity to a user. False when either unique key is taken: the identity belongs to
 * someone (perhaps this user, after a race), or this user already has another identity at the
 * provider. The caller tells them apart with `findOAuthAccountOwner`.
 */
export async function insertOAuthAccount(
  db: Database,
  values: OAuthIdentity & { userId: string; email: string | null },
): Promise<boolean> {
  const rows = await db
    .insert(oauthAccounts)
    .values(values)
    .onConflictDoNothing()
    .returning({ userId: oauthAccounts.userId });
  return rows.length > 0;
}

/**
 * Creates a passwordless user and its identity in one transaction, so an account never exists
 * without a way to sign in. Null (nothing created) when the email or the identity was taken
 * in the meantime.
 */
export async function insertUserWithOAuthAccount(
  db: Database,
  values: OAuthIdentity & { email: string; name: string },
): Promise<string | null> {
  const TAKEN = Symbol("taken");
  try {
    return await db.transaction(async (tx) => {
      const created = await tx
        .insert(users)
        .values({ email: values.email, name: values.name, passwordHash: null, emailVerifiedAt: new Date() })
        .onConflictDoNothing()
        .returning({ id: users.id });
      const userId = created[0]?.id;
      if (!userId) throw TAKEN;
      const linked = await tx
        .insert(oauthAccounts)
        .values({
          provider: values.provider,
          providerUserId: values.providerUserId,
          userId,
          email: values.email,
        })
        .onConflictDoNothing()
        .returning({ userId: oauthAccounts.userId });
      if (linked.length === 0) throw TAKEN;
      return userId;
    });
  } catch (error) {
    if (error === TAKEN) return null;
    throw error;
  }
}

/**
 * Unlinks a provider unless it is the user's last way to sign in: no password and no other
 * linked provider among `usableProviders` (the ones currently offered). The user row is locked
 * first, so two unlinks (or an unlink and a password removal) cannot both pass the check and
 * leave the account unreachable.
 */
export async function deleteOAuthAccountIfNotLast(
  db: Database,
  userId: string,
  provider: OAuthProviderName,
  usableProviders: readonly OAuthProviderName[],
): Promise<"deleted" | "not-linked" | "last-method"> {
  return db.transaction(async (tx) => {
    const locked = await tx
      .select({ hasPassword: sql<boolean>`${users.passwordHash} is not null` })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (locked.length === 0) return "not-linked";
    const linked = await tx
      .select({ provider: oauthAccounts.provider })
      .from(oauthAccounts)
      .where(eq(oauthAccounts.userId, userId));
    if (!linked.some((row) => row.provider === provider)) return "not-linked";
    const hasOtherProvider = linked.some(
      (row) => row.provider !== provider && usableProviders.includes(row.provider),
    );
    if (!locked[0]?.hasPassword && !hasOtherProvider) return "last-method";
    await tx
      .delete(oauthAccounts)
      .where(and(eq(oauthAccounts.userId, userId), eq(oauthAccounts.provider, provider)));
    return "deleted";
  });
}

/**
 * A provider proved it owns the email of an account nobody has verified: the account becomes
 * the provider identity's. Whoever made it (perhaps a squatter who typed the owner's address
 * first) loses every way in they may have set up: the password, 2FA and its recovery codes, other
 * linked identities, sessions, pending 2FA sign-ins, personal API tokens, unspent mailed links
 * and known browsers. One transaction, conditional on the address still being unverified:
 * false when it was verified (or the account deleted) in the meantime.
 */
export async function claimUnverifiedAccount(
  db: Database,
  values: OAuthIdentity & { userId: string; email: string; now: Date },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const claimed = await tx
      .update(users)
      .set({
        emailVerifiedAt: values.now,
        passwordHash: null,
        totpSecretEncrypted: null,
        totpPendingSecretEncrypted: null,
        totpEnabledAt: null,
        totpLastUsedStep: null,
        updatedAt: values.now,
      })
      .where(and(eq(users.id, values.userId), isNull(users.emailVerifiedAt)))
      .returning({ id: users.id });
    if (claimed.length === 0) return false;
    const { userId } = values;
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.delete(oauthAccounts).where(eq(oauthAccounts.userId, userId));
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await tx.delete(twoFactorChallenges).where(eq(twoFactorChallenges.userId, userId));
    await tx.delete(apiTokens).where(eq(apiTokens.userId, userId));
    await tx.delete(accountTokens).where(eq(accountTokens.userId, userId));
    await tx.delete(userDevices).where(eq(userDevices.userId, userId));
    await tx.insert(oauthAccounts).values({
      provider: values.provider,
      providerUserId: values.providerUserId,
      userId,
      email: values.email,
    });
    return true;
  });
}
