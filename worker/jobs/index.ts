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
