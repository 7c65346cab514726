import type { Database } from "../../../db/client";
import { describeError, log } from "../../lib/log";
import { queueEmail } from "../email/queue";

/** The plan's mails (templates: worker/features/email/templates). */
export type PlanEmailType = "quota_80" | "quota_reached" | "env_forced";

export interface PlanEmail {
  type: PlanEmailType;
  userId: string;
  projectId: string;
  dedupeKey: string;
  context: Record<string, string | number | null>;
}

/**
 * Queues one of the plan's mails to the project's owner, once per dedupe key. A mail is never
 * worth failing the trigger that caused it: a failure to queue is logged, not thrown.
 */
export async function queuePlanEmail(db: Database, mail: PlanEmail, now: Date): Promise<void> {
  try {
    await queueEmail(db, mail, now);
  } catch (error) {
    log("warn", "plan mail not queued", {
      event: "plan_email_not_queued",
      type: mail.type,
      projectId: mail.projectId,
      ...describeError(error),
    });
  }
}
