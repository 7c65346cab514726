import type { SQL } from "drizzle-orm";
import type { Database } from "../../../db/client";
import type { NewJob } from "../../../db/queries/jobs";
import { enqueueJob } from "../../../db/queries/jobs";
import { findEndedSlackMessages, findSlackRouting, slackPostsAtTrigger } from "../../../db/queries/slack";
import { deliverSlackJob, type SlackEvent } from "../../jobs/deliver-slack";
import { type JobRow, jobRow } from "../../jobs/enqueue";
import { slackAllowedFor } from "./plan-gate";

/**
 * The Slack job of a deployment event, to queue with the change itself (trigger, verdict,
 * cancellation): none when the project has no enabled Slack settings, or for an event its path
 * does not post (an incoming webhook posts at the verdict only). One primary-key lookup.
 */
export async function planSlackJobs(
  db: Database,
  params: { projectId: string; deploymentId: string; event: SlackEvent; now: Date },
): Promise<JobRow<"deliver_slack">[]> {
  const routing = await findSlackRouting(db, params.projectId);
  if (!routing?.enabled || !slackAllowedFor(routing)) return [];
  const posts = params.event === "verdict" ? routing.hasBot || routing.hasWebhook : routing.hasBot;
  if (!posts || (params.event === "triggered" && routing.onlyProblems)) return [];
  return [
    jobRow(
      deliverSlackJob,
      { deploymentId: params.deploymentId, event: params.event },
      { runAt: params.now, tenantId: routing.ownerId },
    ),
  ];
}

/**
 * The trigger's Slack job, for the deployment's insert to queue only if the project posts at the
 * trigger (the condition is checked inside that statement: no lookup before it, so the trigger
 * costs what it did). None when the plan leaves Slack out.
 */
export function slackTriggerJob(
  project: { id: string; plan: string },
  deploymentId: string,
  now: Date,
): Array<{ job: NewJob; condition: SQL }> {
  if (!slackAllowedFor(project)) return [];
  return [
    {
      job: jobRow(deliverSlackJob, { deploymentId, event: "triggered" }, { runAt: now }),
      condition: slackPostsAtTrigger(project.id),
    },
  ];
}

/**
 * Queues an update of every bot message still "observing" a deployment that ended without a
 * verdict (expired by the cleanup, or cancelled while its job was lost). The job renders the
 * deployment as it is, so the message then says so; its dedupe key makes this once per message.
 */
export async function queueSlackUpdatesForEndedDeployments(
  db: Database,
  now: Date,
  limit = 200,
): Promise<number> {
  let queued = 0;
  for (const { deploymentId, ownerId } of await findEndedSlackMessages(db, limit)) {
    const job = jobRow(
      deliverSlackJob,
      { deploymentId, event: "cancelled" },
      { runAt: now, tenantId: ownerId },
    );
    if ((await enqueueJob(db, job)) !== null) queued++;
  }
  return queued;
}
