#!/usr/bin/env node
// `npm run demo:app`: a local application to point a project at while trying SeqPulse with
// `npm run dev`. Its metrics endpoint is http://127.0.0.1:9400/apps/demo/seqpulse-metrics
// (any name works instead of `demo`); program it with
//   curl -X PUT localhost:9400/__control/apps/demo -d '{"secret":"spm_...","responses":[{"metrics":{...}}]}'
// (see scripts/lib/metrics-app.mjs for the format). Ctrl-C stops it.
import { parseArgs } from "node:util";
import { startMetricsApp } from "./lib/metrics-app.mjs";

const { values } = parseArgs({
  options: { port: { type: "string", default: process.env.DEMO_APP_PORT ?? "9400" } },
});
const app = await startMetricsApp({ port: Number(values.port) });
console.log(`demo application: ${app.url}/apps/demo/seqpulse-metrics`);
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
