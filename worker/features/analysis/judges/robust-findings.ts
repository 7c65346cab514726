// One finding per metric for the robust judge: the service's own baseline (median of the samples
// before the deploy) and noise (MAD), a line that is the larger of a noise margin and an absolute
// floor (so a 3 ms change on a 20 ms service is not a regression), persistence over the judged
// minutes, and hard ceilings that hold whatever the baseline (CPU saturated, memory running out).
import { metricValue } from "../samples";
import type { MetricName, MetricSample } from "../types";
import {
  longestRun,
  median,
  normalCdf,
  poissonExcessZ,
  robustSpread,
  theilSenSlope,
} from "./robust-statistics";

export type FindingLevel = "ok" | "warning" | "rollback";
export type FindingKind = "within" | "regressed" | "leak" | "saturated";

export interface Finding {
  metric: MetricName;
  level: FindingLevel;
  kind: FindingKind;
  /** Baseline median. */
  before: number;
  /** Median of the judged minutes (errors: failed requests over requests; leak: the fitted last value). */
  after: number;
  /** The line `after` was compared with: the rollback line when the finding rolls back. */
  line: number;
  /** Judged minutes past `line`, and how many minutes were judged. */
  breachCount: number;
  sampleCount: number;
  /** Standard deviations of the change beyond the baseline's noise (0 when none). */
  z: number;
  /**
   * Extra numbers some sentences quote (errors, requests, slope, minutes to full, run length), and
   * for a leak the `median` of the judged minutes (what hints compare, while `after` is the level now).
   */
  extra: Record<string, number>;
}

export const ROBUST_LIMITS = {
  /** Noise margins, in robust standard deviations. */
  noiseSigmas: 3,
  latency: { relativeFloor: 0.15, absoluteFloorMs: 20, rollbackFactor: 2, rollbackMarginMs: 100 },
  errors: {
    /** Below 0.1 % the baseline is taken as 0.1 %: a service with no error before still may fail one request. */
    minimumBaselineRate: 0.001,
    warningFloor: 0.0025,
    rollbackFloor: 0.008,
    warningZ: 3,
    rollbackZ: 5,
  },
  cpu: { floor: 0.1, saturation: 0.95, saturatedMinutes: 3 },
  memory: {
    floor: 0.1,
    /** Above the baseline by more than this, a rise is no longer memory refilling after a restart. */
    refillMargin: 0.05,
    ceiling: 0.97,
    ceilingMinutes: 3,
    leakMinimumSamples: 4,
    /** A climb that stays near the usual level rolls back only when seen this many minutes. */
    leakProvenSamples: 8,
    leakMinimumRise: 0.03,
    exhaustionMinutes: 60,
  },
  traffic: { minimumBaseline: 0.5, warningDrop: 0.35, rollbackDrop: 0.5, rollbackMinutes: 3 },
} as const;

/** What the judged minutes are compared with. */
export interface Baseline {
  samples: readonly MetricSample[];
  /** With one sample the noise is unknown: the floors are doubled (x 1.5 under five samples). */
  single: boolean;
}

export interface Judged {
  samples: readonly MetricSample[];
  /** Minutes since the first judged sample, for slopes (the sample index without timestamps). */
  minutes: readonly number[];
}

const ABSOLUTE_NOISE_FLOOR: Record<MetricName, (level: number) => number> = {
  latency_p95: (level) => 0.05 * level + 2,
  error_rate: (level) => 0.1 * level + 0.0005,
  cpu_usage: () => 0.02,
  memory_usage: () => 0.01,
  requests_per_sec: (level) => 0.1 * level,
};

function values(samples: readonly MetricSample[], metric: MetricName): number[] {
  return samples.map((sample) => metricValue(sample, metric));
}

function baselineOf(baseline: Baseline, metric: MetricName): { level: number; noise: number } {
  const pre = values(baseline.samples, metric);
  const level = median(pre);
  const few = baseline.single ? 2 : baseline.samples.length < 5 ? 1.5 : 1;
  const floor = ABSOLUTE_NOISE_FLOOR[metric](level) * few;
  return { level, noise: Math.max(robustSpread(pre), floor) };
}

/** Standard error of a difference of medians: a median's is 1.2533 sigma / sqrt(n). */
function shiftError(noise: number, judged: number, baseline: number): number {
  return 1.2533 * noise * Math.sqrt(1 / Math.max(1, judged) + 1 / Math.max(1, baseline));
}

