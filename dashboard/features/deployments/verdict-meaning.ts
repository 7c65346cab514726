// What a verdict means depends on whether the deployment went out at all: after a failed
// pipeline, healthy metrics most likely mean the previous version kept serving, not that the
// new one is fine. Pure: unit-tested in Node.
import type { Deployment } from "./api-types";

export type VerdictMeaningKey =
  | "deployments.verdictMeaning.pipelineFailedHealthy"
  | "deployments.verdictMeaning.pipelineFailedWarning"
  | "deployments.verdictMeaning.pipelineFailedRollback";

/** The sentence that qualifies the verdict, or null when the verdict speaks for itself. */
export function verdictMeaningKey(
  deployment: Pick<Deployment, "pipelineResult" | "verdict">,
): VerdictMeaningKey | null {
  if (!deployment.verdict || deployment.pipelineResult !== "failed") return null;
  switch (deployment.verdict.verdict) {
    case "ok":
      return "deployments.verdictMeaning.pipelineFailedHealthy";
    case "warning":
      return "deployments.verdictMeaning.pipelineFailedWarning";
    case "rollback_recommended":
      return "deployments.verdictMeaning.pipelineFailedRollback";
  }
}
