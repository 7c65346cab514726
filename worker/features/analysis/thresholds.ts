// The constants of the classic judge (original-seqpulse.md §10.1). They are defaults: a project
// may later carry its own, so the judge and the hints receive them as a value.
import { OBSERVATION_WINDOW_MAX_MINUTES } from "../../lib/field-limits";
import type { JudgeInput, MetricName } from "./types";

export type ThresholdMetric = Exclude<MetricName, "requests_per_sec">;

export interface ClassicThresholds {
  /** Absolute ceilings; the verdict compares samples with `industrial x securedFactor`. */
  industrial: Record<ThresholdMetric, number>;
  securedFactor: number;
  /** Largest tolerated share of POST samples beyond the secured threshold. */
  tolerance: Record<MetricName, number>;
  /** A traffic sample is bad when it is more than this share below the PRE mean. */
  rpsDropThreshold: number;
  /** Traffic rules apply only when the PRE mean is at least this many requests per second. */
  rpsMinimumTraffic: number;
  /** Good data quality needs min(this, window minutes) POST samples. */
  minPostSamples: number;
  maxPostAgeSeconds: number;
  expectedPostIntervalSeconds: number;
  /** Two consecutive POST samples further apart than interval x factor are a sequence gap. */
  gapFactor: number;
  maxClockSkewSeconds: number;
  minQualityForOk: number;
}

export const CLASSIC_THRESHOLDS: ClassicThresholds = {
  industrial: { latency_p95: 300, error_rate: 0.01, cpu_usage: 0.8, memory_usage: 0.8 },
  securedFactor: 0.9,
  tolerance: {
    latency_p95: 0.2,
    error_rate: 0.05,
    cpu_usage: 0.2,
    memory_usage: 0.1,
    requests_per_sec: 0.2,
  },
  rpsDropThreshold: 0.2,
  rpsMinimumTraffic: 0.5,
  minPostSamples: 5,
  maxPostAgeSeconds: 600,
  expectedPostIntervalSeconds: 60,
  gapFactor: 1.8,
  maxClockSkewSeconds: 30,
  minQualityForOk: 0.9,
};

/** Observation windows the judges accept, in minutes. */
export const MIN_WINDOW_MINUTES = 1;
export const MAX_WINDOW_MINUTES = OBSERVATION_WINDOW_MAX_MINUTES;

/** The order of verdict detail lines and audits: latency, error, CPU, memory, traffic. */
export const THRESHOLD_METRICS: readonly ThresholdMetric[] = [
  "latency_p95",
  "error_rate",
  "cpu_usage",
  "memory_usage",
];

export function securedThreshold(thresholds: ClassicThresholds, metric: ThresholdMetric): number {
  return thresholds.industrial[metric] * thresholds.securedFactor;
}

/** A judge's input it cannot decide from is a bug of ours, not a verdict: it throws. */
export function assertValidJudgeInput(input: JudgeInput): void {
  const window = input.observationWindowMinutes;
  if (!Number.isInteger(window) || window < MIN_WINDOW_MINUTES || window > MAX_WINDOW_MINUTES) {
    throw new RangeError(`observationWindowMinutes must be an integer in 1..60, got ${window}`);
  }
  if (Number.isNaN(input.analyzedAt.getTime())) throw new RangeError("analyzedAt is not a valid date");
}
