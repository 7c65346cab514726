// A scenario: a service, a rollout, what the new version does, and which samples arrive. Turned
// into a JudgeInput the way the collector would see it.
import type { JudgeInput, MetricSample } from "../types";
import type { Random } from "./random";
import {
  type Modifiers,
  NEUTRAL,
  newVersionShare,
  type Restart,
  type Rollout,
  type ServiceProfile,
  sampleAt,
  triggerMinute,
} from "./service";

/** The deployment's finish; every case is placed relative to it. */
export const FINISH = Date.UTC(2026, 4, 4, 10, 0, 0);

export interface Scenario {
  profile: ServiceProfile;
  rollout: Rollout;
  restart: Restart | null;
  /** PRE samples, one a minute, the last one a minute before the finish (1..10). */
  preCount: number;
  windowMinutes: number;
  /** The new version's effect at a minute, at full share; blended by the share it serves. */
  newVersion: (minute: number) => Partial<Modifiers>;
  /** Effects independent of the version (a campaign, a dependency's hiccup, bots). */
  environment: (minute: number) => Partial<Modifiers>;
  /** Whether the POST sample of this minute is missing (the endpoint did not answer). */
  postMissing: (minute: number) => boolean;
}

export function blend(share: number, effect: Partial<Modifiers>): Modifiers {
  const full = { ...NEUTRAL, ...effect };
  return {
    trafficFactor: 1 + share * (full.trafficFactor - 1),
    latencyFactor: 1 + share * (full.latencyFactor - 1),
    errorAdd: share * full.errorAdd,
    failedRequests: share >= 0.5 ? full.failedRequests : 0,
    cpuAdd: share * full.cpuAdd,
    memoryAdd: share * full.memoryAdd,
  };
}

function combine(a: Modifiers, b: Partial<Modifiers>): Modifiers {
  const full = { ...NEUTRAL, ...b };
  return {
    trafficFactor: a.trafficFactor * full.trafficFactor,
    latencyFactor: a.latencyFactor * full.latencyFactor,
    errorAdd: a.errorAdd + full.errorAdd,
    failedRequests: a.failedRequests + full.failedRequests,
    cpuAdd: a.cpuAdd + full.cpuAdd,
    memoryAdd: a.memoryAdd + full.memoryAdd,
  };
}

export interface BuiltInput {
  input: JudgeInput;
  /** How many of the PRE samples were taken after the trigger (a rolling deploy under way). */
  preAfterTrigger: number;
}

export function buildInput(random: Random, scenario: Scenario): BuiltInput {
  const minuteAt = (minute: number, jitterSeconds: number) =>
    new Date(FINISH + minute * 60_000 + jitterSeconds * 1000);
  const sample = (minute: number): MetricSample => {
    const modifiers = combine(
      blend(newVersionShare(scenario.rollout, minute), scenario.newVersion(minute)),
      scenario.environment(minute),
    );
    // The collector runs on a minute cron: a few seconds of lateness, never a reordering.
    return sampleAt(
      random,
      scenario.profile,
      minute,
      minuteAt(minute, random.uniform(0, 5)),
      modifiers,
      scenario.restart,
    );
  };
  const pre: MetricSample[] = [];
  for (let minute = -scenario.preCount; minute < 0; minute += 1) pre.push(sample(minute));
  const post: MetricSample[] = [];
  for (let minute = 0; minute < scenario.windowMinutes; minute += 1) {
    const drawn = sample(minute);
    if (!scenario.postMissing(minute)) post.push(drawn);
  }
  const trigger = triggerMinute(scenario.rollout);
  return {
    input: {
      pre,
      post,
      analyzedAt: minuteAt(scenario.windowMinutes, 0),
      observationWindowMinutes: scenario.windowMinutes,
    },
    preAfterTrigger: Math.min(scenario.preCount, Math.max(0, -trigger)),
  };
}
