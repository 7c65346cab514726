// The families of the labelled corpus: what a release did (or what the service always does) and
// the label a careful engineer would give it. Parameters are drawn from ranges written down from
// how services behave, never adjusted to what a judge gets right or wrong.
import type { Random } from "./random";
import type { HistoryPlan, Scenario } from "./scenario";
import type { Modifiers, Restart, Rollout, ServiceProfile } from "./service";

export type CaseLabel = "healthy" | "bad" | "degraded" | "dark";

export interface Family {
  name: string;
  label: CaseLabel;
  /** Healthy releases that look alarming to a rule-of-thumb judge. */
  alarming: boolean;
  count: number;
  build(random: Random): Scenario;
}

function typicalProfile(random: Random, overrides: Partial<ServiceProfile> = {}): ServiceProfile {
  const cpuIdle = random.uniform(0.03, 0.1);
  return {
    requestsPerSec: random.logUniform(2, 5000),
    dailySlopePerHour: random.uniform(-0.1, 0.1),
    trafficNoise: random.uniform(0.01, 0.05),
    latencyP95: random.logUniform(40, 200),
    latencyNoise: random.uniform(0.03, 0.1),
    gcSpikeChance: random.uniform(0, 0.08),
    gcSpikeFactor: random.uniform(1.15, 1.5),
    errorRate: random.logUniform(0.0003, 0.004),
    errorBurstiness: random.uniform(0.1, 0.4),
    cpuIdle,
    cpuAtBase: random.uniform(cpuIdle + 0.1, 0.6),
    memory: random.uniform(0.3, 0.62),
    memorySawtooth: random.uniform(0.01, 0.06),
    gcPeriodMinutes: random.int(2, 8),
    ...overrides,
  };
}

function anyRollout(random: Random): Rollout {
  const style = random.pick(["rolling", "rolling", "blue-green", "restart"] as const);
  return { style, rolloutMinutes: random.int(2, 8) };
}

/** Most windows are 15 minutes; some projects use 5 or 30. */
function windowMinutes(random: Random): number {
  const draw = random.next();
  return draw < 0.1 ? 5 : draw < 0.2 ? 30 : 15;
}

/**
 * Minutes from the trigger to the finish. About 30 % of pipelines call finish right after trigger
 * (a new project, a fast platform swap): one PRE sample. The others build and deploy between the
 * two calls; a rolling deploy's rollout ends at the finish, after some time to build and pull.
 */
function pipelineMinutes(random: Random, rollout: Rollout): number {
  if (random.chance(0.3)) return random.uniform(0.05, 0.9);
  return rollout.style === "rolling"
    ? rollout.rolloutMinutes + random.uniform(0.2, 3)
    : random.uniform(1, 12);
}

/**
 * The continuous baseline: none for about 40 % (a new project, or baseline switched off);
 * otherwise every 10 minutes for most projects, 5 or 30 for some, with the same hour a day
 * earlier for projects at least a day old and a week earlier for those at least a week old.
 */
function historyPlan(random: Random): HistoryPlan | null {
  if (random.chance(0.4)) return null;
  const intervalMinutes = random.pick([
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 5, 5, 5, 30, 30, 30,
  ]);
  const age = random.next();
  return {
    intervalMinutes,
    dayEarlier: age >= 0.25,
    weekEarlier: age >= 0.55,
    missedShare: random.uniform(0, 0.05),
  };
}

function mildRestart(random: Random): Restart {
  return {
    warmupFactor: random.uniform(1.05, 1.4),
    warmupMinutes: random.uniform(0.3, 0.8),
    memoryAfterRestart: random.uniform(0.75, 0.95),
    refillMinutes: random.uniform(2, 6),
  };
}

const none = () => ({});
const never = () => false;

interface Draft {
  profile?: Partial<ServiceProfile>;
  rollout?: Rollout;
  restart?: Restart | null;
  pipelineMinutes?: number;
  windowMinutes?: number;
  newVersion?: (minute: number) => Partial<Modifiers>;
  environment?: (minute: number) => Partial<Modifiers>;
  postMissing?: (minute: number) => boolean;
}

