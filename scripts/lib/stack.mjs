// Starts the whole product locally: database (embedded, or DATABASE_URL), the WebSocket proxy
// the Neon driver needs to reach it, and `wrangler dev` serving the Worker and the dashboard.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { startEmbeddedDatabase } from "./embedded-db.mjs";
import { rootDir } from "./paths.mjs";
import { isLoopbackUrl, migrateDatabase } from "./server-db.mjs";
import { startWsProxy } from "./ws-proxy.mjs";

/**
 * The local AES key for secrets at rest lives beside the data it protects: generated once per
 * data folder (or per run for an in-memory database). Production keys are Worker secrets.
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
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = /** @type {net.AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
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
 * }} [options]
 * @returns {Promise<{
 *   url: string,
 *   databaseUrl: string,
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
} = {}) {
  const stops = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => {});
    stops.length = 0;
  };
  try {
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
    const vars = [
      "--var",
      `DATABASE_URL:${url}`,
      "--var",
      `ENCRYPTION_KEYS:${encryptionKeys(dataDir)}`,
      // Locally the application under test runs on this machine (see `npm run demo:app`).
      "--var",
      "ALLOW_PRIVATE_METRICS_URLS:true",
      ...Object.entries(extraVars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
    ];
    let dbStats = () => null;
    // Neon (or any non-local server) is reached directly; local ones through the proxy.
    if (isLoopbackUrl(url)) {
      const proxy = await startWsProxy();
      stops.push(proxy.close);
      dbStats = proxy.stats;
      vars.push("--var", `WS_PROXY:127.0.0.1:${proxy.port}`);
    }
    const httpPort = port || (await freePort());
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
        String(await freePort()),
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
    stops.push(async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    });
    const baseUrl = `http://127.0.0.1:${httpPort}`;
    await waitForHttp(`${baseUrl}/health/live`, child, 60_000);
    return { url: baseUrl, databaseUrl: url, dbStats, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
