// GET /metrics as Prometheus sees it: `promtool check metrics` (Debian's `prometheus` package)
// accepts a real scrape of the running stack, and a real Prometheus, scraping it every second
// with the METRICS_TOKEN, answers a query for seqpulse_analysis_verdict_total once a deployment
// has been judged. Skipped when the binaries are missing, unless REQUIRE_PROMETHEUS=1 (CI).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type APIRequestContext, request as playwrightRequest } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMetricsApp } from "../scripts/lib/metrics-app.mjs";
import { signUp } from "./accounts";
import { baseUrl, ownClientAddress } from "./browser";
import { deployToVerdict, healthy, programApp } from "./dashboard-data";

const PROMTOOL = process.env.PROMTOOL_PATH ?? "/usr/bin/promtool";
const PROMETHEUS = process.env.PROMETHEUS_PATH ?? "/usr/bin/prometheus";
const installed = existsSync(PROMTOOL) && existsSync(PROMETHEUS);
if (!installed) {
  if (process.env.REQUIRE_PROMETHEUS === "1") {
    throw new Error(
      `REQUIRE_PROMETHEUS=1 but ${PROMTOOL} or ${PROMETHEUS} is missing (apt-get install prometheus)`,
    );
  }
  console.warn(
    `prometheus.test.ts: skipped, ${PROMTOOL} or ${PROMETHEUS} is missing (apt-get install prometheus)`,
  );
}

const token = process.env.E2E_METRICS_TOKEN ?? "";
const url = (path: string) => `${baseUrl()}${path}`;
const scrape = (authorization?: string) =>
  fetch(url("/metrics"), { headers: authorization ? { Authorization: authorization } : {} });

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!installed)("GET /metrics with Prometheus's own tools", () => {
  let api: APIRequestContext;
  let app: { url: string; close: () => Promise<void> };
  let prometheus: ChildProcess | undefined;
  let prometheusExited: Promise<unknown> = Promise.resolve();
  let dir = "";
  const prometheusLog: string[] = [];

  beforeAll(async () => {
    expect(token, "E2E_METRICS_TOKEN (set by scripts/test-e2e.mjs)").not.toBe("");
    app = await startMetricsApp();
    api = await playwrightRequest.newContext({ extraHTTPHeaders: ownClientAddress() });
    await signUp(api, baseUrl(), {
      email: `prometheus-${randomUUID().slice(0, 8)}@example.com`,
      name: "Edsger Dijkstra",
      locale: "en",
    });
  });

  afterAll(async () => {
    if (prometheus?.exitCode === null) {
      prometheus.kill("SIGTERM");
      await Promise.race([prometheusExited, sleep(5000)]);
      if (prometheus.exitCode === null) prometheus.kill("SIGKILL");
    }
    await api?.dispose();
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("refuses a scrape without the token", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape("Bearer not-the-token")).status).toBe(401);
  });

  it("serves a scrape promtool accepts", async () => {
    // Some traffic first, so the histograms and counters have samples to check.
    await fetch(url("/health/live"));
    await fetch(url(`/api/projects/${randomUUID()}`));
    await sleep(500);
    const response = await scrape(`Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const text = await response.text();
    expect(text).toContain("seqpulse_http_requests_total{");
    const checked = spawnSync(PROMTOOL, ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(`${checked.stdout}${checked.stderr}`.trim()).toBe("");
    expect(checked.status).toBe(0);
  });

  it("is scraped by a real Prometheus, which answers seqpulse_analysis_verdict_total after a verdict", {
    timeout: 60_000,
  }, async () => {
    dir = await mkdtemp(join(tmpdir(), "seqpulse-prometheus-"));
    const port = await freePort();
    const target = new URL(baseUrl()).host;
    const config = [
      "global:",
      "  scrape_interval: 1s",
      "  scrape_timeout: 1s",
      "scrape_configs:",
      "  - job_name: seqpulse",
      "    metrics_path: /metrics",
      "    authorization:",
      `      credentials: ${JSON.stringify(token)}`,
      "    static_configs:",
      `      - targets: [${JSON.stringify(target)}]`,
      "",
    ].join("\n");
    await writeFile(join(dir, "prometheus.yml"), config, { mode: 0o600 });
    const configCheck = spawnSync(PROMTOOL, ["check", "config", join(dir, "prometheus.yml")], {
      encoding: "utf8",
    });
    expect(configCheck.status, configCheck.stdout + configCheck.stderr).toBe(0);
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const started = prometheus;
    prometheusExited = new Promise((resolve) => started.once("exit", resolve));
    for (const stream of [started.stdout, started.stderr]) {
      stream?.on("data", (chunk: Buffer) => prometheusLog.push(chunk.toString()));
    }

    // A deployment judged through the stack while Prometheus scrapes it.
    const appName = `prometheus-${randomUUID().slice(0, 8)}`;
    await programApp(app.url, appName, [{ metrics: healthy }]);
    const created = await api.post(url("/api/projects"), {
      data: {
        name: "Scraped",
        envs: ["prod"],
        observationWindowMinutes: 1,
        metricsEndpoint: `${app.url}/apps/${appName}/seqpulse-metrics`,
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const project = (await created.json()) as { project: { id: string }; apiKey: string };
    const tested = await api.post(url(`/api/projects/${project.project.id}/endpoint/test`), { data: {} });
    expect(tested.status(), await tested.text()).toBe(200);
    await deployToVerdict({
      request: api,
      baseUrl: baseUrl(),
      appUrl: app.url,
      appName,
      apiKey: project.apiKey,
      env: "prod",
      branch: "main",
      commitSha: "f00dcafe",
      windowMinutes: 1,
      baseline: healthy,
      post: [healthy],
    });

    const query = `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent("seqpulse_analysis_verdict_total")}`;
    let results: Array<{ metric: Record<string, string>; value: [number, string] }> = [];
    for (let i = 0; i < 60 && results.length === 0; i++) {
      await sleep(500);
      const answer = await fetch(query).catch(() => null);
      if (!answer?.ok) continue;
      const body = (await answer.json()) as { data: { result: typeof results } };
      results = body.data.result;
    }
    expect(results.length, prometheusLog.join("").slice(-2000)).toBeGreaterThan(0);
    const stored = results.find((result) => result.metric.created === "true");
    expect(stored?.metric).toMatchObject({ job: "seqpulse", created: "true" });
    expect(Number(stored?.value[1])).toBeGreaterThanOrEqual(1);

    // The target is healthy from Prometheus's side (token accepted, format parsed).
    const targets = (await (await fetch(`http://127.0.0.1:${port}/api/v1/targets`)).json()) as {
      data: { activeTargets: Array<{ health: string; lastError: string }> };
    };
    expect(targets.data.activeTargets.map(({ health, lastError }) => ({ health, lastError }))).toEqual([
      { health: "up", lastError: "" },
    ]);
  });
});
