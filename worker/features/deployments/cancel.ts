import type { Database } from "../../../db/client";
import { cancelOwnedDeployment } from "../../../db/queries/deployments";
import { ApiError } from "../../lib/errors";
import { isUuid } from "../../lib/ids";
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
  return deploymentView(await getOwnedDeployment(db, ownerId, id));
}