function shiftZ(shift: number, noise: number, judged: number, baseline: number): number {
  if (shift <= 0 || noise <= 0) return 0;
  return shift / shiftError(noise, judged, baseline);
}

/**
 * How far the median after the deploy may move before it is more than noise: 3 standard errors,
 * so many judged minutes see a small shift a single minute's noise would hide.
 */
function noiseMargin(noise: number, judged: number, baseline: number): number {
  return ROBUST_LIMITS.noiseSigmas * shiftError(noise, judged, baseline);
}

function atLeastHalf(count: number, total: number, minimum: number): boolean {
  return count >= Math.max(Math.min(minimum, total), Math.ceil(total / 2));
}

function count(list: readonly number[], test: (value: number) => boolean): number {
  return list.filter(test).length;
}

export function latencyFinding(baseline: Baseline, judged: Judged): Finding {
  const limits = ROBUST_LIMITS.latency;
  const { level, noise } = baselineOf(baseline, "latency_p95");
  const post = values(judged.samples, "latency_p95");
  const after = median(post);
  const margin = noiseMargin(noise, post.length, baseline.samples.length);
  const warningLine = level + Math.max(margin, limits.relativeFloor * level, limits.absoluteFloorMs);
  const rollbackLine = Math.max(limits.rollbackFactor * level, level + limits.rollbackMarginMs, warningLine);
  const z = shiftZ(after - level, noise, post.length, baseline.samples.length);
  const rollbacks = count(post, (value) => value > rollbackLine);
  const warnings = count(post, (value) => value > warningLine);
  const base = {
    metric: "latency_p95" as const,
    before: level,
    after,
    sampleCount: post.length,
    z,
    extra: {},
  };
  if (atLeastHalf(rollbacks, post.length, 2))
    return { ...base, level: "rollback", kind: "regressed", line: rollbackLine, breachCount: rollbacks };
  const warning = after > warningLine && warnings >= Math.min(2, post.length);
  return {
    ...base,
    level: warning ? "warning" : "ok",
    kind: warning ? "regressed" : "within",
    line: warningLine,
    breachCount: warnings,
  };
}

/** Failed and total requests of each sample (a sample stands for one minute). */
function errorCounts(samples: readonly MetricSample[]): { errors: number[]; requests: number[] } {
  const requests = samples.map((sample) => Math.max(0, sample.requestsPerSec) * 60);
  return { requests, errors: samples.map((sample, index) => sample.errorRate * (requests[index] as number)) };
}

const sum = (list: readonly number[]) => list.reduce((total, value) => total + value, 0);

/**
 * The usual error rate. With enough traffic, the median minute (a contaminated minute does not
 * move it); with so little that a typical minute fails under five requests, the rate of all the
 * baseline's requests (at 1 req/s most minutes have no error at all, and a median of 0 % would
 * make any failed request a regression).
 */
function usualErrorRate(baseline: Baseline): number {
  const rates = values(baseline.samples, "error_rate");
  const byMedian = median(rates);
  const { errors, requests } = errorCounts(baseline.samples);
  const typicalFailures = median(requests) * Math.max(byMedian, ROBUST_LIMITS.errors.minimumBaselineRate);
  const total = sum(requests);
  return typicalFailures >= 5 || total <= 0 ? byMedian : sum(errors) / total;
}

