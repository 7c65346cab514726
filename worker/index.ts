import { openDatabase } from "../db/client";
import { createApp } from "./app";
import { jobHandlers } from "./jobs";
import { runSweep } from "./jobs/sweeper";
import { describeError, log } from "./lib/log";

export { RateLimiter } from "./durable-objects/rate-limiter";

const app = createApp();

export default {
  fetch: app.fetch,

  /** Every minute (wrangler.toml): one sweep of the jobs table. */
  async scheduled(_controller, env, ctx) {
    const { db, close } = openDatabase(env);
    try {
      const result = await runSweep(db, { handlers: jobHandlers, env });
      log("info", "sweep finished", { ...result });
    } catch (error) {
      log("error", "sweep failed", describeError(error));
      throw error;
    } finally {
      ctx.waitUntil(close());
    }
  },
} satisfies ExportedHandler<Env>;
