import * as z from "zod";
import { analyzeDeployment } from "../../features/deployments/analyze";
import { DeferJobError, type JobHandler, PermanentJobError } from "../types";

const payloadSchema = z.object({ deploymentId: z.uuid() });

/**
 * Job `analyze_deployment`, due when the observation window ends: the backstop of the analysis
 * the collection batch runs after a window's last sample (features/deployments/analyze.ts). An
 * analysis that throws is retried by the sweeper (and ends `dead`, visible on /health/scheduler),
 * never silently dropped.
 */
export const analyzeDeploymentHandler: JobHandler = async ({ db, job, now }) => {
  const payload = payloadSchema.safeParse(job.payload);
  if (!payload.success) throw new PermanentJobError("invalid analyze_deployment payload");
  const outcome = await analyzeDeployment(db, payload.data.deploymentId, now);
  if (outcome.status === "waiting") throw new DeferJobError(outcome.until, "samples still being collected");
};