export function errorFinding(baseline: Baseline, judged: Judged): Finding {
  const limits = ROBUST_LIMITS.errors;
  const { noise } = baselineOf(baseline, "error_rate");
  const level = usualErrorRate(baseline);
  const { errors, requests } = errorCounts(judged.samples);
  const totalRequests = sum(requests);
  const totalErrors = sum(errors);
  const rates = values(judged.samples, "error_rate");
  const after = totalRequests > 0 ? totalErrors / totalRequests : median(rates);
  // The baseline counted few requests: one more failure than it saw is as likely as none.
  const baselineRequests = sum(errorCounts(baseline.samples).requests);
  const expectedRate =
    Math.max(level, limits.minimumBaselineRate) + (baselineRequests > 0 ? 1 / baselineRequests : 0);
  const z = poissonExcessZ(totalErrors, expectedRate * totalRequests);

  // The same test without the worst tenth of the minutes (at least one): blips do not survive it.
  const trimmed = Math.max(1, Math.floor(rates.length / 10));
  const kept = errors
    .map((value, index) => ({ value, index }))
    .sort((a, b) => a.value - b.value)
    .slice(0, Math.max(0, errors.length - trimmed))
    .map((entry) => entry.index);
  const restRequests = sum(kept.map((index) => requests[index] as number));
  const restErrors = sum(kept.map((index) => errors[index] as number));
  const restRate = restRequests > 0 ? restErrors / restRequests : 0;
  const restZ = poissonExcessZ(restErrors, expectedRate * restRequests);

  const margin = noiseMargin(noise, rates.length, baseline.samples.length);
  const warningLine = level + Math.max(limits.warningFloor, 0.15 * level, margin);
  const rollbackLine = level + Math.max(limits.rollbackFloor, level, 2 * margin, warningLine - level);
  const base = {
    metric: "error_rate" as const,
    before: level,
    after,
    sampleCount: rates.length,
    z,
    extra: { errors: Math.round(totalErrors), requests: Math.round(totalRequests) },
  };
  const persistent = rates.length >= 2 && restRate > warningLine;
  // Decided on the minutes left once the worst are set aside, so blips cannot add up to a rollback.
  if (after > rollbackLine && restRate > rollbackLine && persistent && restZ >= limits.rollbackZ) {
    const breaches = count(rates, (value) => value > rollbackLine);
    return { ...base, level: "rollback", kind: "regressed", line: rollbackLine, breachCount: breaches };
  }
  // Errors far past the rollback line over too few requests to prove it still forbid an ok.
  const unconfirmed = after > rollbackLine && persistent && z >= 2;
  const warning =
    unconfirmed ||
    (after > warningLine &&
      persistent &&
      (restZ >= limits.warningZ || (z >= limits.warningZ && restZ >= 1.5)));
  return {
    ...base,
    level: warning ? "warning" : "ok",
    kind: warning ? "regressed" : "within",
    line: warningLine,
    breachCount: count(rates, (value) => value > warningLine),
  };
}

export function cpuFinding(baseline: Baseline, judged: Judged): Finding {
  const limits = ROBUST_LIMITS.cpu;
  const { level, noise } = baselineOf(baseline, "cpu_usage");
  const post = values(judged.samples, "cpu_usage");
  const after = median(post);
  // More traffic costs more CPU: a campaign ramp moves the expected level with it.
  const trafficBefore = median(values(baseline.samples, "requests_per_sec"));
  const trafficAfter = median(values(judged.samples, "requests_per_sec"));
  const load = trafficBefore > 0 ? Math.min(3, Math.max(1, trafficAfter / trafficBefore)) : 1;
  const expected = Math.min(1, level * load);
  const warningLine =
    expected + Math.max(noiseMargin(noise, post.length, baseline.samples.length), limits.floor);
  const z = shiftZ(after - expected, noise, post.length, baseline.samples.length);
  const base = { metric: "cpu_usage" as const, before: level, after, sampleCount: post.length, z };
  const run = longestRun(post, (value) => value >= limits.saturation);
  if (run >= limits.saturatedMinutes) {
    const saturated = count(post, (value) => value >= limits.saturation);
    return {
      ...base,
      level: level < limits.saturation ? "rollback" : "warning",
      kind: "saturated",
      line: limits.saturation,
      breachCount: saturated,
      extra: { run },
    };
  }
  const warnings = count(post, (value) => value > warningLine);
  const warning = after > warningLine && warnings >= Math.min(2, post.length);
  return {
    ...base,
    level: warning ? "warning" : "ok",
    kind: warning ? "regressed" : "within",
    line: Math.min(1, warningLine),
    breachCount: warnings,
    extra: {},
  };
}

