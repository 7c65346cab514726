// The account's own mail: links (verification, reset) and security notices. All of it is
// essential mail (email/types.ts): it cannot be unsubscribed from, and it is sent in the
// recipient's language through the job system like any other mail.
import type { Database } from "../../../db/client";
import { randomId } from "../../lib/crypto";
import { describeError, log } from "../../lib/log";
import { queueEmail } from "../email/queue";

/** The account's mail types: email types (queueEmail refuses any other at compile time). */
export type AccountMailType =
  | "verify_email"
  | "password_reset"
  | "password_changed"
  | "two_factor_enabled"
  | "two_factor_disabled"
  | "new_sign_in"
  | "signup_existing_account"
  | "account_claimed";

export interface AccountMail {
  type: AccountMailType;
  userId: string;
  /** Non-secret values the template shows (stored with the delivery). */
  context?: Record<string, string | number | null>;
  /**
   * Default: unique per event (`<type>:<user>:<random>`), so every event mails once and a retry
   * of the same job never mails twice.
   */
  dedupeKey?: string;
}

/**
 * Queues an account mail after the change it tells about is done: a failure is logged, never
 * thrown (failing the request would tell the user that a committed change did not happen).
 */
export async function queueAccountMail(db: Database, mail: AccountMail, now: Date): Promise<void> {
  try {
    await queueAccountMailOrFail(db, mail, now);
  } catch (error) {
    log("error", "email.queue_failed", {
      userId: mail.userId,
      emailType: mail.type,
      ...describeError(error),
    });
  }
}

/** Queues an account mail that is the request's whole point (a new link): failures throw. */
export async function queueAccountMailOrFail(db: Database, mail: AccountMail, now: Date): Promise<void> {
  await queueEmail(
    db,
    {
      type: mail.type,
      userId: mail.userId,
      dedupeKey: mail.dedupeKey ?? `${mail.type}:${mail.userId}:${randomId()}`,
      context: mail.context,
    },
    now,
  );
}
