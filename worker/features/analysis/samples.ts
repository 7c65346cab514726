import { type MetricName, type MetricSample, metricNames } from "./types";

export type MetricMeans = Record<MetricName, number>;

export const METRIC_NAMES: readonly MetricName[] = metricNames;

const SAMPLE_FIELD = {
  latency_p95: "latencyP95",
  error_rate: "errorRate",
  cpu_usage: "cpuUsage",
  memory_usage: "memoryUsage",
  requests_per_sec: "requestsPerSec",
} as const satisfies Record<MetricName, keyof MetricSample>;

export function metricValue(sample: MetricSample, metric: MetricName): number {
  return sample[SAMPLE_FIELD[metric]];
}

/** Arithmetic mean of each metric (the original's `pre_agg` / `post_agg`); null without samples. */
export function summarizeSamples(samples: readonly MetricSample[]): MetricMeans | null {
  if (samples.length === 0) return null;
  const means = {} as MetricMeans;
  for (const metric of METRIC_NAMES) {
    let sum = 0;
    for (const sample of samples) sum += metricValue(sample, metric);
    means[metric] = sum / samples.length;
  }
  return means;
}

/** A collectedAt that is not a Date or holds no time counts as a missing timestamp. */
export function hasTimestamp(sample: MetricSample): boolean {
  return sample.collectedAt instanceof Date && !Number.isNaN(sample.collectedAt.getTime());
}
