import type { Database } from "../../../db/client";
import { describeError, log } from "../../lib/log";
import { queueEmail } from "./queue";
import type { EmailRequest } from "./types";

/** How long after sign-up a user without a project is nudged (§12.1.1 E-ACT-01). */
export const NO_PROJECT_NUDGE_DELAY_MS = 2 * 60 * 60 * 1000;

/** The mail a new account gets: welcome now, a nudge in 2 h if it still has no project. */
export function accountCreatedEmails(userId: string, now: Date): EmailRequest[] {
  return [
    { type: "welcome", userId, dedupeKey: `welcome_signup:${userId}` },
    {
      type: "no_project_after_signup",
      userId,
      dedupeKey: `no_project_after_signup:${userId}`,
      sendAfter: new Date(now.getTime() + NO_PROJECT_NUDGE_DELAY_MS),
    },
  ];
}

/**
 * Queues the new account's mail. The account exists already: a failure here is logged and
 * swallowed, since failing the sign-up would leave the person with an account they were told
 * does not exist.
 */
export async function queueAccountCreatedEmails(db: Database, userId: string, now: Date): Promise<void> {
  try {
    for (const request of accountCreatedEmails(userId, now)) await queueEmail(db, request, now);
  } catch (error) {
    log("error", "email.queue_failed", { userId, emailType: "welcome", ...describeError(error) });
  }
}
