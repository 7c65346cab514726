import { openDatabase } from "../db/client";
import { createApp } from "./app";
import { runBaselinePass } from "./jobs/baseline";
import { registeredSweep } from "./jobs/registry";
import { runSweep, SWEEP_BUDGET_MS } from "./jobs/sweeper";
import { isHashedAssetPath, serveHashedAsset } from "./lib/hashed-assets";
import { describeError, log } from "./lib/log";
import { withMetrics } from "./lib/metrics";

export { MetricsStore } from "./durable-objects/metrics-store";
export { RateLimiter } from "./durable-objects/rate-limiter";

const app = createApp();

export default {
  fetch(request, env, ctx) {
    // Build files: straight to static assets, without the API's middleware (no database).
    if (isHashedAssetPath(new URL(request.url).pathname)) return serveHashedAsset(request, env.ASSETS);
    return app.fetch(request, env, ctx);
  },

  /**
   * Every minute (wrangler.toml): one sweep of the jobs table, then the continuous baseline in
   * the time the sweep left: deployment samples always come first.
   */
  scheduled(controller, env, ctx) {
    // The sweep's counters (jobs, samples, verdicts) go to the metrics store in one batch.
    return withMetrics(
      env,
      (work) => ctx.waitUntil(work),
      () => sweepAndBaseline(controller, env, ctx),
    );
  },
} satisfies ExportedHandler<Env>;

async function sweepAndBaseline(controller: ScheduledController, env: Env, ctx: ExecutionContext) {
  // Two database connections and four metrics fetches (collection) fill the 6 outgoing
  // connections an invocation may hold; more would queue, and a stalled queue gets
  // connections cancelled by the runtime.
  const { db, close } = openDatabase(env, { maxConnections: 2 });
  try {
    // The sweep's clock is the event's scheduled time, so a test can fire the event for any
    // minute to come; a late event (scheduled time in the past) uses the real time, so its
    // leases are not born expired.
    const now = new Date(Math.max(controller.scheduledTime, Date.now()));
    const deadline = Date.now() + SWEEP_BUDGET_MS;
    const result = await runSweep(db, { ...registeredSweep, env, now });
    log("info", "sweep finished", { ...result });
    // Its own failure must not fail the run: the sweep's work is done and recorded.
    await runBaselinePass(db, { env, now, deadline }).then(
      (baseline) => log("info", "baseline pass finished", { ...baseline }),
      (error) => log("error", "baseline pass failed", describeError(error)),
    );
  } catch (error) {
    log("error", "sweep failed", describeError(error));
    throw error;
  } finally {
    ctx.waitUntil(close());
  }
}