function scenario(random: Random, draft: Draft): Scenario {
  const drafted = draft.rollout ?? anyRollout(random);
  const profile = typicalProfile(random, draft.profile);
  const restart =
    draft.restart !== undefined ? draft.restart : drafted.style === "restart" ? mildRestart(random) : null;
  const pipeline = draft.pipelineMinutes ?? pipelineMinutes(random, drafted);
  // A rollout happens between the trigger and the finish: a fast pipeline's is as fast.
  const rollout = { ...drafted, rolloutMinutes: Math.min(drafted.rolloutMinutes, pipeline) };
  return {
    profile,
    rollout,
    restart,
    pipelineMinutes: pipeline,
    history: historyPlan(random),
    windowMinutes: draft.windowMinutes ?? windowMinutes(random),
    newVersion: draft.newVersion ?? none,
    environment: draft.environment ?? none,
    postMissing: draft.postMissing ?? never,
  };
}

function family(
  name: string,
  label: CaseLabel,
  count: number,
  build: (random: Random) => Draft,
  alarming = false,
): Family {
  return { name, label, alarming, count, build: (random) => scenario(random, build(random)) };
}

const restart = (random: Random, draft: Partial<Restart> = {}): { rollout: Rollout; restart: Restart } => ({
  rollout: { style: "restart", rolloutMinutes: 0 },
  restart: { ...mildRestart(random), ...draft },
});

const lowTraffic = (random: Random) => random.uniform(0.5, 3);

