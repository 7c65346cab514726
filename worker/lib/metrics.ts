import { AsyncLocalStorage } from "node:async_hooks";
import { describeError, log } from "./log";
import { type LabelsOf, type MetricName, metricFamilies, type SeriesIncrement } from "./metric-series";

/**
 * Counters and histograms for `GET /metrics`. An isolate lives seconds to minutes and many run
 * at once, so nothing is kept in memory across invocations: each request and each cron run
 * gathers its increments in one batch (`withMetrics`) and sends it, after the answer, in one
 * call to the MetricsStore Durable Object (durable-objects/metrics-store.ts), which adds them up.
 * Code outside a batch (a unit test calling a feature directly) records nothing.
 */

/** The increments of one request or cron run, merged by series. */
export class MetricsBatch {
  readonly series = new Map<string, SeriesIncrement>();

  add(family: string, labels: [string, string][], mode: "add" | "max", value: number): void {
    if (!Number.isFinite(value)) return;
    const canonical = JSON.stringify(labels);
    const key = `${family}\u0000${canonical}`;
    const found = this.series.get(key);
    if (!found) this.series.set(key, { family, labels: canonical, mode, value });
    else found.value = mode === "max" ? Math.max(found.value, value) : found.value + value;
  }

  take(): SeriesIncrement[] {
    const all = [...this.series.values()];
    this.series.clear();
    return all;
  }
}

interface Scope {
  batch: MetricsBatch;
  env: Pick<Env, "METRICS_STORE">;
  waitUntil: (work: Promise<unknown>) => void;
  /** Once the first flush went out, later increments (background work) flush on their own. */
  flushed: boolean;
  pending: boolean;
}

const scopes = new AsyncLocalStorage<Scope>();

/** The name of the one MetricsStore instance every isolate writes to. */
export const METRICS_STORE_NAME = "metrics";

export function metricsStore(env: Pick<Env, "METRICS_STORE">) {
  return env.METRICS_STORE.get(env.METRICS_STORE.idFromName(METRICS_STORE_NAME));
}

/**
 * Runs `work` with a batch for its increments, and sends the batch with `waitUntil` once it
 * settles: a slow or failing store never delays nor fails the answer.
 */
export async function withMetrics<T>(
  env: Pick<Env, "METRICS_STORE">,
  waitUntil: (work: Promise<unknown>) => void,
  work: () => Promise<T>,
): Promise<T> {
  const scope: Scope = { batch: new MetricsBatch(), env, waitUntil, flushed: false, pending: false };
  try {
    return await scopes.run(scope, work);
  } finally {
    scope.flushed = true;
    flush(scope);
  }
}

function flush(scope: Scope): void {
  const increments = scope.batch.take();
  if (increments.length === 0) return;
  scope.waitUntil(
    metricsStore(scope.env)
      .record(increments)
      .catch((error: unknown) => log("warn", "metrics_flush_failed", describeError(error))),
  );
}

function record(family: string, labels: [string, string][], mode: "add" | "max", value: number): void {
  const scope = scopes.getStore();
  if (!scope) return;
  scope.batch.add(family, labels, mode, value);
  if (scope.flushed && !scope.pending) {
    // Work that outlives the answer (run in the background): one more send, a tick later, for
    // whatever it records in the meantime.
    scope.pending = true;
    scope.waitUntil(
      new Promise((resolve) => setTimeout(resolve, 0)).then(() => {
        scope.pending = false;
        flush(scope);
      }),
    );
  }
}

/** The labels of a family in its declared order, each value a string of bounded length. */
function labelPairs<N extends MetricName>(name: N, labels: LabelsOf<N>): [string, string][] {
  const values = labels as Record<string, string>;
  return metricFamilies[name].labels.map((label) => [label, String(values[label] ?? "").slice(0, 120)]);
}

export function incrementCounter<N extends MetricName>(name: N, labels: LabelsOf<N>, by = 1): void {
  record(name, labelPairs(name, labels), "add", by);
}

/** A gauge that keeps the largest value it was given (a last-seen time, in seconds). */
export function recordLatest<N extends MetricName>(name: N, labels: LabelsOf<N>, value: number): void {
  record(name, labelPairs(name, labels), "max", value);
}

/** Cumulative buckets (every bound at or above the value, and +Inf), sum and count. */
export function observeHistogram<N extends MetricName>(name: N, labels: LabelsOf<N>, value: number): void {
  const family = metricFamilies[name];
  const pairs = labelPairs(name, labels);
  const buckets = "buckets" in family ? family.buckets : [];
  for (const bound of buckets) {
    if (value <= bound) record(`${name}_bucket`, [...pairs, ["le", String(bound)]], "add", 1);
  }
  record(`${name}_bucket`, [...pairs, ["le", "+Inf"]], "add", 1);
  record(`${name}_sum`, pairs, "add", value);
  record(`${name}_count`, pairs, "add", 1);
}
