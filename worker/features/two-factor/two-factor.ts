import { decodeBase32IgnorePadding, encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { createTOTPKeyURI, generateHOTP } from "@oslojs/otp";
import { renderSVG } from "uqr";
import type { Database } from "../../../db/client";
import {
  claimTotpStep,
  consumeTwoFactorChallenge,
  countRecoveryCodes,
  deleteTwoFactorChallenge,
  disableTotp,
  enableTotp,
  findTotpState,
  findTwoFactorChallenge,
  incrementChallengeFailures,
  replaceRecoveryCodes,
  setPendingTotpSecret,
  spendRecoveryCode,
} from "../../../db/queries/two-factor";
import { getPasswordHash } from "../../../db/queries/users";
import { constantTimeEqualString, randomBytes, sha256Hex } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { parseIdSecretToken, secretMatchesHash } from "../../lib/id-secret-token";
import { verifyPassword } from "../../lib/password";
import type { SecretBox } from "../../lib/secret-box";
import type { RecoveryCodes, TotpSetup, TwoFactorStatus } from "./schemas";

/** RFC 6238 as every authenticator app defaults to: HMAC-SHA-1, 6 digits, 30 s steps. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one (clock drift, a code typed at the edge). */
export const TOTP_SLACK_STEPS = 1;
const TOTP_SECRET_BYTES = 20;
const TOTP_ISSUER = "SeqPulse";
export const TOTP_CODE_PATTERN = /^\d{6}$/;

/** Wrong codes a login challenge survives; the fifth ends it. */
export const MAX_CHALLENGE_FAILURES = 5;

export const RECOVERY_CODE_COUNT = 10;
/** 32 symbols without 0/O and 1/I, so a code read off paper is typed back right: 5 bits each. */
export const RECOVERY_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/** 10 symbols = 50 bits, shown as XXXX-XXXX-XX. */
const RECOVERY_CODE_LENGTH = 10;

const totpContext = (userId: string) => `totp:${userId}`;

export function totpStepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

export function totpCodeForStep(key: Uint8Array, step: number, digits = TOTP_DIGITS): string {
  return generateHOTP(key, BigInt(step), digits);
}

/**
 * The step whose code `code` is, within the slack around `now`, or null. `@oslojs/otp` only
 * answers true/false; replay protection needs the step. Every candidate is compared, in
 * constant time, whatever matched before.
 */
export function matchingTotpStep(key: Uint8Array, code: string, now: Date): number | null {
  const current = totpStepAt(now);
  let matched: number | null = null;
  for (let step = current - TOTP_SLACK_STEPS; step <= current + TOTP_SLACK_STEPS; step++) {
    if (constantTimeEqualString(totpCodeForStep(key, step), code) && matched === null) matched = step;
  }
  return matched;
}

// ---- Recovery codes ----

export function generateRecoveryCode(): string {
  // 32 symbols divide 256, so the low 5 bits of a random byte pick a symbol without bias.
  const symbols = Array.from(
    randomBytes(RECOVERY_CODE_LENGTH),
    (byte) => RECOVERY_CODE_ALPHABET[byte & 31],
  ).join("");
  return `${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8)}`;
}

/** Upper case, without spaces or dashes: how a code is hashed and compared. */
export function normaliseRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, "").toUpperCase();
}

export function isRecoveryCodeShape(code: string): boolean {
  const normalised = normaliseRecoveryCode(code);
  return (
    normalised.length === RECOVERY_CODE_LENGTH &&
    [...normalised].every((symbol) => RECOVERY_CODE_ALPHABET.includes(symbol))
  );
}

const RECOVERY_CODE_PURPOSE = "recovery-code";
/** The user id goes into the hash: the same code of two users hashes differently. */
const recoveryCodeMessage = (userId: string, code: string) => `${userId}:${normaliseRecoveryCode(code)}`;

/** How a recovery code is stored: keyed (HMAC under a server secret, see `SecretBox`). */
export function hashRecoveryCode(box: SecretBox, userId: string, code: string): Promise<string> {
  return box.keyedHash(recoveryCodeMessage(userId, code), RECOVERY_CODE_PURPOSE);
}

/** The unkeyed hash recovery codes were stored as before keyed hashes. */
export function legacyRecoveryCodeHash(code: string): Promise<string> {
  return sha256Hex(normaliseRecoveryCode(code));
}

/**
 * Every stored form `code` may have: keyed under each listed key version (so codes outlive a key
 * rotation while the old key stays listed), and the unkeyed SHA-256 of rows written before keyed
 * hashes. Such a legacy row still works once and is then spent like any code; it cannot be
 * rewritten keyed (only its hash is known), so the legacy form goes as its codes are used or
 * regenerated.
 */
