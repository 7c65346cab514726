#!/usr/bin/env node
// Reports the minified Worker bundle (raw and gzip) written by `npm run build:worker`, and fails
// above the budget: the Workers free plan caps the compressed script at 3 MiB, our own budget
// is far lower so the edge start-up stays fast. Raised from 250 to 300 KiB when mail (every
// template in four languages), Slack and the metrics store came in; docs/benchmarks.md keeps
// the history, so growth stays visible.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { rootDir } from "./lib/paths.mjs";

const BUDGET_GZIP_KIB = 300;
const dir = path.join(rootDir, "dist-worker");
const files = readdirSync(dir).filter((name) => name.endsWith(".js"));
let raw = 0;
let gzip = 0;
for (const name of files) {
  const content = readFileSync(path.join(dir, name));
  raw += statSync(path.join(dir, name)).size;
  gzip += gzipSync(content, { level: 9 }).length;
}
const kib = (/** @type {number} */ bytes) => (bytes / 1024).toFixed(1);
console.log(`worker bundle: ${kib(raw)} KiB minified, ${kib(gzip)} KiB gzip (budget ${BUDGET_GZIP_KIB} KiB)`);
if (gzip > BUDGET_GZIP_KIB * 1024) {
  console.error("worker bundle is over budget");
  process.exit(1);
}
