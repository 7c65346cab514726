import type { Database } from "../../../db/client";
import { findProjectDeployment, finishDeployment } from "../../../db/queries/deployments";
import type { ProjectRow } from "../../../db/queries/projects";
import { ApiError } from "../../lib/errors";
import { log } from "../../lib/log";
import { effectiveWindowMinutes } from "../plans/plans";
import { planWebhookEvent } from "../webhooks/events";
import { observationJobs, preDeployJobKeys } from "./deployments";
import { sameEndpoint } from "./trigger";

export interface FinishInput {
  deployment_id: string;
  result: "success" | "failed";
  metrics_endpoint?: string;
}

export type FinishResult =
  /** Observation starts now: one sample a minute for `windowMinutes`, then the verdict. */
  | { status: "accepted"; windowMinutes: number }
  /** The deployment is no longer running (finished, analysed, expired or cancelled). */
  | { status: "ignored"; state: string }
  | { status: "not_found" };

/**
 * A pipeline's finish: ends the project's running deployment and queues its observation (the
 * POST samples and the analysis). A deployment that is not running is left as it is.
 */
export async function recordDeploymentFinish(
  db: Database,
  params: { project: ProjectRow; input: FinishInput; now: Date },
): Promise<FinishResult> {
  const { project, input, now } = params;
  // Checking a given endpoint needs the deployment first; without one, the finish is a single
  // statement and the deployment is read only to explain a refusal.
  if (input.metrics_endpoint) {
    const deployment = await findProjectDeployment(db, project.id, input.deployment_id);
    if (
      deployment?.state === "running" &&
      !sameEndpoint(input.metrics_endpoint, deployment.metricsEndpoint)
    ) {
      throw new ApiError("ENDPOINT_MISMATCH", "metrics_endpoint differs from the deployment's endpoint.", {
        fields: [{ field: "metrics_endpoint", message: "Differs from the deployment's endpoint." }],
      });
    }
  }
  // Clamped to the plan's maximum: a window set before the plan limited it keeps working.
  const window = effectiveWindowMinutes(project);
  const event = await planWebhookEvent(db, {
    event: "deployment.finished",
    projectId: project.id,
    data: async () => {
      const deployment = await findProjectDeployment(db, project.id, input.deployment_id);
      if (deployment?.state !== "running") return null;
      return { deployment_id: deployment.id, project_id: project.id, env: deployment.env, state: "finished" };
    },
    now,
  });
  const finished = await finishDeployment(db, {
    id: input.deployment_id,
    projectId: project.id,
    result: input.result,
    finishedAt: now,
    observationWindowMinutes: window,
    jobsToQueue: [...observationJobs(input.deployment_id, window, now), ...event.jobs],
    jobsToDrop: preDeployJobKeys(input.deployment_id),
    webhookDeliveries: event.deliveries,
  });
  const fields = { deploymentId: input.deployment_id, projectId: project.id };
  if (finished) {
    log("info", "deployment_finished", { ...fields, result: input.result, windowMinutes: window });
    return { status: "accepted", windowMinutes: window };
  }
  const deployment = await findProjectDeployment(db, project.id, input.deployment_id);
  if (!deployment) {
    log("info", "deployment_finish_not_found", fields);
    return { status: "not_found" };
  }
  log("info", "deployment_finish_ignored", { ...fields, state: deployment.state });
  return { status: "ignored", state: deployment.state };
}
