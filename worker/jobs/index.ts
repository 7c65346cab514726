import { analyzeDeploymentHandler } from "./handlers/analyze-deployment";
import { cleanupHandler } from "./handlers/cleanup";
import { collectSampleHandler } from "./handlers/collect-sample";
import type { JobHandlers } from "./types";

/** Every job type this Worker knows how to run. */
export const jobHandlers: JobHandlers = {
  cleanup: cleanupHandler,
  collect_sample: collectSampleHandler,
  analyze_deployment: analyzeDeploymentHandler,
};

/**
 * Claim order (runSweep's lanes): analysis and cleanup are database work and finish fast;
 * collection waits on customers' endpoints and can use a whole sweep's budget, so it comes
 * last and can never delay a verdict.
 */
export const jobLanes = [["analyze_deployment", "cleanup"], ["collect_sample"]];
