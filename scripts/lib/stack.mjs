// Starts the whole product locally: database (embedded, or DATABASE_URL), the WebSocket proxy
// the Neon driver needs to reach it, and `wrangler dev` serving the Worker and the dashboard.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseEnv } from "node:util";
import { startEmbeddedDatabase } from "./embedded-db.mjs";
import { startMailStandin } from "./mail-standin.mjs";
import { localOperatorToken, operatorTokenFromDevVars } from "./operator-token.mjs";
import { rootDir } from "./paths.mjs";
import { isLoopbackUrl, migrateDatabase } from "./server-db.mjs";
import { requiredSecrets } from "./wrangler-secrets.mjs";
import { startWsProxy } from "./ws-proxy.mjs";

/**
 * The local AES key for secrets at rest lives beside the data it protects: generated once per
 * data folder (or per run for an in-memory database). Production keys are Worker secrets.
 * @param {string | undefined} dataDir
 */
function encryptionKeys(dataDir) {
  if (process.env.ENCRYPTION_KEYS) return process.env.ENCRYPTION_KEYS;
  const fresh = `1:${randomBytes(32).toString("base64")}`;
  if (!dataDir) return fresh;
  const file = path.join(dataDir, "..", ".pglite-encryption-keys");
  if (!existsSync(file)) writeFileSync(file, `${fresh}\n`, { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const { port } = /** @type {net.AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * wrangler checks `[secrets] required` against .dev.vars/.env files and the environment, not
 * against `--var`, and warns about every secret it does not find there. The secrets this
 * script supplies go to wrangler in an env file of their own (mode 0600, removed on stop);
 * the developer's own .dev.vars (or .env) is still read first, and its values win for the
 * secrets this script leaves empty (the OAuth apps' secrets).
 * @param {Record<string, string>} secrets
 * @returns {{ args: string[], remove: () => void }}
 */
function secretsEnvFile(secrets) {
  const ownFiles = existsSync(path.join(rootDir, ".dev.vars"))
    ? [".dev.vars"]
    : [".env", ".env.local"].filter((file) => existsSync(path.join(rootDir, file)));
  const provided = Object.assign(
    {},
    ...ownFiles.map((file) => parseEnv(readFileSync(path.join(rootDir, file), "utf8"))),
  );
  const values = { ...secrets };
  for (const name of requiredSecrets()) {
    if (!(name in values) && !(name in provided) && process.env[name] === undefined) values[name] = "";
  }
  const dir = mkdtempSync(path.join(tmpdir(), "seqpulse-dev-"));
  const file = path.join(dir, "secrets.env");
  const lines = Object.entries(values).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
  return {
    args: [...ownFiles, file].flatMap((envFile) => ["--env-file", envFile]),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Signals a whole process group; false once the group is gone.
 * @param {number} pid
 * @param {NodeJS.Signals} signal
 */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops wrangler and everything it started (workerd, esbuild): they share its process group.
 * SIGTERM first, SIGKILL for whatever is left after `graceMs`, and returns once the group is
 * empty, so the port is free when this resolves.
 * @param {number} pid
 * @param {Promise<unknown>} exited
 */
async function stopProcessGroup(pid, exited, graceMs = 5000) {
  if (!signalGroup(pid, "SIGTERM")) return;
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, graceMs))]);
  const deadline = Date.now() + 5000;
  // workerd may outlive wrangler by a moment; nothing of the group may stay behind.
  while (signalGroup(pid, "SIGKILL") && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await exited;
}

/**
 * @param {string} url
 * @param {import("node:child_process").ChildProcess} child
 * @param {number} timeoutMs
 * @param {AbortSignal} [signal]
 */
async function waitForHttp(url, child, timeoutMs, signal) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/**
 * @param {{
 *   port?: number,           // 0 or undefined: a free port
 *   dataDir?: string,        // embedded database folder; undefined: in memory
 *   databaseUrl?: string,    // use this Postgres instead of the embedded one
 *   log?: (line: string) => void,
 *   quiet?: boolean,         // hide wrangler's own output
 *   vars?: Record<string, string>, // extra Worker variables (benchmarks)
 *   signal?: AbortSignal,    // aborts the start: everything started so far is stopped
 *   onProcessGroup?: (pid: number) => void, // wrangler's process group, for a last-resort kill
 *   mailboxPort?: number,    // the local mail stand-in's port; 0 or undefined: a free port
 *   mailboxPortRequired?: boolean, // fail when mailboxPort is taken (else a free port is used)
 * }} [options]
 * @returns {Promise<{
 *   url: string,
 *   mailboxUrl: string,      // the local mailbox (scripts/lib/mail-standin.mjs) that receives the Worker's mail
 *   databaseUrl: string,
 *   operatorToken: string,   // `Authorization: Bearer` for the operator routes (npm run admin)
 *   dbStats: () => { connections: number, roundTrips: number } | null, // through the local proxy
 *   stop: () => Promise<void>,
 * }>}
 */
export async function startStack({
  port,
  dataDir,
  databaseUrl,
  log = console.log,
  quiet = false,
  vars: extraVars = {},
  signal,
  onProcessGroup = () => {},
  mailboxPort = 0,
  mailboxPortRequired = false,
} = {}) {
  /** @type {Array<() => Promise<unknown>>} */
  const stops = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => {});
    stops.length = 0;
  };
  try {
    signal?.throwIfAborted();
    let url = databaseUrl;
    if (url) {
      await migrateDatabase(url);
      log(`database: ${new URL(url).host} (migrated)`);
    } else {
      const started = Date.now();
      const database = await startEmbeddedDatabase({ dataDir });
      stops.push(database.stop);
      url = database.url;
      log(`database: embedded PGlite ${dataDir ?? "in memory"} ready in ${Date.now() - started} ms`);
    }
    signal?.throwIfAborted();
    // Mail goes to a local stand-in speaking Resend's API, readable at its mailbox page.
    const mailboxKey = `re_local_${randomBytes(12).toString("hex")}`;
    const mailbox = await startMailStandin({ port: mailboxPort, apiKey: mailboxKey }).catch((error) => {
      // A preferred port (the default 8025) taken by another stack: any free one will do.
      if (mailboxPortRequired || error?.code !== "EADDRINUSE") throw error;
      return startMailStandin({ port: 0, apiKey: mailboxKey });
    });
    stops.push(mailbox.close);
    const httpPort = port || (await freePort());
    // An operator token of the data folder's own (`npm run admin` finds it), unless the developer
    // set one in the environment or .dev.vars.
    const operatorToken =
      extraVars.OPERATOR_TOKEN ||
      process.env.OPERATOR_TOKEN ||
      operatorTokenFromDevVars() ||
      localOperatorToken(dataDir);
    const secrets = secretsEnvFile({
      DATABASE_URL: url,
      ENCRYPTION_KEYS: encryptionKeys(dataDir),
      EMAIL_API_KEY: mailbox.apiKey,
      OPERATOR_TOKEN: operatorToken,
    });
    stops.push(async () => secrets.remove());
    const vars = [
      ...secrets.args,
      // Locally the application under test runs on this machine (see `npm run demo:app`).
      "--var",
      "ALLOW_PRIVATE_METRICS_URLS:true",
      "--var",
      "EMAIL_PROVIDER:resend",
      "--var",
      `EMAIL_API_BASE_URL_OVERRIDE:${mailbox.url}`,
      // Links in mail lead back to this stack.
      "--var",
      `PUBLIC_BASE_URL:http://127.0.0.1:${httpPort}`,
      ...Object.entries(extraVars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
    ];
    /** @type {() => { connections: number, roundTrips: number } | null} */
    let dbStats = () => null;
    // Neon (or any non-local server) is reached directly; local ones through the proxy.
    if (isLoopbackUrl(url)) {
      const proxy = await startWsProxy();
      stops.push(proxy.close);
      dbStats = proxy.stats;
      vars.push("--var", `WS_PROXY:127.0.0.1:${proxy.port}`);
    }
    const inspectorPort = await freePort();
    signal?.throwIfAborted();
    // Spawn wrangler's own entry point in its own process group: through npx, signals are not
    // forwarded and workerd is left running.
    const child = spawn(
      process.execPath,
      [
        path.join(rootDir, "node_modules/wrangler/bin/wrangler.js"),
        "dev",
        "--ip",
        "127.0.0.1",
        "--port",
        String(httpPort),
        "--inspector-port",
        String(inspectorPort),
        "--test-scheduled",
        "--show-interactive-dev-session=false",
        ...vars,
      ],
      {
        cwd: rootDir,
        detached: true,
        stdio: ["ignore", quiet ? "ignore" : "inherit", quiet ? "ignore" : "inherit"],
        env: {
          ...process.env,
          CLOUDFLARE_CF_FETCH_ENABLED: "false",
          WRANGLER_SEND_METRICS: "false",
        },
      },
    );
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const { pid } = child;
    if (pid === undefined) throw new Error("wrangler dev could not be started");
    onProcessGroup(pid);
    // Checked even after wrangler exited: workerd, in the same group, may still be running.
    stops.push(() => stopProcessGroup(pid, exited));
    const baseUrl = `http://127.0.0.1:${httpPort}`;
    await waitForHttp(`${baseUrl}/health/live`, child, 90_000, signal);
    return { url: baseUrl, mailboxUrl: mailbox.url, databaseUrl: url, operatorToken, dbStats, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
