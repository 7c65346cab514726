import type { Database } from "../../../db/client";
import { cancelOwnedDeployment } from "../../../db/queries/deployments";
import { enqueueJob } from "../../../db/queries/jobs";
import { ApiError } from "../../lib/errors";
import { isUuid } from "../../lib/ids";
import { planSlackJobs } from "../slack/events";
import { getOwnedDeployment } from "./deployment-reads";
import { preDeployJobKeys } from "./deployments";
import { deploymentView } from "./views";

/**
 * Ends a deployment stuck in `running` (its finish never came): no samples after, no verdict,
 * and its environment free for the next trigger. Idempotent; a deployment already finished,
 * analysed or expired is refused with DEPLOYMENT_NOT_CANCELLABLE.
 */
export async function cancelDeployment(db: Database, ownerId: string, id: string) {
  // A running deployment has only its PRE samples queued (the finish queues the rest).
  const outcome = isUuid(id)
    ? await cancelOwnedDeployment(db, { id, ownerId, pendingJobKeys: preDeployJobKeys(id) })
    : "not-found";
  if (outcome === "not-found") throw new ApiError("NOT_FOUND", "No such deployment.");
  if (outcome === "not-cancellable") {
    throw new ApiError("DEPLOYMENT_NOT_CANCELLABLE", "Only a running deployment can be cancelled.");
  }
  const deployment = await getOwnedDeployment(db, ownerId, id);
  if (outcome === "cancelled") {
    // A bot's "observing" message says it was cancelled. After the change, not with it: the
    // job only renders the deployment as it is, so queueing it late loses nothing.
    const now = new Date();
    for (const job of await planSlackJobs(db, {
      projectId: deployment.projectId,
      deploymentId: id,
      event: "cancelled",
      now,
    }))
      await enqueueJob(db, job);
  }
  return deploymentView(deployment);
}
