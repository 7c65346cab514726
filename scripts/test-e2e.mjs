// Browser tests end to end: build the dashboard, start the whole stack (embedded Postgres,
// proxy, `wrangler dev`), run vitest's e2e config against it, and always stop the stack.
// Extra arguments go to vitest: `npm run test:e2e -- -t "404"`. E2E_VERBOSE=1 shows the
// stack's own output.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";
import { rootDir } from "./lib/paths.mjs";
import { startStack } from "./lib/stack.mjs";

const require = createRequire(import.meta.url);
/** @type {(name: string, bin: string) => string} */
const binOf = (name, bin) => join(require.resolve(`${name}/package.json`), "..", bin);

/** @typedef {Awaited<ReturnType<typeof startStack>>} Stack */
/** @type {import("node:child_process").ChildProcess | null} */
let child = null;
/** @type {Promise<unknown> | null} */
let childExited = null;
/** @type {Stack | null} */
let stack = null;
/** @type {Promise<Stack> | null} */
let starting = null;
/** @type {Promise<void> | null} */
let stopping = null;
const aborted = new AbortController();

// Children get their own process group so that stopping one also stops what it started
// (vitest's workers, Chromium), whichever way this script is interrupted.
/**
 * @param {string[]} args
 * @returns {Promise<number>}
 */
function run(args, env = process.env) {
  return new Promise((resolve, reject) => {
    const started = spawn(process.execPath, args, { cwd: rootDir, stdio: "inherit", env, detached: true });
    child = started;
    childExited = new Promise((done) => started.once("exit", done));
    started.once("error", reject);
    started.once("exit", (code, signal) => {
      child = null;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/**
 * @param {number} pid
 * @param {NodeJS.Signals} signal
 */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

async function stopChild() {
  if (!child) return;
  const { pid } = child;
  if (pid === undefined) return; // never spawned: nothing to stop
  signalGroup(pid, "SIGTERM");
  const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), 5000);
  await childExited;
  clearTimeout(timer);
}

async function shutdown() {
  stopping ??= (async () => {
    aborted.abort();
    await stopChild();
    // A start under way stops what it started once aborted.
    await starting?.catch(() => {});
    await stack?.stop();
  })();
  return stopping;
}

// Without this, Ctrl-C would leave wrangler, workerd and the database running, and the next
// run could silently test against the stale server.
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM", "SIGHUP"])) {
  process.once(signal, () => {
    console.error(`\ntest-e2e: ${signal}, stopping the stack`);
    shutdown().finally(() => process.exit(128 + os.constants.signals[signal]));
  });
}

let exitCode = 1;
try {
  // Before the stack starts: wrangler dev must not see dist/ change under it.
  const buildCode = await run([binOf("astro", "bin/astro.mjs"), "build"]);
  if (buildCode !== 0) throw new Error(`astro build failed with code ${buildCode}`);

  // Prometheus's credentials for GET /metrics (e2e/prometheus.test.ts), new for each run.
  const metricsToken = randomBytes(24).toString("base64url");
  starting = startStack({
    port: 0,
    log: (line) => console.log(`stack: ${line}`),
    quiet: !process.env.E2E_VERBOSE,
    signal: aborted.signal,
    vars: { METRICS_TOKEN: metricsToken },
  });
  const started = await starting;
  stack = started;
  console.log(`stack: serving ${started.url}`);

  exitCode = await run(
    [binOf("vitest", "vitest.mjs"), "run", "--config", "vitest.e2e.config.ts", ...process.argv.slice(2)],
    {
      ...process.env,
      E2E_BASE_URL: started.url,
      E2E_MAILBOX_URL: started.mailboxUrl,
      E2E_OPERATOR_TOKEN: started.operatorToken,
      E2E_METRICS_TOKEN: metricsToken,
    },
  );
} catch (error) {
  console.error(`test-e2e: ${error instanceof Error ? error.message : error}`);
  exitCode = 1;
} finally {
  await shutdown();
}
process.exit(exitCode);