export const FAMILIES: readonly Family[] = [
  // Healthy, unremarkable.
  family("healthy-blue-green", "healthy", 30, () => ({
    rollout: { style: "blue-green", rolloutMinutes: 0 },
  })),
  family("healthy-rolling", "healthy", 30, (random) => ({
    rollout: { style: "rolling", rolloutMinutes: random.int(2, 12) },
  })),
  family("healthy-restart", "healthy", 25, (random) => restart(random)),
  family("healthy-high-traffic", "healthy", 20, (random) => ({
    profile: { requestsPerSec: random.logUniform(1000, 5000) },
  })),
  family("healthy-improvement", "healthy", 15, (random) => {
    const faster = random.uniform(0.5, 0.85);
    const leaner = random.uniform(-0.15, -0.03);
    return { newVersion: () => ({ latencyFactor: faster, cpuAdd: leaner }) };
  }),

  // Healthy, but alarming to fixed thresholds or to a single baseline sample.
  family(
    "high-error-baseline",
    "healthy",
    14,
    (random) => ({
      profile: { errorRate: random.uniform(0.012, 0.02), errorBurstiness: random.uniform(0.2, 0.5) },
    }),
    true,
  ),
  family(
    "always-slow",
    "healthy",
    12,
    (random) => ({ profile: { latencyP95: random.uniform(330, 420) } }),
    true,
  ),
  family(
    "high-steady-cpu",
    "healthy",
    12,
    (random) => {
      const cpuAtBase = random.uniform(0.75, 0.86);
      return { profile: { cpuIdle: cpuAtBase - 0.1, cpuAtBase } };
    },
    true,
  ),
  family(
    "high-steady-heap",
    "healthy",
    12,
    (random) => ({
      profile: { memory: random.uniform(0.76, 0.85), memorySawtooth: random.uniform(0.04, 0.1) },
    }),
    true,
  ),
  family(
    "one-minute-blip",
    "healthy",
    14,
    (random) => {
      const windowLength = windowMinutes(random);
      const blip = random.int(1, windowLength - 2);
      const errors = random.uniform(0.02, 0.1);
      const slower = random.uniform(1.8, 3);
      return {
        windowMinutes: windowLength,
        environment: (minute: number) => (minute === blip ? { errorAdd: errors, latencyFactor: slower } : {}),
      };
    },
    true,
  ),
  family(
    "cache-warmup",
    "healthy",
    14,
    (random) => {
      const timeouts = random.chance(0.5) ? random.uniform(0.002, 0.02) : 0;
      return {
        ...restart(random, { warmupFactor: random.uniform(2, 5), warmupMinutes: random.uniform(0.5, 1.2) }),
        environment: (minute: number) => (minute === 0 ? { errorAdd: timeouts } : {}),
      };
    },
    true,
  ),
  family(
    "campaign-ramp",
    "healthy",
    12,
    (random) => {
      const peak = random.uniform(1.5, 3);
      const start = random.int(0, 4);
      const rampMinutes = random.int(5, 20);
      return {
        // Autoscaled: CPU at the finish leaves room for the peak.
        profile: { cpuAtBase: random.uniform(0.15, 0.3), cpuIdle: 0.05 },
        environment: (minute: number) => {
          const progress = Math.min(1, Math.max(0, (minute - start) / rampMinutes));
          return { trafficFactor: 1 + (peak - 1) * progress, latencyFactor: 1 + 0.05 * progress };
        },
      };
    },
    true,
  ),
  family(
    "daily-curve",
    "healthy",
    12,
    (random) => ({
      profile: { dailySlopePerHour: random.pick([-1, 1]) * random.uniform(0.2, 0.45) },
    }),
    true,
  ),
  family(
    "low-traffic-single-failures",
    "healthy",
    14,
    (random) => {
      const window = windowMinutes(random);
      const failures = new Set(Array.from({ length: random.int(1, 3) }, () => random.int(-10, window - 1)));
      return {
        windowMinutes: window,
        profile: { requestsPerSec: lowTraffic(random), errorRate: 0.0001 },
        environment: (minute: number) => (failures.has(minute) ? { failedRequests: 1 } : {}),
      };
    },
    true,
  ),
  family(
    "memory-refill-after-restart",
    "healthy",
    12,
    (random) => ({
      ...restart(random, {
        memoryAfterRestart: random.uniform(0.3, 0.55),
        refillMinutes: random.uniform(4, 15),
      }),
      profile: { memory: random.uniform(0.5, 0.75) },
    }),
    true,
  ),

  // Bad releases: roll back.
  family("error-spike", "bad", 16, (random) => {
    const errors = random.uniform(0.02, 0.15);
    return { newVersion: () => ({ errorAdd: errors }) };
  }),
  family("latency-x2", "bad", 14, (random) => {
    const factor = random.uniform(1.8, 2.4);
    return { newVersion: () => ({ latencyFactor: factor }) };
  }),
  family("latency-x3", "bad", 12, (random) => {
    const factor = random.uniform(2.7, 3.5);
    return { newVersion: () => ({ latencyFactor: factor }) };
  }),
  family("fast-service-slowed", "bad", 12, (random) => {
    const factor = random.uniform(4, 6);
    return { profile: { latencyP95: random.uniform(25, 50) }, newVersion: () => ({ latencyFactor: factor }) };
  }),
  family("cpu-saturation", "bad", 14, (random) => {
    const slower = random.uniform(1.2, 1.6);
    return { newVersion: () => ({ cpuAdd: 1, latencyFactor: slower }) };
  }),
  family("memory-leak", "bad", 14, (random) => {
    // Exhausts memory within the hour after the finish.
    const minutesToExhaustion = random.uniform(20, 60);
    const profile = { memory: random.uniform(0.3, 0.6) };
    const slope = (1 - profile.memory) / minutesToExhaustion;
    return { profile, newVersion: (minute: number) => ({ memoryAdd: slope * Math.max(0, minute + 1) }) };
  }),
  family("traffic-drop", "bad", 14, (random) => {
    const kept = random.uniform(0.1, 0.65);
    return {
      profile: { requestsPerSec: random.logUniform(5, 5000) },
      newVersion: () => ({ trafficFactor: kept }),
    };
  }),
  family("contaminated-baseline", "bad", 14, (random) => {
    const errors = random.chance(0.5);
    const errorAdd = random.uniform(0.03, 0.12);
    const factor = random.uniform(2.2, 3.5);
    const rolloutMinutes = random.int(8, 12);
    return {
      // The whole rollout between trigger and finish: every PRE sample but the first may hold it.
      rollout: { style: "rolling", rolloutMinutes },
      pipelineMinutes: rolloutMinutes + random.uniform(0.3, 2),
      newVersion: () => (errors ? { errorAdd } : { latencyFactor: factor }),
    };
  }),
  family("noisy-service-error-spike", "bad", 12, (random) => {
    const errors = random.uniform(0.03, 0.1);
    return {
      profile: { errorRate: random.uniform(0.012, 0.02), errorBurstiness: random.uniform(0.2, 0.5) },
      newVersion: () => ({ errorAdd: errors }),
    };
  }),
  family("low-traffic-errors", "bad", 12, (random) => {
    const errors = random.uniform(0.1, 0.35);
    return {
      profile: { requestsPerSec: lowTraffic(random), errorRate: 0.0001 },
      newVersion: () => ({ errorAdd: errors }),
    };
  }),
  family("crash-loop", "bad", 12, (random) => {
    const period = random.int(2, 4);
    return {
      newVersion: (minute: number) =>
        minute % period === 0
          ? { errorAdd: random.uniform(0.1, 0.5), latencyFactor: 3, trafficFactor: 0.6 }
          : { errorAdd: 0.01 },
    };
  }),

  // Small real regressions: warning or rollback.
  family("small-latency-regression", "degraded", 14, (random) => {
    const factor = random.uniform(1.15, 1.3);
    return { newVersion: () => ({ latencyFactor: factor }) };
  }),
  family("small-error-regression", "degraded", 14, (random) => {
    const errors = random.uniform(0.003, 0.008);
    return { newVersion: () => ({ errorAdd: errors }) };
  }),
  family("slow-memory-creep", "degraded", 10, (random) => {
    const perHour = random.uniform(0.08, 0.2);
    return { newVersion: (minute: number) => ({ memoryAdd: (perHour / 60) * Math.max(0, minute + 1) }) };
  }),
  family("small-cpu-regression", "degraded", 10, (random) => {
    const extra = random.uniform(0.12, 0.25);
    return { newVersion: () => ({ cpuAdd: extra, latencyFactor: 1.05 }) };
  }),

  // Added with the pipeline model (issue 10's list): a collector that misses a few minutes of an
  // otherwise healthy window (a sweep running late, one request timing out), and a release whose
  // metrics endpoint still answers while the service itself no longer receives traffic.
  family(
    "healthy-missed-samples",
    "healthy",
    14,
    (random) => {
      const window = random.pick([15, 15, 30]);
      const missed = new Set(Array.from({ length: random.int(1, 3) }, () => random.int(1, window - 1)));
      return { windowMinutes: window, postMissing: (minute: number) => missed.has(minute) };
    },
    true,
  ),
  family("traffic-gone", "bad", 10, (random) => {
    const kept = random.uniform(0, 0.05);
    return {
      profile: { requestsPerSec: random.logUniform(5, 5000) },
      newVersion: () => ({ trafficFactor: kept }),
    };
  }),

  // Nothing can be confirmed: the endpoint is dark for most of the window.
  family("dark-after-finish", "dark", 10, (random) => {
    const answered = random.int(0, 2);
    return { postMissing: (minute: number) => minute >= answered };
  }),
  family("dark-midway", "dark", 8, (random) => {
    const window = random.pick([15, 30]);
    const answered = random.int(2, Math.floor(window / 3));
    return { windowMinutes: window, postMissing: (minute: number) => minute >= answered };
  }),
  family("dark-intermittent", "dark", 8, (random) => {
    const answers = random.uniform(0.15, 0.35);
    return { windowMinutes: random.pick([15, 30]), postMissing: () => !random.chance(answers) };
  }),
];
