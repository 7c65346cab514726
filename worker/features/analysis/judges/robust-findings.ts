// One finding per metric for the robust judge: the service's own baseline (robust-baseline.ts:
// level and noise), a line that is the larger of a noise margin and an absolute floor (so a 3 ms
// change on a 20 ms service is not a regression), persistence over the judged minutes, and hard
// ceilings that hold whatever the baseline (CPU saturated, memory running out).
import { metricValue } from "../samples";
import type { MetricName, MetricSample } from "../types";
import { ABSOLUTE_NOISE_FLOOR, type MetricBaseline, pooledErrorRate } from "./robust-baseline";
import {
  longestRun,
  median,
  normalCdf,
  poissonExcessZ,
  robustSpread,
  theilSenSlope,
} from "./robust-statistics";

export type FindingLevel = "ok" | "warning" | "rollback";
export type FindingKind = "within" | "regressed" | "leak" | "saturated" | "ignored";

export interface Finding {
  metric: MetricName;
  level: FindingLevel;
  kind: FindingKind;
  /** Baseline level. */
  before: number;
  /** Median of the judged minutes (errors: failed requests over requests; leak: the level now). */
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

/**
 * The lines, at `medium` sensitivity. Every noise margin and floor below is multiplied by the
 * project's sensitivity factor (SENSITIVITY_SCALE: low 1.5, medium 1, high 0.7); the ceilings (CPU
 * saturation, memory exhaustion) are physical and do not move.
 */
export const ROBUST_LIMITS = {
  /** Noise margins, in robust standard errors of the shift: a warning at 3, a rollback at 5. */
  noiseSigmas: 3,
  rollbackSigmas: 5,
  /**
   * A warning from +10 % and 5 ms (a few ms on a 20 ms service is not a regression); a rollback
   * from +50 % and 30 ms: p95 half as long again is a slower product for every user, and a 40 ms
   * service doubling is a regression even though 40 ms is little.
   */
  latency: { relativeFloor: 0.1, absoluteFloorMs: 5, rollbackRelative: 0.5, rollbackMarginMs: 30 },
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
  /**
   * Traffic against the level the daily curve leads to: a fifth below is a warning, 30 % below for
   * three minutes or more a rollback (clients no longer reach the service); rises never fail.
   */
  traffic: {
    minimumBaseline: 0.5,
    warningDrop: 0.2,
    rollbackDrop: 0.3,
    rollbackMinutes: 3,
    maximumDrop: 0.8,
  },
} as const;

export interface Judged {
  samples: readonly MetricSample[];
  /** Minutes since the first judged sample, for slopes (the sample index without timestamps). */
  minutes: readonly number[];
  /** Collection times in ms (NaN when a sample has none). */
  times: readonly number[];
}

/** What a finding needs from the baseline: the metric's own, and the sensitivity factor. */
export interface FindingContext {
  baseline: MetricBaseline;
  /** The traffic baseline (CPU follows load). */
  traffic: MetricBaseline;
  scale: number;
}

function values(samples: readonly MetricSample[], metric: MetricName): number[] {
  return samples.map((sample) => metricValue(sample, metric));
}

/** The per-minute noise before and after the deploy, and how many minutes each median rests on. */
interface Spread {
  baseline: number;
  post: number;
  baselineCount: number;
  postCount: number;
}

/**
 * Noise on each side. After the deploy: the judged minutes' own spread. Before: the baseline's,
 * or, when too few deviations stand behind it, at least the judged minutes' spread carried to the
 * baseline's level (latency and traffic vary in proportion to their level).
 */
function spreadOf(
  baseline: MetricBaseline,
  post: readonly number[],
  after: number,
  proportional: boolean,
  observed: number = robustSpread(post),
): Spread {
  const floor = ABSOLUTE_NOISE_FLOOR[baseline.metric];
  const carried = proportional && after > 0 ? (observed * baseline.level) / after : observed;
  return {
    baseline: baseline.noiseKnown ? baseline.noise : Math.max(baseline.noise, carried),
    post: Math.max(observed, floor(Math.max(after, 0))),
    baselineCount: Math.max(1, baseline.samples.length),
    postCount: Math.max(1, post.length),
  };
}

/** Standard error of a difference of medians: a median's is 1.2533 sigma / sqrt(n). */
function shiftError(spread: Spread): number {
  return (
    1.2533 * Math.sqrt(spread.baseline ** 2 / spread.baselineCount + spread.post ** 2 / spread.postCount)
  );
}

function shiftZ(shift: number, spread: Spread): number {
  const error = shiftError(spread);
  if (shift <= 0 || error <= 0) return 0;
  return shift / error;
}

/**
 * How far the median after the deploy may move before it is more than noise: `sigmas` standard
 * errors, so many judged minutes see a small shift a single minute's noise would hide.
 */
function noiseMargin(spread: Spread, sigmas: number): number {
  return sigmas * shiftError(spread);
}

/** The level a worse value is measured from: the recent one, or the other days' when higher. */
function usualLevel(level: number, baseline: MetricBaseline): number {
  return Math.max(level, baseline.otherDaysLevel ?? level);
}

function atLeastHalf(count: number, total: number, minimum: number): boolean {
  return count >= Math.max(Math.min(minimum, total), Math.ceil(total / 2));
}

function count(list: readonly number[], test: (value: number) => boolean): number {
  return list.filter(test).length;
}

export function latencyFinding({ baseline, scale }: FindingContext, judged: Judged): Finding {
  const limits = ROBUST_LIMITS.latency;
  const post = values(judged.samples, "latency_p95");
  const after = median(post);
  const spread = spreadOf(baseline, post, after, true);
  const level = usualLevel(baseline.level, baseline);
  const warningLine =
    level +
    scale *
      Math.max(
        noiseMargin(spread, ROBUST_LIMITS.noiseSigmas),
        limits.relativeFloor * level,
        limits.absoluteFloorMs,
      );
  const rollbackLine = Math.max(
    level +
      scale *
        Math.max(
          noiseMargin(spread, ROBUST_LIMITS.rollbackSigmas),
          limits.rollbackRelative * level,
          limits.rollbackMarginMs,
        ),
    warningLine,
  );
  const z = shiftZ(after - level, spread);
  const rollbacks = count(post, (value) => value > rollbackLine);
  const warnings = count(post, (value) => value > warningLine);
  const base = {
    metric: "latency_p95" as const,
    before: baseline.level,
    after,
    sampleCount: post.length,
    z,
    extra: {},
  };
  if (atLeastHalf(rollbacks, post.length, 2) && after > rollbackLine)
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
 * The usual error rate: failed requests over requests of the baseline, as the window's is (a
 * median minute would understate a bursty service's rate, and say 0 % at 1 req/s where most
 * minutes fail nothing). Minutes already holding the new version are out of the baseline.
 */
function usualErrorRate(samples: readonly MetricSample[]): number {
  const rate = pooledErrorRate(samples);
  return Number.isNaN(rate) ? median(values(samples, "error_rate")) : rate;
}

export function errorFinding({ baseline, scale }: FindingContext, judged: Judged): Finding {
  const limits = ROBUST_LIMITS.errors;
  const recentLevel = usualErrorRate(baseline.samples);
  const level = usualLevel(recentLevel, baseline);
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

  // The window's own noise is the Poisson test's business: the margin is the baseline level's.
  const margin = noiseMargin(
    {
      baseline: baseline.noise,
      post: baseline.noise,
      baselineCount: baseline.samples.length,
      postCount: rates.length,
    },
    ROBUST_LIMITS.noiseSigmas,
  );
  const warningLine = level + scale * Math.max(limits.warningFloor, 0.15 * level, margin);
  const rollbackLine =
    level + Math.max(scale * Math.max(limits.rollbackFloor, level, 2 * margin), warningLine - level);
  const base = {
    metric: "error_rate" as const,
    before: recentLevel,
    after,
    sampleCount: rates.length,
    z,
    extra: { errors: Math.round(totalErrors), requests: Math.round(totalRequests) },
  };
  const persistent = rates.length >= 2 && restRate > warningLine;
  // Decided on the minutes left once the worst are set aside, so blips cannot add up to a rollback.
  if (after > rollbackLine && restRate > rollbackLine && persistent && restZ >= limits.rollbackZ * scale) {
    const breaches = count(rates, (value) => value > rollbackLine);
    return { ...base, level: "rollback", kind: "regressed", line: rollbackLine, breachCount: breaches };
  }
  // Errors far past the rollback line over too few requests to prove it still forbid an ok.
  const unconfirmed = after > rollbackLine && persistent && z >= 2;
  const warningZ = limits.warningZ * scale;
  const warning =
    unconfirmed ||
    (after > warningLine && persistent && (restZ >= warningZ || (z >= warningZ && restZ >= 1.5)));
  return {
    ...base,
    level: warning ? "warning" : "ok",
    kind: warning ? "regressed" : "within",
    line: warningLine,
    breachCount: count(rates, (value) => value > warningLine),
  };
}

export function cpuFinding({ baseline, traffic, scale }: FindingContext, judged: Judged): Finding {
  const limits = ROBUST_LIMITS.cpu;
  const { level } = baseline;
  const post = values(judged.samples, "cpu_usage");
  const after = median(post);
  const spread = spreadOf(baseline, post, after, false);
  // More traffic costs more CPU: a campaign ramp moves the expected level with it.
  const trafficBefore = median(values(traffic.samples, "requests_per_sec"));
  const trafficAfter = median(values(judged.samples, "requests_per_sec"));
  const load = trafficBefore > 0 ? Math.min(3, Math.max(1, trafficAfter / trafficBefore)) : 1;
  const expected = Math.min(1, level * load);
  const warningLine =
    expected + scale * Math.max(noiseMargin(spread, ROBUST_LIMITS.noiseSigmas), limits.floor);
  const z = shiftZ(after - expected, spread);
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

export function memoryFinding({ baseline, scale }: FindingContext, judged: Judged): Finding {
  const limits = ROBUST_LIMITS.memory;
  const { level } = baseline;
  const post = values(judged.samples, "memory_usage");
  const after = median(post);
  // The minutes' noise around their trend: a climb is not noise.
  const slope = theilSenSlope(judged.minutes, post);
  const intercept = median(post.map((value, index) => value - slope * (judged.minutes[index] as number)));
  const residualNoise = robustSpread(
    post.map((value, index) => value - slope * (judged.minutes[index] as number) - intercept),
  );
  const spread = spreadOf(baseline, post, after, false, residualNoise);
  const warningLine = level + scale * Math.max(noiseMargin(spread, ROBUST_LIMITS.noiseSigmas), limits.floor);
  const base = { metric: "memory_usage" as const, before: level, sampleCount: post.length };

  const run = longestRun(post, (value) => value >= limits.ceiling);
  if (run >= limits.ceilingMinutes && level < limits.ceiling) {
    const breaches = count(post, (value) => value >= limits.ceiling);
    const z = shiftZ(after - level, spread);
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
  const span = (judged.minutes.at(-1) ?? 0) - (judged.minutes[0] ?? 0);
  // Where memory is now, observed: a fitted line would carry a finished refill past its plateau.
  const last = median(post.slice(-3));
  const refillLine = level + limits.refillMargin;
  const rise = slope * span;
  const climbing =
    post.length >= limits.leakMinimumSamples &&
    slope > 0 &&
    rise > Math.max(scale * limits.leakMinimumRise, scale * ROBUST_LIMITS.noiseSigmas * residualNoise);
  // Memory refilling after a restart climbs back to its usual level and stops there; a leak goes
  // past it. So a climb counts only once memory now (the last three minutes) is above the usual
  // level by more than their noise, and rolls back once past the refill margin or seen long enough.
  const now = { ...spread, postCount: Math.min(3, post.length) };
  const aboveUsual =
    last > level + scale * Math.max(limits.leakMinimumRise / 2, noiseMargin(now, ROBUST_LIMITS.noiseSigmas));
  if (climbing && aboveUsual) {
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

  const z = shiftZ(after - level, spread);
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

/**
 * The traffic the baseline leads to at `time`: its level carried along the daily curve's slope
 * (an hour at most, never under half the level), or the level itself.
 */
function expectedTraffic(baseline: MetricBaseline, time: number): number {
  if (baseline.slopePerMinute === 0 || Number.isNaN(time) || Number.isNaN(baseline.levelAt))
    return baseline.level;
  const minutes = Math.min(60, Math.max(0, (time - baseline.levelAt) / 60_000));
  return Math.max(0.5 * baseline.level, baseline.level + baseline.slopePerMinute * minutes);
}

/** Null when the baseline has too little traffic to judge a drop. Rises never fail. */
export function trafficFinding({ baseline, scale }: FindingContext, judged: Judged): Finding | null {
  const limits = ROBUST_LIMITS.traffic;
  const { level } = baseline;
  if (!(level >= limits.minimumBaseline)) return null;
  const post = values(judged.samples, "requests_per_sec");
  // Each minute as a share of what the daily curve leads to at that minute.
  const shares = post.map((value, index) => value / expectedTraffic(baseline, judged.times[index] as number));
  const middle = judged.times[Math.floor(judged.times.length / 2)] ?? Number.NaN;
  const expected = expectedTraffic(baseline, middle);
  const after = median(post);
  const share = median(shares);
  // The minutes' spread around the curve, at the baseline's level.
  const spread = spreadOf(
    baseline,
    shares.map((value) => value * level),
    share * level,
    true,
  );
  const relativeMargin = noiseMargin(spread, ROBUST_LIMITS.noiseSigmas) / level;
  const rollbackMargin = noiseMargin(spread, ROBUST_LIMITS.rollbackSigmas) / level;
  const warningDrop = Math.min(limits.maximumDrop, scale * Math.max(limits.warningDrop, relativeMargin));
  const rollbackDrop = Math.min(
    limits.maximumDrop,
    Math.max(warningDrop, scale * Math.max(limits.rollbackDrop, rollbackMargin)),
  );
  const z = shiftZ(level * (1 - share), spread);
  const base = {
    metric: "requests_per_sec" as const,
    before: level,
    after,
    sampleCount: post.length,
    z,
    extra: {},
  };
  const rollbacks = count(shares, (value) => value < 1 - rollbackDrop);
  if (atLeastHalf(rollbacks, post.length, limits.rollbackMinutes) && share < 1 - rollbackDrop)
    return {
      ...base,
      level: "rollback",
      kind: "regressed",
      line: expected * (1 - rollbackDrop),
      breachCount: rollbacks,
    };
  const warnings = count(shares, (value) => value < 1 - warningDrop);
  const warning = share < 1 - warningDrop && warnings >= Math.min(2, post.length);
  return {
    ...base,
    level: warning ? "warning" : "ok",
    kind: warning ? "regressed" : "within",
    line: expected * (1 - warningDrop),
    breachCount: warnings,
  };
}

/** How sure the change is real, as a percentage with one decimal, at most 99.9. */
export function surePercent(z: number): number {
  return Math.min(99.9, Math.round(normalCdf(z) * 1000) / 10);
}
