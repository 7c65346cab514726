import { execFile, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type DemoSdkApp, startDemoSdkApp } from "./demo-sdk-app.mjs";
import { rootDir } from "./lib/paths.mjs";

const require = createRequire(import.meta.url);
const apps: DemoSdkApp[] = [];

interface Metrics {
  requests_per_sec: number;
  latency_p95: number;
  error_rate: number;
}

beforeAll(() => {
  // The app imports the SDK as an application would: `seqpulse/sdk`, built to dist/.
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: join(rootDir, "packages", "seqpulse"),
  });
});

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function start(options: Parameters<typeof startDemoSdkApp>[0] = {}): Promise<DemoSdkApp> {
  const app = await startDemoSdkApp(options);
  apps.push(app);
  return app;
}

async function metrics(app: DemoSdkApp): Promise<Metrics> {
  const response = await fetch(app.metricsUrl);
  expect(response.status).toBe(200);
  return ((await response.json()) as { metrics: Metrics }).metrics;
}

async function ship(app: DemoSdkApp, body: unknown): Promise<Response> {
  return fetch(`${app.url}/__control/version`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("the SDK-instrumented demo application", () => {
  it("measures its own load through the SDK: healthy is fast and error-free, regressed is neither", async () => {
    const app = await start();
    await sleep(1500);
    const healthy = await metrics(app);
    expect(healthy.requests_per_sec).toBeGreaterThan(8);
    expect(healthy.error_rate).toBe(0);
    expect(healthy.latency_p95).toBeLessThan(100);

    const shipped = await ship(app, { version: "regressed" });
    expect(shipped.status).toBe(200);
    expect(await shipped.json()).toEqual({ version: "regressed" });
    expect(app.version()).toBe("regressed");
    await sleep(2500);
    const regressed = await metrics(app);
    expect(regressed.error_rate).toBeGreaterThan(0.02);
    expect(regressed.latency_p95).toBeGreaterThanOrEqual(400);
  });

  it("refuses an unknown version and keeps the one it plays", async () => {
    const app = await start({ requestsPerSecond: 1 });
    const refused = await ship(app, { version: "broken" });
    expect(refused.status).toBe(400);
    expect(app.version()).toBe("healthy");
    const read = await fetch(`${app.url}/__control/version`);
    expect(await read.json()).toEqual({ version: "healthy" });
  });

  it("verifies SeqPulse's signature when given the project's secret", async () => {
    const app = await start({ hmacSecret: "spm_demo_secret" });
    const unsigned = await fetch(app.metricsUrl);
    expect(unsigned.status).toBe(401);
  });

  it("ships a version to the running app from the command line", async () => {
    const app = await start({ requestsPerSecond: 1 });
    const { stdout } = await promisify(execFile)(process.execPath, [
      join(rootDir, "scripts", "demo-sdk-app.mjs"),
      "--port",
      new URL(app.url).port,
      "--ship",
      "regressed",
    ]);
    expect(stdout).toContain('now plays "regressed"');
    expect(app.version()).toBe("regressed");
  });
});
