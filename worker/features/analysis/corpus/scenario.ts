// A scenario: a service, a rollout, what the new version does, and which samples arrive. Turned
// into a JudgeInput the way the collector would see it.
import type { JudgeInput, MetricSample } from "../types";
import type { Random } from "./random";
import {
  AROUND_DEPLOYMENT,
  type Modifiers,
  type Moment,
  NEUTRAL,
  newVersionShare,
  type Restart,
  type Rollout,
  type ServiceProfile,
  sampleAt,
} from "./service";

/** The deployment's finish; every case is placed relative to it. */
export const FINISH = Date.UTC(2026, 4, 4, 10, 0, 0);

export interface Scenario {
  profile: ServiceProfile;
  rollout: Rollout;
  restart: Restart | null;
  /**
   * Minutes from the trigger to the finish. A rolling deploy's rollout takes the last
   * `rollout.rolloutMinutes` of them; under a minute, the pipeline gives one PRE sample.
   */
  pipelineMinutes: number;
  /** The continuous baseline the project keeps, or null (a new project, or baseline off). */
  history: HistoryPlan | null;
  windowMinutes: number;
  /** The new version's effect at a minute, at full share; blended by the share it serves. */
  newVersion: (minute: number) => Partial<Modifiers>;
  /** Effects independent of the version (a campaign, a dependency's hiccup, bots). */
  environment: (minute: number) => Partial<Modifiers>;
  /** Whether the POST sample of this minute is missing (the endpoint did not answer). */
  postMissing: (minute: number) => boolean;
}

export interface HistoryPlan {
  /** The project's baseline interval: 5, 10 or 30 minutes. */
  intervalMinutes: number;
  /** Projects at least a day (a week) old have the same hour a day (a week) earlier. */
  dayEarlier: boolean;
  weekEarlier: boolean;
  /** Share of sweeps the endpoint did not answer. */
  missedShare: number;
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
  /** How many of the PRE samples were taken after the trigger (a rolling deploy may be under way). */
  preAfterTrigger: number;
  /** How many PRE samples already hold some of the new version. */
  preContaminated: number;
}

const MINUTE = 60_000;

/** PRE samples: one at the trigger, then one a minute until the finish, at most 10 more. */
const MAX_PRE_AFTER_TRIGGER = 10;

/**
 * The minutes (from the finish) of the continuous baseline the analysis passes: the sweep's grid
 * (every `intervalMinutes`, at a phase of its own) over the hour before the trigger and, when the
 * project is old enough, the same hour +-30 minutes a day and a week earlier. Each sample may be
 * missing (the endpoint did not answer that sweep).
 */
function historyMinutes(
  random: Random,
  plan: HistoryPlan,
  trigger: number,
): { minute: number; ago: number }[] {
  const phase = random.uniform(0, plan.intervalMinutes);
  const grid = (from: number, to: number, ago: number) => {
    const minutes: { minute: number; ago: number }[] = [];
    for (let minute = trigger - phase; minute >= from; minute -= plan.intervalMinutes) {
      if (minute <= to && !random.chance(plan.missedShare)) minutes.push({ minute, ago });
    }
    return minutes.reverse();
  };
  const around = (ago: number) => grid(trigger - ago - 30, trigger - ago + 30, ago);
  return [
    ...(plan.weekEarlier ? around(7 * 1440) : []),
    ...(plan.dayEarlier ? around(1440) : []),
    ...grid(trigger - 60, trigger, 0),
  ];
}

export function buildInput(random: Random, scenario: Scenario): BuiltInput {
  const at = (minute: number, jitterSeconds: number) =>
    new Date(FINISH + minute * MINUTE + jitterSeconds * 1000);
  const modifiersAt = (minute: number) => {
    const whole = Math.floor(minute);
    return combine(
      blend(newVersionShare(scenario.rollout, minute), scenario.newVersion(whole)),
      scenario.environment(whole),
    );
  };
  // The collector runs on a minute cron: a few seconds of lateness, never a reordering.
  const sample = (minute: number, jitterSeconds: number): MetricSample =>
    sampleAt(
      random,
      scenario.profile,
      minute,
      at(minute, jitterSeconds),
      modifiersAt(minute),
      scenario.restart,
    );

  // The trigger's own sample is taken within two seconds, before the next minute's.
  const trigger = -Math.max(scenario.pipelineMinutes, 0.05);
  const pre: MetricSample[] = [];
  let preContaminated = 0;
  for (let step = 0; step <= MAX_PRE_AFTER_TRIGGER; step += 1) {
    const minute = trigger + step;
    // A sample due within seconds of the finish is the finish's, not the baseline's.
    if (step > 0 && minute > -0.1) break;
    pre.push(sample(minute, step === 0 ? random.uniform(0, 2) : random.uniform(0, 5)));
    if (newVersionShare(scenario.rollout, minute) > 0) preContaminated += 1;
  }
  const post: MetricSample[] = [];
  for (let minute = 0; minute < scenario.windowMinutes; minute += 1) {
    const drawn = sample(minute, random.uniform(0, 5));
    if (!scenario.postMissing(minute)) post.push(drawn);
  }

  const history: MetricSample[] = [];
  if (scenario.history) {
    // Another day's level: traffic, latency and heap vary from day to day; a week earlier is the
    // same weekday, closer.
    const days = new Map<number, Moment>();
    for (const ago of [1440, 7 * 1440]) {
      const spread = ago === 1440 ? 0.12 : 0.08;
      days.set(ago, {
        curveMinute: 0,
        trafficLevel: Math.exp(random.normal(0, spread)),
        latencyLevel: Math.exp(random.normal(0, 0.05)),
        memoryOffset: random.normal(0, 0.02),
      });
    }
    for (const { minute, ago } of historyMinutes(random, scenario.history, trigger)) {
      const day = days.get(ago);
      // The old version only; what the environment does around the deployment is not in another day.
      const moment = day ? { ...day, curveMinute: minute + ago } : AROUND_DEPLOYMENT(minute);
      const modifiers = day ? NEUTRAL : combine(NEUTRAL, scenario.environment(Math.floor(minute)));
      history.push(
        sampleAt(random, scenario.profile, minute, at(minute, random.uniform(0, 5)), modifiers, null, moment),
      );
    }
  }

  return {
    input: {
      pre,
      post,
      analyzedAt: at(scenario.windowMinutes, 0),
      observationWindowMinutes: scenario.windowMinutes,
      triggeredAt: at(trigger, 0),
      ...(scenario.history ? { history } : {}),
    },
    preAfterTrigger: pre.length - 1,
    preContaminated,
  };
}
