import { and, count, eq, gt, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { recoveryCodes, twoFactorChallenges, users } from "../schema";

// ---- Login challenges (password done, second factor pending) ----

export async function insertTwoFactorChallenge(
  db: Database,
  values: { id: string; userId: string; secretHash: string; expiresAt: Date },
): Promise<void> {
  await db.insert(twoFactorChallenges).values(values);
}

export interface TwoFactorChallengeRecord {
  id: string;
  userId: string;
  secretHash: string;
  failedAttempts: number;
  expiresAt: Date;
}

export async function findTwoFactorChallenge(
  db: Database,
  id: string,
): Promise<TwoFactorChallengeRecord | null> {
  const rows = await db
    .select({
      id: twoFactorChallenges.id,
      userId: twoFactorChallenges.userId,
      secretHash: twoFactorChallenges.secretHash,
      failedAttempts: twoFactorChallenges.failedAttempts,
      expiresAt: twoFactorChallenges.expiresAt,
    })
    .from(twoFactorChallenges)
    .where(eq(twoFactorChallenges.id, id));
  return rows[0] ?? null;
}

export async function deleteTwoFactorChallenge(db: Database, id: string): Promise<void> {
  await db.delete(twoFactorChallenges).where(eq(twoFactorChallenges.id, id));
}

/**
 * Counts one wrong code and returns the new total, or null when the challenge is gone. The
 * increment happens in SQL, so concurrent wrong codes are all counted.
 */
export async function incrementChallengeFailures(db: Database, id: string): Promise<number | null> {
  const rows = await db
    .update(twoFactorChallenges)
    .set({ failedAttempts: sql`${twoFactorChallenges.failedAttempts} + 1` })
    .where(eq(twoFactorChallenges.id, id))
    .returning({ failedAttempts: twoFactorChallenges.failedAttempts });
  return rows[0]?.failedAttempts ?? null;
}

/**
 * Single use: the check (not expired, under the failure limit) and the delete are one
 * statement, so of two requests finishing the same challenge only one gets the user id.
 */
export async function consumeTwoFactorChallenge(
  db: Database,
  params: { id: string; maxFailedAttempts: number; now: Date },
): Promise<string | null> {
  const rows = await db
    .delete(twoFactorChallenges)
    .where(
      and(
        eq(twoFactorChallenges.id, params.id),
        lt(twoFactorChallenges.failedAttempts, params.maxFailedAttempts),
        gt(twoFactorChallenges.expiresAt, params.now),
      ),
    )
    .returning({ userId: twoFactorChallenges.userId });
  return rows[0]?.userId ?? null;
}

// ---- The user's TOTP state ----

export interface TotpState {
  email: string;
  hasPassword: boolean;
  totpSecretEncrypted: string | null;
  totpPendingSecretEncrypted: string | null;
  totpEnabledAt: Date | null;
}

export async function findTotpState(db: Database, userId: string): Promise<TotpState | null> {
  const rows = await db
    .select({
      email: users.email,
      hasPassword: sql<boolean>`${users.passwordHash} is not null`,
      totpSecretEncrypted: users.totpSecretEncrypted,
      totpPendingSecretEncrypted: users.totpPendingSecretEncrypted,
      totpEnabledAt: users.totpEnabledAt,
    })
    .from(users)
    .where(eq(users.id, userId));
  return rows[0] ?? null;
}

/** Stores a setup secret awaiting confirmation; false when 2FA is already on. */
export async function setPendingTotpSecret(
  db: Database,
  userId: string,
  pendingSecretEncrypted: string,
): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ totpPendingSecretEncrypted: pendingSecretEncrypted, updatedAt: new Date() })
    .where(and(eq(users.id, userId), isNull(users.totpEnabledAt)))
    .returning({ id: users.id });
  return rows.length > 0;
}

/**
 * Replay protection: records `step` as the last used TOTP step only if it is later than the
 * stored one. The comparison and the write are one statement, so of two requests with the
 * same code only one gets true.
 */
export async function claimTotpStep(db: Database, userId: string, step: number): Promise<boolean> {
  const rows = await db
    .update(users)
    .set({ totpLastUsedStep: step })
    .where(
      and(
        eq(users.id, userId),
        isNotNull(users.totpEnabledAt),
        or(isNull(users.totpLastUsedStep), lt(users.totpLastUsedStep, step)),
      ),
    )
    .returning({ id: users.id });
  return rows.length > 0;
}

/**
 * Turns the confirmed pending secret into the active one and stores the first recovery codes,
 * in one transaction. The update only matches when the pending secret is still the one the
 * code was checked against, 2FA is still off and `step` is new: false otherwise (nothing done).
 */
export async function enableTotp(
  db: Database,
  params: { userId: string; pendingSecretEncrypted: string; step: number; recoveryCodeHashes: string[] },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(users)
      .set({
        totpSecretEncrypted: params.pendingSecretEncrypted,
        totpPendingSecretEncrypted: null,
        totpEnabledAt: sql`now()`,
        totpLastUsedStep: params.step,
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(users.id, params.userId),
          isNull(users.totpEnabledAt),
          eq(users.totpPendingSecretEncrypted, params.pendingSecretEncrypted),
          or(isNull(users.totpLastUsedStep), lt(users.totpLastUsedStep, params.step)),
        ),
      )
      .returning({ id: users.id });
    if (rows.length === 0) return false;
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, params.userId));
    await tx
      .insert(recoveryCodes)
      .values(params.recoveryCodeHashes.map((codeHash) => ({ userId: params.userId, codeHash })));
    return true;
  });
}

/** Turns 2FA off: every TOTP column cleared, every recovery code and pending login challenge gone. */
export async function disableTotp(db: Database, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        totpSecretEncrypted: null,
        totpPendingSecretEncrypted: null,
        totpEnabledAt: null,
        totpLastUsedStep: null,
        updatedAt: new Date(),
      })
      .where(eq(users.id, userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.delete(twoFactorChallenges).where(eq(twoFactorChallenges.userId, userId));
  });
}

// ---- Recovery codes ----

/**
 * Replaces every recovery code of the user in one transaction (the old ones are void once it
 * commits). The user row is locked first and must still have 2FA on: false otherwise.
 */
export async function replaceRecoveryCodes(
  db: Database,
  userId: string,
  codeHashes: string[],
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const locked = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, userId), isNotNull(users.totpEnabledAt)))
      .for("update");
    if (locked.length === 0) return false;
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.insert(recoveryCodes).values(codeHashes.map((codeHash) => ({ userId, codeHash })));
    return true;
  });
}

/**
 * Single use: the check and the spending are one `delete ... returning`, so of two requests
 * with the same code exactly one gets true. `codeHashes` are the forms one code may be stored
 * as (keyed under each key version, or the legacy unkeyed hash).
 */
export async function spendRecoveryCode(
  db: Database,
  userId: string,
  codeHashes: string[],
): Promise<boolean> {
  if (codeHashes.length === 0) return false;
  const rows = await db
    .delete(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), inArray(recoveryCodes.codeHash, codeHashes)))
    .returning({ userId: recoveryCodes.userId });
  return rows.length > 0;
}

export async function countRecoveryCodes(db: Database, userId: string): Promise<number> {
  const rows = await db
    .select({ remaining: count() })
    .from(recoveryCodes)
    .where(eq(recoveryCodes.userId, userId));
  return rows[0]?.remaining ?? 0;
}
