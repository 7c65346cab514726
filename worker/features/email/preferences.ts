import type { Database } from "../../../db/client";
import {
  type EmailPreferences,
  getEmailPreferences,
  updateEmailPreferences,
} from "../../../db/queries/email";
import { ApiError } from "../../lib/errors";
import { log } from "../../lib/log";
import type { OptionalEmailCategory } from "./types";
import { verifyUnsubscribeToken } from "./unsubscribe-token";

export type { EmailPreferences };

/** What non-essential mail the user accepts (everything, until they say otherwise). */
export function emailPreferencesOf(db: Database, userId: string): Promise<EmailPreferences> {
  return getEmailPreferences(db, userId);
}

export function changeEmailPreferences(
  db: Database,
  userId: string,
  changes: Partial<EmailPreferences>,
  now: Date,
): Promise<EmailPreferences> {
  return updateEmailPreferences(db, userId, changes, { now });
}

/**
 * Turns off the category an unsubscribe link names. The token is the authority (signed, no
 * session): anything forged or altered is INVALID_UNSUBSCRIBE_TOKEN. Repeating it is harmless.
 */
export async function unsubscribeWithToken(
  db: Database,
  env: Env,
  token: string,
  now: Date,
): Promise<{ category: OptionalEmailCategory }> {
  const verified = await verifyUnsubscribeToken(env.ENCRYPTION_KEYS, token);
  if (!verified) throw new ApiError("INVALID_UNSUBSCRIBE_TOKEN", "This unsubscribe link is not valid.");
  try {
    await updateEmailPreferences(
      db,
      verified.userId,
      { [verified.category]: false },
      { now, unsubscribed: true },
    );
  } catch (error) {
    // The account was deleted since the mail was sent (its id no longer exists): nothing to mail.
    if (isForeignKeyViolation(error)) return { category: verified.category };
    throw error;
  }
  log("info", "email.unsubscribed", { userId: verified.userId, category: verified.category });
  return { category: verified.category };
}

function isForeignKeyViolation(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return cause?.code === "23503" || (error as { code?: unknown } | null)?.code === "23503";
}
