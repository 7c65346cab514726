import * as z from "zod";
import { analyzeDeployment } from "../features/deployments/analyze";
import { defineJob } from "./define";
import { retryDelaySeconds } from "./retry";
import { DeferJobError } from "./types";

/**
 * Job `analyze_deployment`, due when the observation window ends: the backstop of the analysis
 * the collection batch runs after a window's last sample (features/deployments/analyze.ts). An
 * analysis that throws is retried by the sweeper (and ends `dead`, visible on /health/scheduler),
 * never silently dropped.
 */
export const analyzeDeploymentJob = defineJob({
  type: "analyze_deployment",
  payload: z.object({ deploymentId: z.uuid() }),
  dedupeKey: ({ deploymentId }) => `analyze:${deploymentId}`,
  retry: { maxAttempts: 5, backoff: retryDelaySeconds },
  lane: "database",
  async handler({ db, job, now }) {
    const outcome = await analyzeDeployment(db, job.payload.deploymentId, now);
    if (outcome.status === "waiting") throw new DeferJobError(outcome.until, "samples still being collected");
  },
});