export function memoryFinding(baseline: Baseline, judged: Judged): Finding {
  const limits = ROBUST_LIMITS.memory;
  const { level, noise } = baselineOf(baseline, "memory_usage");
  const post = values(judged.samples, "memory_usage");
  const after = median(post);
  const warningLine =
    level + Math.max(noiseMargin(noise, post.length, baseline.samples.length), limits.floor);
  const base = { metric: "memory_usage" as const, before: level, sampleCount: post.length };

  const run = longestRun(post, (value) => value >= limits.ceiling);
  if (run >= limits.ceilingMinutes && level < limits.ceiling) {
    const breaches = count(post, (value) => value >= limits.ceiling);
    const z = shiftZ(after - level, noise, post.length, baseline.samples.length);
    return {
      ...base,
      after,
      level: "rollback",
      kind: "saturated",
      line: limits.ceiling,
      breachCount: breaches,
      z,
      extra: { run },
    };
  }

  // A leak: a steady climb that has passed the usual level (climbing back to it is a refill).
  const slope = theilSenSlope(judged.minutes, post);
  const intercept = median(post.map((value, index) => value - slope * (judged.minutes[index] as number)));
  const residualNoise = robustSpread(
    post.map((value, index) => value - slope * (judged.minutes[index] as number) - intercept),
  );
  const span = (judged.minutes.at(-1) ?? 0) - (judged.minutes[0] ?? 0);
  // Where memory is now, observed: a fitted line would carry a finished refill past its plateau.
  const last = median(post.slice(-3));
  const refillLine = level + limits.refillMargin;
  const rise = slope * span;
  const climbing =
    post.length >= limits.leakMinimumSamples &&
    slope > 0 &&
    rise > Math.max(limits.leakMinimumRise, ROBUST_LIMITS.noiseSigmas * residualNoise);
  // Memory refilling after a restart starts under its usual level and stops at it; a leak starts
  // at the usual level or ends beyond it. A climb seen over a few minutes (a GC sawtooth looks the
  // same) is a warning until it has passed the usual level.
  const startedBelow = median(post.slice(0, 3)) < level - limits.refillMargin;
  if (climbing && (last > refillLine || !startedBelow)) {
    const minutesToFull = Math.max(0, (1 - last) / slope);
    const proven = last > refillLine || post.length >= limits.leakProvenSamples;
    const z = residualNoise > 0 ? rise / residualNoise : Number.POSITIVE_INFINITY;
    return {
      ...base,
      after: Math.min(1, last),
      level: proven && minutesToFull <= limits.exhaustionMinutes ? "rollback" : "warning",
      kind: "leak",
      line: refillLine,
      breachCount: count(post, (value) => value > refillLine),
      z,
      extra: { slope, minutesToFull, median: after },
    };
  }

  const z = shiftZ(after - level, noise, post.length, baseline.samples.length);
  const warnings = count(post, (value) => value > warningLine);
  const warning = after > warningLine && warnings >= Math.min(2, post.length);
  return {
    ...base,
    after,
    level: warning ? "warning" : "ok",
    kind: warning ? "regressed" : "within",
    line: Math.min(1, warningLine),
    breachCount: warnings,
    z,
    extra: {},
  };
}

/** Null when the baseline has too little traffic to judge a drop. Rises never fail. */
export function trafficFinding(baseline: Baseline, judged: Judged): Finding | null {
  const limits = ROBUST_LIMITS.traffic;
  const { level, noise } = baselineOf(baseline, "requests_per_sec");
  if (!(level >= limits.minimumBaseline)) return null;
  const post = values(judged.samples, "requests_per_sec");
  const after = median(post);
  const margin = noiseMargin(noise, post.length, baseline.samples.length);
  const drop = Math.min(limits.rollbackDrop, Math.max(limits.warningDrop, margin / level));
  const warningLine = level * (1 - drop);
  const rollbackLine = level * (1 - limits.rollbackDrop);
  const z = shiftZ(level - after, noise, post.length, baseline.samples.length);
  const base = {
    metric: "requests_per_sec" as const,
    before: level,
    after,
    sampleCount: post.length,
    z,
    extra: {},
  };
  const rollbacks = count(post, (value) => value < rollbackLine);
  if (atLeastHalf(rollbacks, post.length, limits.rollbackMinutes) && after < rollbackLine)
    return { ...base, level: "rollback", kind: "regressed", line: rollbackLine, breachCount: rollbacks };
  const warnings = count(post, (value) => value < warningLine);
  const warning = after < warningLine && warnings >= Math.min(2, post.length);
  return {
    ...base,
    level: warning ? "warning" : "ok",
    kind: warning ? "regressed" : "within",
    line: warningLine,
    breachCount: warnings,
  };
}

/** How sure the change is real, as a percentage with one decimal, at most 99.9. */
export function surePercent(z: number): number {
  return Math.min(99.9, Math.round(normalCdf(z) * 1000) / 10);
}
