import { openDatabase } from "../db/client";
import { createApp } from "./app";
import { jobHandlers, jobLanes } from "./jobs";
import { runSweep } from "./jobs/sweeper";
import { isHashedAssetPath, serveHashedAsset } from "./lib/hashed-assets";
import { describeError, log } from "./lib/log";

export { RateLimiter } from "./durable-objects/rate-limiter";

const app = createApp();

export default {
  fetch(request, env, ctx) {
    // Build files: straight to static assets, without the API's middleware (no database).
    if (isHashedAssetPath(new URL(request.url).pathname)) return serveHashedAsset(request, env.ASSETS);
    return app.fetch(request, env, ctx);
  },

  /** Every minute (wrangler.toml): one sweep of the jobs table. */
  async scheduled(controller, env, ctx) {
    // Two database connections and four metrics fetches (collection) fill the 6 outgoing
    // connections an invocation may hold; more would queue, and a stalled queue gets
    // connections cancelled by the runtime.
    const { db, close } = openDatabase(env, { maxConnections: 2 });
    try {
      // The sweep's clock is the event's scheduled time, so a test can fire the event for any
      // minute to come; a late event (scheduled time in the past) uses the real time, so its
      // leases are not born expired.
      const now = new Date(Math.max(controller.scheduledTime, Date.now()));
      const result = await runSweep(db, { handlers: jobHandlers, lanes: jobLanes, env, now });
      log("info", "sweep finished", { ...result });
    } catch (error) {
      log("error", "sweep failed", describeError(error));
      throw error;
    } finally {
      ctx.waitUntil(close());
    }
  },
} satisfies ExportedHandler<Env>;
