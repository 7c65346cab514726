#!/usr/bin/env node
// `npm run dev`: the whole product on http://127.0.0.1:8787 with nothing else to install.
//   1. builds the dashboard (static files the Worker serves),
//   2. starts the embedded Postgres (data kept in .pglite/) or uses DATABASE_URL, migrated,
//   3. starts `wrangler dev` (API, dashboard, Durable Object),
//   4. fires the Cron Trigger every minute, as Cloudflare does in production.
// Ctrl-C (or SIGTERM, or SIGHUP when the terminal closes) stops everything it started, at any
// moment: during the build, during start-up, during a sweep. A second Ctrl-C kills at once.
import { spawn } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { rootDir } from "./lib/paths.mjs";

// A closed terminal must not turn a log line into an uncaught EIO/EPIPE before the clean-up.
process.stdout.on("error", () => {});
process.stderr.on("error", () => {});
/** @param {string} line */
const log = (line) => console.log(`[dev] ${line}`);

// Everything this command started, by process group: wrangler (and workerd, esbuild) and the
// dashboard build run in groups of their own, so a terminal's Ctrl-C reaches only this script,
// which then stops them in order (wrangler before the database it talks to).
const groups = new Set();
const aborted = new AbortController();
/** @type {Promise<void> | null} */
let stopping = null;

/** @param {NodeJS.Signals} signal */
function killGroups(signal) {
  for (const pid of groups) {
    try {
      process.kill(-pid, signal);
    } catch {
      groups.delete(pid);
    }
  }
}

/** @type {Promise<Awaited<ReturnType<typeof import("./lib/stack.mjs").startStack>> | null>} */
let starting = Promise.resolve(null);
/** @type {NodeJS.Timeout | undefined} */
let cronTimer;

/** @param {NodeJS.Signals} signal */
async function shutdown(signal) {
  log(`${signal}: stopping…`);
  aborted.abort();
  clearTimeout(cronTimer);
  // A hung step must not keep the port: after 15 s, kill what is left and leave.
  const deadline = setTimeout(() => {
    log("still stopping after 15 s: killing what is left");
    killGroups("SIGKILL");
    process.exit(1);
  }, 15_000);
  killGroups("SIGTERM"); // the dashboard build, if running; wrangler is stopped by stack.stop()
  const stack = await starting.catch(() => null); // an aborted start stops what it started
  await stack?.stop();
  clearTimeout(deadline);
  process.exit(0);
}

// Installed before anything is started: a signal between two steps of the start-up would
// otherwise kill this script alone and leave wrangler and workerd serving the port.
// npm forwards the terminal's Ctrl-C, which this script also receives directly: a repeat within
// two seconds is the same Ctrl-C.
let firstSignalAt = 0;
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM", "SIGHUP"])) {
  process.on(signal, () => {
    if (stopping && Date.now() - firstSignalAt < 2000) return;
    if (stopping) {
      log(`${signal} again: killing everything now`);
      killGroups("SIGKILL");
      process.exit(1);
    }
    firstSignalAt = Date.now();
    stopping = shutdown(signal);
  });
}

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "8787" },
    "skip-build": { type: "boolean", default: false },
  },
});

/**
 * Runs a child in its own process group and resolves with its exit code.
 * @param {string[]} args
 * @returns {Promise<number>}
 */
function run(args) {
  const child = spawn(process.execPath, args, { cwd: rootDir, stdio: "inherit", detached: true });
  groups.add(child.pid);
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      groups.delete(child.pid);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main() {
  if (!values["skip-build"]) {
    log("building the dashboard…");
    const code = await run([path.join(rootDir, "node_modules/astro/bin/astro.mjs"), "build", "--silent"]);
    if (aborted.signal.aborted) return;
    if (code !== 0) {
      log(`the dashboard build failed (exit code ${code})`);
      process.exit(code);
    }
  }

  // Imported here, after the signal handlers: loading PGlite and drizzle takes a while.
  const { startStack } = await import("./lib/stack.mjs");
  if (aborted.signal.aborted) return;
  const started = Date.now();
  const stackStarting = startStack({
    port: Number(values.port),
    dataDir: process.env.DATABASE_URL
      ? undefined
      : path.resolve(process.env.SEQPULSE_DATA_DIR ?? path.join(rootDir, ".pglite")),
    databaseUrl: process.env.DATABASE_URL,
    log,
    signal: aborted.signal,
    onProcessGroup: (pid) => groups.add(pid),
    // The local mailbox (MAILBOX_PORT, default 8025, or a free port when 8025 is taken): every
    // mail the stack sends lands there.
    mailboxPort: Number(process.env.MAILBOX_PORT || 8025),
    mailboxPortRequired: Boolean(process.env.MAILBOX_PORT),
  });
  starting = stackStarting;
  /** @type {Awaited<typeof stackStarting>} */
  let stack;
  try {
    stack = await stackStarting;
  } catch (error) {
    if (aborted.signal.aborted) return; // shutdown() finishes the job
    log(`could not start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
  if (aborted.signal.aborted) return;
  log(`ready in ${Date.now() - started} ms: ${stack.url}  (health: ${stack.url}/health)`);
  log(`mailbox: ${stack.mailboxUrl}/`);
  if (!process.env.OPERATOR_TOKEN) {
    log(
      process.env.DATABASE_URL
        ? `operator token for this run: ${stack.operatorToken} (set OPERATOR_TOKEN to choose one)`
        : "operator token: kept in .pglite-operator-token beside the data folder; `npm run admin` reads it",
    );
  }

  // Cron Triggers do not fire under `wrangler dev`; fire ours on every minute boundary.
  async function fireCron() {
    try {
      const response = await fetch(`${stack.url}/__scheduled?cron=*+*+*+*+*`, { signal: aborted.signal });
      if (!response.ok) log(`scheduled handler answered ${response.status}`);
    } catch (error) {
      if (!aborted.signal.aborted)
        log(`could not fire the scheduled handler: ${/** @type {Error} */ (error).message}`);
    }
  }
  function scheduleCron() {
    if (aborted.signal.aborted) return;
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
}

await main();
