// Links mailed to the owner of an address: verification and password reset. A token is minted
// only when its mail is rendered (the template's `prepare` hook), so no job or delivery row ever
// holds it; the database keeps its SHA-256. Spending it is one conditional UPDATE.
import type { Database } from "../../../db/client";
import {
  accountTokenState,
  isEmailVerified,
  resetPasswordWithToken,
  verifyEmailWithToken,
} from "../../../db/queries/account-tokens";
import { findUserCredentialsByEmail } from "../../../db/queries/users";
import type { AccountTokenPurpose } from "../../../db/schema";
import { sha256Hex } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { describeError, log } from "../../lib/log";
import { hashPassword } from "../../lib/password";
import { queueAccountMail, queueAccountMailOrFail } from "./account-mail";
import { ACCOUNT_TOKEN_SHAPE } from "./account-tokens";

/** The stable error for a token that could not be spent, read after the failed UPDATE. */
async function refusal(db: Database, tokenHash: string, purpose: AccountTokenPurpose, now: Date) {
  const state = await accountTokenState(db, { tokenHash, purpose, now });
  if (state === "used") return new ApiError("TOKEN_USED", "This link was already used; ask for a new one.");
  if (state === "expired") return new ApiError("TOKEN_EXPIRED", "This link has expired; ask for a new one.");
  return new ApiError("TOKEN_INVALID", "This link is not valid; ask for a new one.");
}

/**
 * The token's hash, or TOKEN_INVALID for anything that is not a token we mint (no query). The
 * row is then found by its hash: what the lookup's timing could reveal is a hash prefix of a
 * 256-bit secret, which helps no one guess it.
 */
async function hashOfToken(token: string): Promise<string> {
  if (!ACCOUNT_TOKEN_SHAPE.test(token))
    throw new ApiError("TOKEN_INVALID", "This link is not valid; ask for a new one.");
  return sha256Hex(token);
}

/** Spends a verification token: the address is verified. */
export async function verifyEmail(db: Database, token: string, now: Date): Promise<void> {
  const tokenHash = await hashOfToken(token);
  const userId = await verifyEmailWithToken(db, { tokenHash, now });
  if (!userId) throw await refusal(db, tokenHash, "verify_email", now);
}

/**
 * Mails the signed-in user a new verification link (superseding the previous one when it is
 * rendered); EMAIL_ALREADY_VERIFIED when there is nothing to verify.
 */
export async function requestEmailVerification(db: Database, userId: string, now: Date): Promise<void> {
  if (await isEmailVerified(db, userId)) {
    throw new ApiError("EMAIL_ALREADY_VERIFIED", "Your email address is already verified.");
  }
  await queueAccountMailOrFail(db, { type: "verify_email", userId }, now);
}

/**
 * Mails a reset link when an account has this address; nothing otherwise. The caller answers
 * the same either way and runs this after answering, so neither the answer nor its timing
 * tells whether the account exists.
 */
export async function requestPasswordReset(db: Database, email: string, now: Date): Promise<void> {
  try {
    const user = await findUserCredentialsByEmail(db, email);
    if (!user) return;
    await queueAccountMailOrFail(db, { type: "password_reset", userId: user.id }, now);
  } catch (error) {
    // Nobody waits for this answer: the log is where a failure shows.
    log("error", "password reset mail not queued", describeError(error));
  }
}

/**
 * Spends a reset token: the new password is set, the address counts as verified, and every
 * session, pending 2FA sign-in and personal API token of the account ends. 2FA stays on for a
 * verified address (the next sign-in still asks for the code); for an address nobody had
 * verified, 2FA and linked identities end too (see `resetPasswordWithToken`). Mails a
 * "password changed" notice.
 */
export async function resetPassword(
  db: Database,
  params: { token: string; password: string; now: Date },
): Promise<void> {
  const tokenHash = await hashOfToken(params.token);
  const passwordHash = await hashPassword(params.password);
  const reset = await resetPasswordWithToken(db, { tokenHash, passwordHash, now: params.now });
  if (!reset) throw await refusal(db, tokenHash, "password_reset", params.now);
  await queueAccountMail(
    db,
    { type: "password_changed", userId: reset.userId, context: { how: "reset" } },
    params.now,
  );
}
