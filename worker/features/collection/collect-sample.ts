import type { Database } from "../../../db/client";
import {
  findDeploymentById,
  insertCollectionError,
  insertSample,
  sampleExists,
} from "../../../db/queries/deployments";
import { findProjectById } from "../../../db/queries/projects";
import type { SamplePhase } from "../../../db/schema";
import { signingSecrets } from "../projects/projects";
import { type CollectionErrorCode, fetchMetrics } from "./fetch-metrics";

export interface CollectSampleParams {
  deploymentId: string;
  phase: SamplePhase;
  sequence: number;
  /** Which try this is (1-based) and whether a failure would be the last word. */
  attempt: number;
  lastAttempt: boolean;
  now: Date;
}

export type CollectSampleOutcome =
  | { status: "stored" | "already-stored" | "skipped" }
  | { status: "failed"; code: CollectionErrorCode; message: string; retryable: boolean };

/**
 * Retrying cannot fix these: the application refuses our signature, the URL is not allowed, or
 * it answers with a wrong payload. They are recorded on the deployment instead of looping.
 */
const NOT_RETRYABLE = new Set<CollectionErrorCode>(["HMAC_REFUSED", "ENDPOINT_NOT_ALLOWED", "BAD_PAYLOAD"]);

/** Takes one sample of a deployment. Idempotent: a stored slot is never fetched again. */
export async function collectSample(
  db: Database,
  env: Env,
  params: CollectSampleParams,
): Promise<CollectSampleOutcome> {
  const deployment = await findDeploymentById(db, params.deploymentId);
  // Deleted with its project, or expired before its baseline: nothing to measure any more.
  if (!deployment || deployment.state === "expired" || deployment.state === "analyzed")
    return { status: "skipped" };
  if (await sampleExists(db, params)) return { status: "already-stored" };
  const project = await findProjectById(db, deployment.projectId);
  if (!project) return { status: "skipped" };

  const result = await fetchMetrics({
    url: deployment.metricsEndpoint,
    projectId: project.id,
    secrets: await signingSecrets(env.ENCRYPTION_KEYS, project, params.now),
    allowPrivateTargets: env.ALLOW_PRIVATE_METRICS_URLS === "true",
  });
  if (result.ok) {
    const stored = await insertSample(db, {
      deploymentId: deployment.id,
      phase: params.phase,
      sequence: params.sequence,
      ...result.values,
      collectedAt: params.now,
    });
    return { status: stored ? "stored" : "already-stored" };
  }
  const retryable = !NOT_RETRYABLE.has(result.code);
  await insertCollectionError(db, {
    deploymentId: deployment.id,
    phase: params.phase,
    sequence: params.sequence,
    code: result.code,
    message: result.message,
    attempt: params.attempt,
    final: !retryable || params.lastAttempt,
    occurredAt: params.now,
  });
  return { status: "failed", code: result.code, message: result.message, retryable };
}
