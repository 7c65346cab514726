import { cleanupHandler } from "./handlers/cleanup";
import type { JobHandlers } from "./types";

/** Every job type this Worker knows how to run. */
export const jobHandlers: JobHandlers = {
  cleanup: cleanupHandler,
};
