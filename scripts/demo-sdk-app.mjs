#!/usr/bin/env node
// `npm run demo:sdk-app`: a real `node:http` application instrumented with the `seqpulse`
// package's SDK (packages/seqpulse, `npm run build -w packages/seqpulse` first; the npm script
// does it). It serves its own metrics at http://127.0.0.1:9401/seqpulse-metrics, measured from
// the traffic a built-in load generator sends it (about 20 requests a second), and plays one of
// two versions:
//   healthy    fast answers, no errors                               -> ok
//   regressed  a quarter of the answers are 500s, 400 ms slower      -> rollback_recommended
// `--version regressed` starts it regressed. A deploy command "ships" a version to the running
// app with `npm run demo:sdk-app -- --ship regressed` (or `POST /__control/version
// {"version": "regressed"}`, from loopback only). HMAC: `SEQPULSE_HMAC_ENABLED=true
// SEQPULSE_HMAC_SECRET=spm_...` (the project's secret). Ctrl-C stops it.
import http from "node:http";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

/** @typedef {typeof import("../packages/seqpulse/src/sdk/index.ts")} Sdk */
/** @typedef {"healthy" | "regressed"} DemoVersion */

/** How each version answers. */
export const DEMO_VERSIONS = /** @type {const} */ ({
  healthy: { errorShare: 0, extraLatencyMs: 0 },
  regressed: { errorShare: 0.25, extraLatencyMs: 400 },
});

/**
 * @param {unknown} value
 * @returns {value is DemoVersion}
 */
export function isDemoVersion(value) {
  return typeof value === "string" && Object.hasOwn(DEMO_VERSIONS, value);
}

/** The built SDK, through the package's own exports (as an application would import it). */
async function loadSdk() {
  // A specifier in a variable: the type comes from the sources, the code from dist/.
  const specifier = "seqpulse/sdk";
  try {
    return /** @type {Sdk} */ (await import(specifier));
  } catch (error) {
    throw new Error("seqpulse/sdk is not built: run `npm run build -w packages/seqpulse` first.", {
      cause: error,
    });
  }
}

/**
 * @typedef {object} DemoSdkApp
 * @property {string} url The application, `http://127.0.0.1:<port>`.
 * @property {string} metricsUrl Its metrics endpoint, to give a SeqPulse project.
 * @property {() => DemoVersion} version The version it plays now.
 * @property {(version: DemoVersion) => void} setVersion Ships another version.
 * @property {() => Promise<void>} close Stops the load and the server.
 */

/**
 * Starts the application and its load generator.
 * @param {{ port?: number, host?: string, version?: DemoVersion, requestsPerSecond?: number,
 *   hmacSecret?: string }} [options] `hmacSecret` turns HMAC verification on (default: the
 *   SDK's environment variables).
 * @returns {Promise<DemoSdkApp>}
 */
export async function startDemoSdkApp(options = {}) {
  const sdk = await loadSdk();
  // An instance of its own: two apps in one process (tests) must not share their traffic.
  const seqpulse = new sdk.SeqPulse(
    options.hmacSecret ? { hmacEnabled: true, hmacSecret: options.hmacSecret } : {},
  );
  /** @type {DemoVersion} */
  let version = options.version ?? "healthy";

  const app = sdk.instrument((_request, response) => {
    const { errorShare, extraLatencyMs } = DEMO_VERSIONS[version];
    const delay = 2 + Math.random() * 8 + extraLatencyMs;
    setTimeout(() => {
      const failed = Math.random() < errorShare;
      response.writeHead(failed ? 500 : 200, { "Content-Type": "application/json" });
      response.end(JSON.stringify(failed ? { error: "internal error" } : { ok: true, version }));
    }, delay);
  }, seqpulse);

  const server = http.createServer((request, response) => {
    // The control routes are not the application's traffic: they stay out of its metrics.
    if (request.url?.startsWith("/__control/")) {
      control(request, response);
      return;
    }
    app(request, response);
  });

  /**
   * @param {http.IncomingMessage} request
   * @param {http.ServerResponse} response
   */
  function control(request, response) {
    /** @param {number} status @param {unknown} body */
    const answer = (status, body) => {
      response.writeHead(status, { "Content-Type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (!isLoopback(request.socket.remoteAddress)) return answer(403, { error: "loopback only" });
    if (request.url !== "/__control/version") return answer(404, { error: "not found" });
    if (request.method === "GET") return answer(200, { version });
    if (request.method !== "POST") return answer(405, { error: "method not allowed" });
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      let wanted;
      try {
        wanted = /** @type {{ version?: unknown }} */ (JSON.parse(body)).version;
      } catch {
        return answer(400, { error: "the body must be JSON" });
      }
      if (!isDemoVersion(wanted))
        return answer(400, { error: `version must be one of: ${Object.keys(DEMO_VERSIONS).join(", ")}` });
      version = wanted;
      answer(200, { version });
    });
  }

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve(undefined));
  });
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  // The load generator: open-loop, so a slow version does not slow the traffic down.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const rate = options.requestsPerSecond ?? 20;
  const load = setInterval(() => {
    const request = http.get(`${url}/`, { agent }, (response) => response.resume());
    request.on("error", () => {});
  }, 1000 / rate);

  return {
    url,
    metricsUrl: `${url}${seqpulse.endpoint}`,
    version: () => version,
    setVersion: (next) => {
      version = next;
    },
    close: async () => {
      clearInterval(load);
      agent.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

/** @param {string | undefined} address */
function isLoopback(address) {
  return address === "::1" || address?.startsWith("127.") || address?.startsWith("::ffff:127.") || false;
}

/**
 * Ships a version to the app running at `url`.
 * @param {string} url
 * @param {DemoVersion} version
 */
export async function shipDemoVersion(url, version) {
  const response = await fetch(`${url}/__control/version`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ version }),
  });
  if (!response.ok)
    throw new Error(`the demo application answered ${response.status}: ${await response.text()}`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: process.env.DEMO_SDK_APP_PORT ?? "9401" },
      version: { type: "string", default: "healthy" },
      ship: { type: "string" },
      rate: { type: "string", default: "20" },
    },
  });
  const wanted = values.ship ?? values.version;
  if (!isDemoVersion(wanted)) {
    console.error(`unknown version ${wanted}: use one of ${Object.keys(DEMO_VERSIONS).join(", ")}`);
    process.exit(2);
  }
  if (values.ship) {
    await shipDemoVersion(`http://127.0.0.1:${values.port}`, wanted);
    console.log(`demo application: now plays "${wanted}"`);
    return;
  }
  const app = await startDemoSdkApp({
    port: Number(values.port),
    version: wanted,
    requestsPerSecond: Number(values.rate),
  });
  console.log(`demo application (${wanted}): ${app.url}, metrics at ${app.metricsUrl}`);
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