export async function recoveryCodeHashCandidates(
  box: SecretBox,
  userId: string,
  code: string,
): Promise<string[]> {
  const keyed = await box.keyedHashCandidates(recoveryCodeMessage(userId, code), RECOVERY_CODE_PURPOSE);
  return [...keyed, await legacyRecoveryCodeHash(code)];
}

async function newRecoveryCodes(
  box: SecretBox,
  userId: string,
): Promise<{ codes: string[]; hashes: string[] }> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  return { codes, hashes: await Promise.all(codes.map((code) => hashRecoveryCode(box, userId, code))) };
}

// ---- Management (signed-in user) ----

const invalidCode = () =>
  new ApiError("INVALID_CODE", "The code is wrong or already used.", {
    fields: [{ field: "code", message: "The code is wrong or already used." }],
  });

export async function twoFactorStatus(db: Database, userId: string): Promise<TwoFactorStatus> {
  const state = await findTotpState(db, userId);
  if (!state) throw new ApiError("UNAUTHENTICATED", "Sign in to continue.");
  const enabled = state.totpEnabledAt !== null;
  return { enabled, recoveryCodesRemaining: enabled ? await countRecoveryCodes(db, userId) : 0 };
}

/**
 * Offers a fresh secret (replacing any earlier unconfirmed one); 2FA is on only once `enable`
 * gets a code from it.
 */
