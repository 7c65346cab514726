import type { Database } from "../../../db/client";
import { enqueueJob } from "../../../db/queries/jobs";
import { type JobRow, jobRow } from "../../jobs/enqueue";
import { sendEmailJob } from "../../jobs/send-email";
import type { EmailRequest } from "./types";

export type { EmailContext, EmailRequest, EmailType } from "./types";

/**
 * The `send_email` job row for a request: to insert with other rows in one statement or
 * transaction (e.g. with the verdict that triggers the mail). A request whose key was already
 * queued or sent is dropped, by the job's key and then by the delivery's.
 */
export function emailJobRow(request: EmailRequest, now: Date): JobRow<"send_email"> {
  return jobRow(
    sendEmailJob,
    {
      type: request.type,
      userId: request.userId,
      projectId: request.projectId ?? null,
      dedupeKey: request.dedupeKey,
      context: request.context ?? {},
    },
    { runAt: request.sendAfter ?? now, tenantId: request.userId },
  );
}

/** Queues one mail (sent by the next sweep, or at `sendAfter`). Never sends twice per key. */
export async function queueEmail(db: Database, request: EmailRequest, now: Date): Promise<void> {
  await enqueueJob(db, emailJobRow(request, now));
}
