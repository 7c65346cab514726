// The service model: one application's metrics, minute by minute, around a deployment that
// finishes at minute 0. The old version runs before the rollout, the new one after; a rolling
// deploy mixes them (so a baseline taken during it already holds some of the new version).
import type { MetricSample } from "../types";
import type { Random } from "./random";

export interface ServiceProfile {
  /** Mean traffic at the deployment's finish, requests per second. */
  requestsPerSec: number;
  /** Traffic change per hour as a share of the level at finish (the daily curve's local slope). */
  dailySlopePerHour: number;
  /** Relative per-minute traffic noise on top of the Poisson noise of counting requests. */
  trafficNoise: number;
  /** Steady p95 latency in milliseconds. */
  latencyP95: number;
  /** Log-normal spread of the per-minute p95. */
  latencyNoise: number;
  /** Chance per minute of a garbage-collection pause lifting that minute's p95. */
  gcSpikeChance: number;
  gcSpikeFactor: number;
  /** Background share of failed requests (bots, client errors surfaced as 5xx). */
  errorRate: number;
  /** Log-normal spread of the background error share per minute (bursty bots). */
  errorBurstiness: number;
  /** CPU with no traffic, and at the traffic of the finish; in between it follows traffic. */
  cpuIdle: number;
  cpuAtBase: number;
  /** Steady memory share, and the amplitude and period of its garbage-collection sawtooth. */
  memory: number;
  memorySawtooth: number;
  gcPeriodMinutes: number;
}

/** How the running version differs from the steady model in one minute. Neutral values by default. */
export interface Modifiers {
  trafficFactor: number;
  latencyFactor: number;
  /** Added to the share of failed requests. */
  errorAdd: number;
  /** Failed requests added to the minute's count (single failures on a quiet service). */
  failedRequests: number;
  cpuAdd: number;
  memoryAdd: number;
}

export const NEUTRAL: Modifiers = {
  trafficFactor: 1,
  latencyFactor: 1,
  errorAdd: 0,
  failedRequests: 0,
  cpuAdd: 0,
  memoryAdd: 0,
};

export type DeployStyle = "rolling" | "blue-green" | "restart";

export interface Rollout {
  style: DeployStyle;
  /** Rolling only: minutes between the trigger and the finish, instances replaced evenly. */
  rolloutMinutes: number;
}

/**
 * Share of the traffic served by the new version at `minute` (the finish is minute 0, fractions
 * allowed). A rolling deploy replaces instances evenly over the `rolloutMinutes` before the finish;
 * blue-green and restart deploys switch at the finish.
 */
export function newVersionShare(rollout: Rollout, minute: number): number {
  if (minute >= 0) return 1;
  if (rollout.style !== "rolling" || rollout.rolloutMinutes <= 0) return 0;
  return Math.min(1, Math.max(0, (minute + rollout.rolloutMinutes) / rollout.rolloutMinutes));
}

/** Restart effects: a cold cache and an empty heap after the instances restart at the finish. */
export interface Restart {
  /** p95 multiplier in the first minute, decaying with `warmupMinutes`. */
  warmupFactor: number;
  warmupMinutes: number;
  /** Memory right after the restart as a share of the steady level, refilled with `refillMinutes`. */
  memoryAfterRestart: number;
  refillMinutes: number;
}

const round = (value: number, decimals: number) => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * Where a sample sits on the daily curve. Around the deployment the curve is its local slope
 * (`curveMinute` = minutes from the finish); a sample a day or a week earlier sits at the same
 * time of day (`curveMinute` = minutes from that time) with that day's own level of traffic,
 * latency and memory.
 */
export interface Moment {
  curveMinute: number;
  trafficLevel: number;
  latencyLevel: number;
  memoryOffset: number;
}

export const AROUND_DEPLOYMENT = (minute: number): Moment => ({
  curveMinute: minute,
  trafficLevel: 1,
  latencyLevel: 1,
  memoryOffset: 0,
});

/**
 * One sample at `minute` (from the finish). `modifiers` already blends the versions for the
 * minute; `restart` applies from minute 0 on. `at` is the collection time.
 */
export function sampleAt(
  random: Random,
  profile: ServiceProfile,
  minute: number,
  at: Date,
  modifiers: Modifiers,
  restart: Restart | null,
  moment: Moment = AROUND_DEPLOYMENT(minute),
): MetricSample {
  const daily =
    Math.max(0.05, 1 + (profile.dailySlopePerHour * moment.curveMinute) / 60) * moment.trafficLevel;
  const expectedRps = profile.requestsPerSec * daily * modifiers.trafficFactor;
  const requests = Math.max(
    0,
    random.poisson(expectedRps * 60) * (1 + random.normal(0, profile.trafficNoise)),
  );
  const requestsPerSec = requests / 60;

  const backgroundShare = profile.errorRate * Math.exp(random.normal(0, profile.errorBurstiness));
  const errorShare = clamp(backgroundShare + modifiers.errorAdd, 0, 1);
  const failed = Math.min(requests, random.poisson(requests * errorShare) + modifiers.failedRequests);
  const errorRate = requests >= 1 ? failed / requests : 0;

  const warmup =
    restart && minute >= 0 ? 1 + (restart.warmupFactor - 1) * Math.exp(-minute / restart.warmupMinutes) : 1;
  // p95 over few requests is a noisy estimate: spread grows as traffic falls.
  const spread = profile.latencyNoise + 0.25 / Math.sqrt(Math.max(1, requests));
  const gc = random.chance(profile.gcSpikeChance) ? profile.gcSpikeFactor : 1;
  const latencyP95 =
    profile.latencyP95 *
    moment.latencyLevel *
    modifiers.latencyFactor *
    warmup *
    gc *
    Math.exp(random.normal(0, spread));

  const load = profile.requestsPerSec > 0 ? requestsPerSec / profile.requestsPerSec : 0;
  const warmupCpu = restart && minute >= 0 ? 0.1 * Math.exp(-minute / restart.warmupMinutes) : 0;
  const cpuUsage =
    profile.cpuIdle +
    (profile.cpuAtBase - profile.cpuIdle) * load +
    modifiers.cpuAdd +
    warmupCpu +
    random.normal(0, 0.015);

  const phase =
    (((minute % profile.gcPeriodMinutes) + profile.gcPeriodMinutes) % profile.gcPeriodMinutes) /
    profile.gcPeriodMinutes;
  let steadyMemory = profile.memory;
  if (restart && minute >= 0) {
    const refill = 1 - (1 - restart.memoryAfterRestart) * Math.exp(-minute / restart.refillMinutes);
    steadyMemory *= refill;
  }
  const memoryUsage =
    steadyMemory +
    moment.memoryOffset +
    profile.memorySawtooth * (phase - 0.5) +
    modifiers.memoryAdd +
    random.normal(0, 0.004);

  return {
    collectedAt: at,
    requestsPerSec: round(requestsPerSec, 3),
    latencyP95: round(Math.max(1, latencyP95), 1),
    errorRate: round(errorRate, 5),
    cpuUsage: round(clamp(cpuUsage, 0.01, 1), 4),
    memoryUsage: round(clamp(memoryUsage, 0.01, 1), 4),
  };
}