export async function startTotpSetup(db: Database, box: SecretBox, userId: string): Promise<TotpSetup> {
  const state = await findTotpState(db, userId);
  if (!state) throw new ApiError("UNAUTHENTICATED", "Sign in to continue.");
  if (state.totpEnabledAt) {
    throw new ApiError("TWO_FACTOR_ALREADY_ENABLED", "Two-factor authentication is already on.");
  }
  const key = randomBytes(TOTP_SECRET_BYTES);
  const secret = encodeBase32UpperCaseNoPadding(key);
  const stored = await setPendingTotpSecret(db, userId, await box.encrypt(secret, totpContext(userId)));
  if (!stored) throw new ApiError("TWO_FACTOR_ALREADY_ENABLED", "Two-factor authentication is already on.");
  const otpauthUri = createTOTPKeyURI(TOTP_ISSUER, state.email, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
  // Drawn here: the secret never goes to a third-party QR service.
  const qrSvg = renderSVG(otpauthUri, { ecc: "M", border: 4 });
  return { secret, otpauthUri, qrSvg };
}

/** Confirms the pending secret with a code from it; answers the first recovery codes (shown once). */
export async function confirmTotpSetup(
  db: Database,
  box: SecretBox,
  params: { userId: string; code: string; now?: Date },
): Promise<RecoveryCodes> {
  const state = await findTotpState(db, params.userId);
  if (!state) throw new ApiError("UNAUTHENTICATED", "Sign in to continue.");
  if (state.totpEnabledAt) {
    throw new ApiError("TWO_FACTOR_ALREADY_ENABLED", "Two-factor authentication is already on.");
  }
  if (!state.totpPendingSecretEncrypted) {
    throw new ApiError("CONFLICT", "Start two-factor setup first.");
  }
  const key = decodeBase32IgnorePadding(
    await box.decrypt(state.totpPendingSecretEncrypted, totpContext(params.userId)),
  );
  const step = matchingTotpStep(key, params.code, params.now ?? new Date());
  if (step === null) throw invalidCode();
  const { codes, hashes } = await newRecoveryCodes(box, params.userId);
  const enabled = await enableTotp(db, {
    userId: params.userId,
    pendingSecretEncrypted: state.totpPendingSecretEncrypted,
    step,
    recoveryCodeHashes: hashes,
  });
  // Lost a race: another request enabled 2FA, restarted setup, or used this step.
  if (!enabled) throw invalidCode();
  return { recoveryCodes: codes };
}

/**
 * Checks a TOTP code against the user's active secret and spends its step: true at most once
 * per step, whatever runs concurrently.
 */
export async function verifyTotpCode(
  db: Database,
  box: SecretBox,
  params: { userId: string; code: string; now?: Date },
): Promise<boolean> {
  const state = await findTotpState(db, params.userId);
  if (!state?.totpSecretEncrypted) return false;
  const key = decodeBase32IgnorePadding(
    await box.decrypt(state.totpSecretEncrypted, totpContext(params.userId)),
  );
  const step = matchingTotpStep(key, params.code, params.now ?? new Date());
  if (step === null) return false;
  return claimTotpStep(db, params.userId, step);
}

export async function verifyRecoveryCode(
  db: Database,
  box: SecretBox,
  userId: string,
  code: string,
): Promise<boolean> {
  return spendRecoveryCode(db, userId, await recoveryCodeHashCandidates(box, userId, code));
}

/** A TOTP code (6 digits) or a recovery code (10 symbols), whichever shape `code` has. */
export function verifyTotpOrRecoveryCode(
  db: Database,
  box: SecretBox,
  params: { userId: string; code: string; now?: Date },
): Promise<boolean> {
  return TOTP_CODE_PATTERN.test(params.code)
    ? verifyTotpCode(db, box, params)
    : verifyRecoveryCode(db, box, params.userId, params.code);
}

async function requireEnabled(db: Database, userId: string) {
  const state = await findTotpState(db, userId);
  if (!state) throw new ApiError("UNAUTHENTICATED", "Sign in to continue.");
  if (!state.totpEnabledAt) {
    throw new ApiError("TWO_FACTOR_NOT_ENABLED", "Two-factor authentication is not on.");
  }
  return state;
}

/**
 * Turns 2FA off. Needs the password when the account has one (OAuth-only accounts have none)
 * and a valid TOTP or recovery code: a stolen session alone is not enough.
 */
export async function turnOffTwoFactor(
  db: Database,
  box: SecretBox,
  params: { userId: string; password?: string; code: string; now?: Date },
): Promise<void> {
  await requireEnabled(db, params.userId);
  const passwordHash = await getPasswordHash(db, params.userId);
  if (passwordHash) {
    const valid = params.password ? await verifyPassword(passwordHash, params.password) : false;
    if (!valid) {
      const message = params.password ? "The password is wrong." : "Enter your password.";
      throw new ApiError("VALIDATION_FAILED", message, { fields: [{ field: "password", message }] });
    }
  }
  if (!(await verifyTotpOrRecoveryCode(db, box, params))) throw invalidCode();
  await disableTotp(db, params.userId);
}

/** New recovery codes after a valid TOTP code; the old ones stop working. */
export async function regenerateRecoveryCodes(
  db: Database,
  box: SecretBox,
  params: { userId: string; code: string; now?: Date },
): Promise<RecoveryCodes> {
  await requireEnabled(db, params.userId);
  if (!(await verifyTotpCode(db, box, params))) throw invalidCode();
  const { codes, hashes } = await newRecoveryCodes(box, params.userId);
  if (!(await replaceRecoveryCodes(db, params.userId, hashes))) {
    throw new ApiError("TWO_FACTOR_NOT_ENABLED", "Two-factor authentication is not on.");
  }
  return { recoveryCodes: codes };
}

// ---- Login challenges ----

export interface LoginChallenge {
  id: string;
  userId: string;
}

/**
 * The challenge a pre-auth cookie `<id>.<secret>` stands for, or null (missing, forged,
 * expired, or ended by too many wrong codes). An expired one is deleted on sight.
 */
export async function validateChallengeToken(
  db: Database,
  token: string | undefined,
  now = new Date(),
): Promise<LoginChallenge | null> {
  const parsed = token ? parseIdSecretToken(token) : null;
  if (!parsed) return null;
  const { id, secret } = parsed;
  const challenge = await findTwoFactorChallenge(db, id);
  if (!challenge) return null;
  if (!(await secretMatchesHash(secret, challenge.secretHash))) return null;
  if (challenge.expiresAt.getTime() <= now.getTime() || challenge.failedAttempts >= MAX_CHALLENGE_FAILURES) {
    await deleteTwoFactorChallenge(db, id);
    return null;
  }
  return { id, userId: challenge.userId };
}

/**
 * Counts a wrong code on the challenge; once the limit is reached the challenge is deleted and
 * answers `ended` (the user must sign in with the password again).
 */
export async function recordChallengeFailure(
  db: Database,
  challengeId: string,
): Promise<"counted" | "ended"> {
  const failures = await incrementChallengeFailures(db, challengeId);
  if (failures === null) return "ended";
  if (failures >= MAX_CHALLENGE_FAILURES) {
    await deleteTwoFactorChallenge(db, challengeId);
    return "ended";
  }
  return "counted";
}

/** Ends the challenge after a right code; the user id, or null if it ended meanwhile. */
export function completeChallenge(
  db: Database,
  challengeId: string,
  now = new Date(),
): Promise<string | null> {
  return consumeTwoFactorChallenge(db, { id: challengeId, maxFailedAttempts: MAX_CHALLENGE_FAILURES, now });
}
