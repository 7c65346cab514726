// The deployment enums of the API, defined once and pure (the dashboard imports them too). The
// database's column enums (db/schema/deployments.ts) must list the same values: ./schemas.ts
// fails to compile when they differ.

/**
 * `running` (trigger) -> `finished` (finish; sampling scheduled) -> `analyzed` (verdict stored);
 * `expired` when the finish never came, `cancelled` when its owner ended it.
 */
export const deploymentStates = ["running", "finished", "analyzed", "expired", "cancelled"] as const;
export type DeploymentState = (typeof deploymentStates)[number];

/** Samples before the deployment (baseline) and after its finish (observation window). */
export const samplePhases = ["pre", "post"] as const;
export type SamplePhase = (typeof samplePhases)[number];

export const pipelineResults = ["success", "failed"] as const;
export type PipelineResult = (typeof pipelineResults)[number];
