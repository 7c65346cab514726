#!/usr/bin/env node
// `npm run dev`: the whole product on http://127.0.0.1:8787 with nothing else to install.
//   1. builds the dashboard (static files the Worker serves),
//   2. starts the embedded Postgres (data kept in .pglite/) or uses DATABASE_URL, migrated,
//   3. starts `wrangler dev` (API, dashboard, Durable Object),
//   4. fires the Cron Trigger every minute, as Cloudflare does in production.
// Ctrl-C stops everything it started.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { rootDir } from "./lib/paths.mjs";
import { startStack } from "./lib/stack.mjs";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "8787" },
    "skip-build": { type: "boolean", default: false },
  },
});

const log = (line) => console.log(`[dev] ${line}`);

if (!values["skip-build"]) {
  log("building the dashboard…");
  const build = spawnSync(
    process.execPath,
    [path.join(rootDir, "node_modules/astro/bin/astro.mjs"), "build", "--silent"],
    {
      cwd: rootDir,
      stdio: "inherit",
    },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const started = Date.now();
const stack = await startStack({
  port: Number(values.port),
  dataDir: process.env.DATABASE_URL ? undefined : path.join(rootDir, ".pglite"),
  databaseUrl: process.env.DATABASE_URL,
  log,
});
log(`ready in ${Date.now() - started} ms: ${stack.url}  (health: ${stack.url}/health)`);

// Cron Triggers do not fire under `wrangler dev`; fire ours on every minute boundary.
async function fireCron() {
  try {
    const response = await fetch(`${stack.url}/__scheduled?cron=*+*+*+*+*`);
    if (!response.ok) log(`scheduled handler answered ${response.status}`);
  } catch (error) {
    log(`could not fire the scheduled handler: ${error.message}`);
  }
}
let cronTimer;
function scheduleCron() {
  cronTimer = setTimeout(
    async () => {
      await fireCron();
      scheduleCron();
    },
    60_000 - (Date.now() % 60_000),
  );
}
await fireCron();
scheduleCron();

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping…`);
  clearTimeout(cronTimer);
  await stack.stop();
  process.exit(0);
}
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));
