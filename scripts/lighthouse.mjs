#!/usr/bin/env node
// Lighthouse (mobile, simulated throttling) on the signed-in overview and a deployment's page of
// a running stack, with Debian's Chromium. Prints the scores and fails below the bars:
// performance >= 95, accessibility 100, best practices >= 95.
//
//   node scripts/lighthouse.mjs [base URL]        (default http://127.0.0.1:8787, `npm run dev`)
//
// Without SEQPULSE_SESSION_COOKIE and SEQPULSE_DEPLOYMENT_ID it makes its own data first: a new
// account, a project whose metrics endpoint is a stand-in application started here (the stack
// must allow loopback endpoints, as `npm run dev` does), and one deployment run to its verdict
// by firing the cron at future times (Miniflare's /cdn-cgi/local/scheduled?time=). The session
// cookie reaches the audited pages through Lighthouse's extraHeaders.
import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { healthyMetrics, startMetricsApp } from "./lib/metrics-app.mjs";
import { rootDir } from "./lib/paths.mjs";

const base = (process.argv[2] ?? process.env.SEQPULSE_URL ?? "http://127.0.0.1:8787").replace(/\/$/, "");
const chromePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const bars = { performance: 0.95, accessibility: 1, "best-practices": 0.95 };

/**
 * @param {string} method
 * @param {string} pathname
 * @param {{ cookie?: string, body?: unknown, apiKey?: string }} [options]
 * @returns {Promise<{ response: Response, data: any }>}
 */
async function api(method, pathname, { cookie, body, apiKey } = {}) {
  /** @type {Record<string, string>} */
  const headers = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (cookie) headers.cookie = cookie;
  if (apiKey) headers["x-api-key"] = apiKey;
  const response = await fetch(`${base}${pathname}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${text}`);
  return { response, data: text ? JSON.parse(text) : null };
}

const sweep = (/** @type {number} */ at) =>
  fetch(`${base}/cdn-cgi/local/scheduled?cron=*+*+*+*+*&time=${Math.round(at)}`);

/** A fresh account with one analysed deployment; returns its cookie and the deployment id. */
async function makeData() {
  const app = await startMetricsApp();
  try {
    const email = `lighthouse-${randomUUID().slice(0, 8)}@example.com`;
    const { response } = await api("POST", "/api/auth/signup", {
      body: { email, name: "Lighthouse", password: "plausible-walrus-cartography-42", locale: "en" },
    });
    const cookie = response.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; ");
    const created = await api("POST", "/api/projects", {
      cookie,
      body: {
        name: "Checkout API",
        envs: ["prod"],
        observationWindowMinutes: 2,
        metricsEndpoint: `${app.url}/apps/lighthouse/seqpulse-metrics`,
      },
    });
    const { project, apiKey } = created.data;
    await api("POST", `/api/projects/${project.id}/endpoint/test`, { cookie, body: {} });
    const slow = { ...healthyMetrics(), latency_p95: 480, error_rate: 0.03 };
    await fetch(`${app.url}/__control/apps/lighthouse`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        responses: [{ metrics: healthyMetrics() }, { metrics: slow }, { metrics: slow }],
      }),
    });
    const trigger = await api("POST", "/deployments/trigger", {
      apiKey,
      body: { env: "prod", branch: "main", commit_sha: "4f2a9c1e0b7d3a56" },
    });
    const id = trigger.data.deployment_id;
    await new Promise((resolve) => setTimeout(resolve, 500));
    await api("POST", "/deployments/finish", { apiKey, body: { deployment_id: id, result: "success" } });
    const finishedAt = Date.now();
    for (const offset of [1, 61, 121, 271, 351, 431, 511]) {
      await sweep(finishedAt + offset * 1000);
      const { data } = await api("GET", `/api/deployments/${id}`, { cookie });
      if (data.deployment.verdict) return { cookie, deploymentId: id };
    }
    throw new Error("the deployment got no verdict");
  } finally {
    await app.close();
  }
}

const data =
  process.env.SEQPULSE_SESSION_COOKIE && process.env.SEQPULSE_DEPLOYMENT_ID
    ? { cookie: process.env.SEQPULSE_SESSION_COOKIE, deploymentId: process.env.SEQPULSE_DEPLOYMENT_ID }
    : await makeData();

/** @type {Array<[name: string, url: string]>} */
const targets = [
  ["overview", `${base}/`],
  ["deployment", `${base}/deployments/view/?id=${data.deploymentId}`],
];

const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
let failed = false;
/** @type {Record<string, Record<string, unknown>>} */
const summary = {};
try {
  for (const [name, url] of targets) {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: Object.keys(bars),
      extraHeaders: { Cookie: data.cookie },
    });
    if (!result) throw new Error(`${name}: Lighthouse gave no result`);
    const { categories, audits } = result.lhr;
    /** @param {string} key */
    const categoryOf = (key) => {
      const category = categories[key];
      if (!category) throw new Error(`${name}: no ${key} category in the report`);
      return category;
    };
    /** @param {string} id */
    const auditOf = (id) => {
      const audit = audits[id];
      if (!audit) throw new Error(`${name}: no ${id} audit in the report`);
      return audit;
    };
    // A null score (not applicable, or an error) counts as 0, as arithmetic on it would.
    /** @param {string} key */
    const scoreOf = (key) => categoryOf(key).score ?? 0;
    const scores = Object.fromEntries(Object.keys(bars).map((key) => [key, Math.round(scoreOf(key) * 100)]));
    summary[name] = {
      ...scores,
      LCP: auditOf("largest-contentful-paint").displayValue,
      TBT: auditOf("total-blocking-time").displayValue,
      CLS: auditOf("cumulative-layout-shift").displayValue,
    };
    for (const [key, bar] of Object.entries(bars)) {
      if (scoreOf(key) < bar) {
        failed = true;
        const failing = categoryOf(key)
          .auditRefs.map((ref) => auditOf(ref.id))
          .filter(
            (audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode !== "informative",
          )
          .map((audit) => `${audit.id} (${audit.displayValue ?? audit.score})`);
        console.error(`${name}: ${key} ${scores[key]} < ${bar * 100}: ${failing.join(", ")}`);
      }
    }
  }
} finally {
  chrome.kill();
}
console.table(summary);
await mkdir(path.join(rootDir, "test-results"), { recursive: true });
await writeFile(
  path.join(rootDir, "test-results", "lighthouse.json"),
  `${JSON.stringify(summary, null, 2)}\n`,
);
process.exit(failed ? 1 : 0);
