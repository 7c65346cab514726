import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "../client";
import {
  type AccountTokenPurpose,
  accountTokens,
  apiTokens,
  oauthAccounts,
  recoveryCodes,
  sessions,
  twoFactorChallenges,
  userDevices,
  users,
} from "../schema";

// ---- Mailed tokens: verification and password reset ----

/** Stores a new token (its hash) and deletes the user's older unused ones of the same purpose. */
export async function replaceAccountToken(
  db: Database,
  values: { userId: string; purpose: AccountTokenPurpose; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .delete(accountTokens)
      .where(
        and(
          eq(accountTokens.userId, values.userId),
          eq(accountTokens.purpose, values.purpose),
          isNull(accountTokens.usedAt),
        ),
      );
    await tx.insert(accountTokens).values(values);
  });
}

/** Why a token cannot be spent: for a stable error code. */
export type AccountTokenState = "unknown" | "used" | "expired" | "valid";

export async function accountTokenState(
  db: Database,
  params: { tokenHash: string; purpose: AccountTokenPurpose; now: Date },
): Promise<AccountTokenState> {
  const rows = await db
    .select({ usedAt: accountTokens.usedAt, expiresAt: accountTokens.expiresAt })
    .from(accountTokens)
    .where(and(eq(accountTokens.tokenHash, params.tokenHash), eq(accountTokens.purpose, params.purpose)));
  const row = rows[0];
  if (!row) return "unknown";
  if (row.usedAt) return "used";
  return row.expiresAt.getTime() <= params.now.getTime() ? "expired" : "valid";
}

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * Single use: the check (right purpose, unused, unexpired) and the spending are one UPDATE, so
 * of two requests with the same token exactly one gets the user id.
 */
async function spendAccountToken(
  tx: Transaction,
  params: { tokenHash: string; purpose: AccountTokenPurpose; now: Date },
): Promise<string | null> {
  const rows = await tx
    .update(accountTokens)
    .set({ usedAt: params.now })
    .where(
      and(
        eq(accountTokens.tokenHash, params.tokenHash),
        eq(accountTokens.purpose, params.purpose),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, params.now),
      ),
    )
    .returning({ userId: accountTokens.userId });
  return rows[0]?.userId ?? null;
}

/** Spends a verification token and marks the address verified; the user id, or null. */
export async function verifyEmailWithToken(
  db: Database,
  params: { tokenHash: string; now: Date },
): Promise<string | null> {
  return db.transaction(async (tx) => {
    const userId = await spendAccountToken(tx, { ...params, purpose: "verify_email" });
    if (!userId) return null;
    await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${params.now})`, updatedAt: params.now })
      .where(eq(users.id, userId));
    return userId;
  });
}

/**
 * Spends a reset token and, in the same transaction, sets the new password, marks the address
 * verified (the mailed link proved it) and ends every way in that the old password opened:
 * sessions, 2FA challenges waiting for a code, personal API tokens. 2FA itself stays on for an
 * address that was verified already (a reset must not bypass it). For an address nobody had
 * verified, whoever made the account may not be the mailbox's owner (a squatter who typed it
 * first): their 2FA, recovery codes and linked identities end too, as at an OAuth claim.
 */
export async function resetPasswordWithToken(
  db: Database,
  params: { tokenHash: string; passwordHash: string; now: Date },
): Promise<{ userId: string; wasVerified: boolean } | null> {
  return db.transaction(async (tx) => {
    const userId = await spendAccountToken(tx, { ...params, purpose: "password_reset" });
    if (!userId) return null;
    const [before] = await tx
      .select({ verifiedAt: users.emailVerifiedAt })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    const wasVerified = Boolean(before?.verifiedAt);
    await tx
      .update(users)
      .set({
        passwordHash: params.passwordHash,
        emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${params.now})`,
        updatedAt: params.now,
        ...(wasVerified
          ? {}
          : {
              totpSecretEncrypted: null,
              totpPendingSecretEncrypted: null,
              totpEnabledAt: null,
              totpLastUsedStep: null,
            }),
      })
      .where(eq(users.id, userId));
    if (!wasVerified) {
      await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      await tx.delete(oauthAccounts).where(eq(oauthAccounts.userId, userId));
    }
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await tx.delete(twoFactorChallenges).where(eq(twoFactorChallenges.userId, userId));
    await tx.delete(apiTokens).where(eq(apiTokens.userId, userId));
    // Links mailed before the reset are void too: the account's state changed under them.
    await tx.delete(accountTokens).where(and(eq(accountTokens.userId, userId), isNull(accountTokens.usedAt)));
    return { userId, wasVerified };
  });
}

export async function isEmailVerified(db: Database, userId: string): Promise<boolean> {
  const rows = await db.select({ verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
  return Boolean(rows[0]?.verifiedAt);
}

// ---- Known browsers ----

/**
 * Records that the user signed in from this browser. `known`: it had signed in before;
 * `firstOfAccount`: the account had no browser on record (its first sign-in).
 */
export async function recordUserDevice(
  db: Database,
  params: { userId: string; deviceHash: string; now: Date },
): Promise<{ known: boolean; firstOfAccount: boolean }> {
  const rows = await db
    .select({
      any: sql<boolean>`count(*) > 0`,
      known: sql<boolean>`coalesce(bool_or(${userDevices.deviceHash} = ${params.deviceHash}), false)`,
    })
    .from(userDevices)
    .where(eq(userDevices.userId, params.userId));
  await db
    .insert(userDevices)
    .values({ userId: params.userId, deviceHash: params.deviceHash, lastSeenAt: params.now })
    .onConflictDoUpdate({
      target: [userDevices.userId, userDevices.deviceHash],
      set: { lastSeenAt: params.now },
    });
  return { known: rows[0]?.known ?? false, firstOfAccount: !rows[0]?.any };
}
