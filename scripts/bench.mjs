#!/usr/bin/env node
// `npm run bench`: starts the whole stack locally (embedded database, wrangler dev) and measures
// request latency through it. Loopback only, bounded request counts. Numbers go to
// docs/benchmarks.md by hand, with the machine they were taken on.
import { parseArgs } from "node:util";
import { benchBaseline } from "./bench/baseline.mjs";
import { benchCiThroughput } from "./bench/ci-throughput.mjs";
import { BENCH_OPERATOR_TOKEN, benchSweep } from "./bench/sweep.mjs";
import { startStackProcess } from "./lib/stack-process.mjs";

const SEQUENTIAL = 200;
const CONCURRENT = 50;
const ROUNDS = 10;

/** @typedef {{ ms: number, ok: boolean }} Sample */

/**
 * @param {number[]} sorted never empty
 * @param {number} p
 */
function percentile(sorted, p) {
  return /** @type {number} */ (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
}

/**
 * @param {string} url
 * @param {Record<string, string>} headers
 * @param {RequestInit} [init]
 * @returns {Promise<Sample>}
 */
async function timed(url, headers, init = {}) {
  const started = performance.now();
  const response = await fetch(url, { headers, ...init });
  await response.arrayBuffer();
  return { ms: performance.now() - started, ok: response.ok };
}

/**
 * @param {string} name
 * @param {Sample[]} samples never empty
 * @param {number} [wallMs]
 */
function summary(name, samples, wallMs) {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const errors = samples.filter((s) => !s.ok).length;
  const rps = wallMs ? ` ${((samples.length / wallMs) * 1000).toFixed(0)} req/s` : "";
  console.log(
    `${name.padEnd(42)} n=${samples.length} p50=${percentile(sorted, 50).toFixed(1)}ms ` +
      `p95=${percentile(sorted, 95).toFixed(1)}ms max=${percentile(sorted, 100).toFixed(1)}ms errors=${errors}${rps}`,
  );
}

// `npm run bench -- --only ci` (or latency, sweep, baseline) runs one part.
const { values } = parseArgs({ options: { only: { type: "string" } } });
const parts = ["latency", "sweep", "baseline", "ci"];
if (values.only && !parts.includes(values.only)) throw new Error(`--only takes one of ${parts.join(", ")}`);
const runs = (/** @type {string} */ part) => !values.only || values.only === part;

// BENCH_ROUTES mounts /__bench/insert, the one-insert route the CI endpoints are compared with;
// OPERATOR_TOKEN lets the sweep benchmark read /health/scheduler's job counts.
const stack = await startStackProcess({
  vars: { BENCH_ROUTES: "true", OPERATOR_TOKEN: BENCH_OPERATOR_TOKEN },
});
try {
  if (runs("latency")) await benchLatency();
  // The sweep first: the CI phases leave hundreds of deployments whose jobs it would sweep too.
  if (runs("sweep")) await benchSweep(stack);
  // Before the CI phases too: their projects, idle once judged, would be due as well.
  if (runs("baseline")) await benchBaseline(stack);
  if (runs("ci")) await benchCiThroughput(stack);
} finally {
  await stack.stop();
}

async function benchLatency() {
  // Each client address has its own rate-limit counter (120/min on /health).
  let client = 0;
  const headers = () => ({ "CF-Connecting-IP": `198.18.${Math.floor(client / 100)}.${client++ % 100}` });
  const perClient = (/** @type {number} */ n) => Array.from({ length: n });

  for (const path of ["/health/live", "/health"]) {
    const url = `${stack.url}${path}`;
    await timed(url, headers()); // warm up
    /** @type {Sample[]} */
    const sequential = [];
    for (const _ of perClient(SEQUENTIAL)) sequential.push(await timed(url, headers()));
    summary(`${path} sequential`, sequential);

    /** @type {Sample[]} */
    const concurrent = [];
    const started = performance.now();
    for (let round = 0; round < ROUNDS; round++) {
      concurrent.push(...(await Promise.all(perClient(CONCURRENT).map(() => timed(url, headers())))));
    }
    summary(`${path} ${CONCURRENT} concurrent x ${ROUNDS}`, concurrent, performance.now() - started);
  }

  // Password hashing cost inside workerd: a login for an unknown email verifies against a dummy
  // scrypt hash (one full hash), then answers 401. Its latency minus that of /health (same rate
  // limiter and database round trips, no hash) is the hash. Sequential, so one core is free.
  /** @type {Sample[]} */
  const login = [];
  for (let i = 0; i < 30; i++) {
    const body = JSON.stringify({
      email: `bench-${i}-${Date.now()}@example.com`,
      password: "not a real password",
    });
    const sample = await timed(
      `${stack.url}/api/auth/login`,
      { ...headers(), "Content-Type": "application/json" },
      { method: "POST", body },
    );
    login.push({ ms: sample.ms, ok: true });
  }
  summary("POST /api/auth/login (unknown email, 1 scrypt)", login.slice(1));
  /** @type {Sample[]} */
  const health = [];
  for (let i = 0; i < 30; i++) health.push(await timed(`${stack.url}/health`, headers()));
  summary("GET /health (same I/O, no hash)", health);
  /** @param {Sample[]} samples never empty */
  const median = (samples) =>
    percentile(
      samples.map((s) => s.ms).sort((a, b) => a - b),
      50,
    );
  console.log(
    `scrypt N=2^14 r=8 p=5 in workerd ≈ ${(median(login.slice(1)) - median(health)).toFixed(0)} ms per hash (median difference)`,
  );
}

if (runs("latency")) {
  // The same hash in Node (OpenSSL) for comparison.
  const { scryptSync } = await import("node:crypto");
  /** @type {number[]} */
  const samples = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    scryptSync("not a real password", "0123456789abcdef", 32, {
      N: 2 ** 14,
      r: 8,
      p: 5,
      maxmem: 64 * 1024 * 1024,
    });
    samples.push(performance.now() - started);
  }
  console.log(
    `scrypt N=2^14 r=8 p=5 in Node: median ${percentile(
      samples.sort((a, b) => a - b),
      50,
    ).toFixed(0)} ms per hash`,
  );
}
