#!/usr/bin/env node
// `npm run bench`: starts the whole stack locally (embedded database, wrangler dev) and measures
// request latency through it. Loopback only, bounded request counts. Numbers go to
// docs/benchmarks.md by hand, with the machine they were taken on.
import { startStack } from "./lib/stack.mjs";

const SEQUENTIAL = 200;
const CONCURRENT = 50;
const ROUNDS = 10;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timed(url, headers) {
  const started = performance.now();
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  return { ms: performance.now() - started, ok: response.ok };
}

function summary(name, samples, wallMs) {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const errors = samples.filter((s) => !s.ok).length;
  const rps = wallMs ? ` ${((samples.length / wallMs) * 1000).toFixed(0)} req/s` : "";
  console.log(
    `${name.padEnd(42)} n=${samples.length} p50=${percentile(sorted, 50).toFixed(1)}ms ` +
      `p95=${percentile(sorted, 95).toFixed(1)}ms max=${sorted.at(-1).toFixed(1)}ms errors=${errors}${rps}`,
  );
}

const stack = await startStack({ quiet: true, log: () => {} });
try {
  // Each client address has its own rate-limit counter (120/min on /health).
  let client = 0;
  const headers = () => ({ "CF-Connecting-IP": `198.18.${Math.floor(client / 100)}.${client++ % 100}` });
  const perClient = (n) => Array.from({ length: n });

  for (const path of ["/health/live", "/health"]) {
    const url = `${stack.url}${path}`;
    await timed(url, headers()); // warm up
    const sequential = [];
    for (const _ of perClient(SEQUENTIAL)) sequential.push(await timed(url, headers()));
    summary(`${path} sequential`, sequential);

    const concurrent = [];
    const started = performance.now();
    for (let round = 0; round < ROUNDS; round++) {
      concurrent.push(...(await Promise.all(perClient(CONCURRENT).map(() => timed(url, headers())))));
    }
    summary(`${path} ${CONCURRENT} concurrent x ${ROUNDS}`, concurrent, performance.now() - started);
  }
} finally {
  await stack.stop();
}
