#!/usr/bin/env node
// `npm run demo:app`: a local application to point a project at while trying SeqPulse with
// `npm run dev`. Its metrics endpoint is http://127.0.0.1:9400/apps/demo/seqpulse-metrics
// (any name works instead of `demo`). Ctrl-C stops it.
//
// `npm run demo:app -- --scenario <name>` makes the next deployment look like one of:
//   healthy             every sample like the baseline                    -> ok
//   latency-regression  p95 latency 180 ms -> 450 ms after the baseline   -> warning
//   error-spike         error rate 0.2 % -> 8 % after the baseline         -> rollback_recommended
//   traffic-drop        120 -> 30 requests per second after the baseline  -> rollback_recommended
// The first scrape after the scenario is set answers the healthy baseline; every later one the
// scenario's metrics. So set it just before the trigger. When the app already runs on the port,
// the command programs the running app and exits; otherwise it starts one with that scenario.
// Anything else: PUT /__control/apps/<name> (see scripts/lib/metrics-app.mjs).
import { parseArgs } from "node:util";
import { healthyMetrics, startMetricsApp } from "./lib/metrics-app.mjs";

const healthy = healthyMetrics();
/** @type {Record<string, Array<{ metrics: ReturnType<typeof healthyMetrics> }>>} */
const SCENARIOS = {
  healthy: [{ metrics: healthy }],
  "latency-regression": [{ metrics: healthy }, { metrics: { ...healthy, latency_p95: 450 } }],
  "error-spike": [{ metrics: healthy }, { metrics: { ...healthy, error_rate: 0.08 } }],
  "traffic-drop": [{ metrics: healthy }, { metrics: { ...healthy, requests_per_sec: 30 } }],
};

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.DEMO_APP_PORT ?? "9400" },
    scenario: { type: "string" },
    app: { type: "string", default: "demo" },
  },
});
if (values.scenario && !(values.scenario in SCENARIOS)) {
  console.error(`unknown scenario ${values.scenario}: use one of ${Object.keys(SCENARIOS).join(", ")}`);
  process.exit(2);
}

/**
 * @param {string} baseUrl
 * @param {string} scenario
 */
async function setScenario(baseUrl, scenario) {
  const response = await fetch(`${baseUrl}/__control/apps/${values.app}`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ responses: SCENARIOS[scenario] }),
  });
  if (!response.ok) throw new Error(`the demo application answered ${response.status}`);
  console.log(`demo application: ${values.app} plays "${scenario}" (first scrape: the healthy baseline)`);
}

let app;
try {
  app = await startMetricsApp({ port: Number(values.port) });
} catch (error) {
  if (/** @type {NodeJS.ErrnoException} */ (error)?.code !== "EADDRINUSE" || !values.scenario) throw error;
  // Already running (in another terminal): program it.
  await setScenario(`http://127.0.0.1:${values.port}`, values.scenario);
  process.exit(0);
}
console.log(`demo application: ${app.url}/apps/${values.app}/seqpulse-metrics`);
if (values.scenario) await setScenario(app.url, values.scenario);
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
process.on("SIGHUP", stop);
