// Test fixtures (imported by *.test.ts only): the worked example of original-seqpulse.md §10.7
// and a few builders.
import type { JudgeInput, LocalizedText, MetricSample } from "./types";

/** The deployment's finish: POST sample i is collected at FINISHED_AT + i minutes. */
export const FINISHED_AT = new Date("2026-05-04T10:00:00.000Z");

export function at(secondsAfterFinish: number): Date {
  return new Date(FINISHED_AT.getTime() + secondsAfterFinish * 1000);
}

type Values = Omit<MetricSample, "collectedAt">;

export function sample(secondsAfterFinish: number, values: Values): MetricSample {
  return { collectedAt: at(secondsAfterFinish), ...values };
}

export const HEALTHY: Values = {
  requestsPerSec: 120,
  latencyP95: 180,
  errorRate: 0.002,
  cpuUsage: 0.45,
  memoryUsage: 0.55,
};

/** One PRE sample, taken at the trigger two minutes before the finish. */
export const WORKED_PRE: MetricSample[] = [sample(-120, HEALTHY)];

/** §10.7 POST rows: rps, latency, error, cpu, memory. */
const WORKED_ROWS: Array<[number, number, number, number, number]> = [
  [118, 250, 0.004, 0.6, 0.6],
  [90, 290, 0.012, 0.74, 0.61],
  [92, 310, 0.015, 0.76, 0.62],
  [115, 260, 0.005, 0.65, 0.62],
  [119, 240, 0.003, 0.62, 0.63],
];

export const WORKED_POST: MetricSample[] = WORKED_ROWS.map(
  ([requestsPerSec, latencyP95, errorRate, cpuUsage, memoryUsage], index) =>
    sample(index * 60, { requestsPerSec, latencyP95, errorRate, cpuUsage, memoryUsage }),
);

/** `count` healthy POST samples one minute apart, each optionally changed by `change`. */
export function healthyPost(count: number, change?: (index: number) => Partial<Values>): MetricSample[] {
  return Array.from({ length: count }, (_, index) => sample(index * 60, { ...HEALTHY, ...change?.(index) }));
}

/** A window of `minutes` analysed one minute after its last sample, as the scheduler does. */
export function input(
  post: MetricSample[],
  options: { pre?: MetricSample[]; minutes?: number; analyzedAt?: Date } = {},
): JudgeInput {
  const minutes = options.minutes ?? 5;
  return {
    pre: options.pre ?? WORKED_PRE,
    post,
    analyzedAt: options.analyzedAt ?? at(minutes * 60),
    observationWindowMinutes: minutes,
  };
}

/** A deterministic generator in [0, 1) (mulberry32): the same seed gives the same inputs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A plausible but adversarial judge input: any window of 1-60 minutes, missing and invalid
 * samples, stale, future or incoherent timestamps, healthy to badly degraded values, traffic
 * on both sides of the 0.5 req/s minimum.
 */
export function randomJudgeInput(random: () => number): JudgeInput {
  const between = (min: number, max: number) => min + (max - min) * random();
  const chance = (probability: number) => random() < probability;
  const minutes = chance(0.3)
    ? ([1, 5, 15, 60][Math.floor(random() * 4)] ?? 5)
    : 1 + Math.floor(random() * 60);

  const base: Values = {
    requestsPerSec: chance(0.2) ? between(0, 1) : between(1, 500),
    latencyP95: between(20, 600),
    errorRate: chance(0.6) ? between(0, 0.012) : between(0, 0.2),
    cpuUsage: between(0, 1),
    memoryUsage: between(0, 1),
  };
  const preCount = chance(0.1) ? 0 : chance(0.9) ? 1 : 2 + Math.floor(random() * 2);
  const preOffset = chance(0.03) ? 3600 : -120;
  const pre = Array.from({ length: preCount }, (_, index) => sample(preOffset - index * 60, base));

  // How this deployment behaves after the finish, and how reliably it was sampled.
  const shift = {
    requestsPerSec: chance(0.3) ? between(0, 1.2) : between(0.85, 1.15),
    latencyP95: between(0.5, 2),
    errorRate: chance(0.5) ? between(0, 1.5) : between(1, 10),
    cpuUsage: between(0.7, 1.5),
    memoryUsage: between(0.8, 1.3),
  };
  const missing = chance(0.2) ? between(0, 0.5) : 0;
  const noise = () => between(0.8, 1.2);
  const post: MetricSample[] = [];
  for (let index = 0; index < minutes; index += 1) {
    if (chance(missing)) continue;
    const spike = chance(0.1) ? between(1, 3) : 1;
    post.push({
      collectedAt: chance(0.01) ? new Date(Number.NaN) : at(index * 60 + between(-5, 5)),
      requestsPerSec: base.requestsPerSec * shift.requestsPerSec * noise(),
      latencyP95: base.latencyP95 * shift.latencyP95 * noise() * spike,
      errorRate: Math.min(1, base.errorRate * shift.errorRate * noise() * spike),
      cpuUsage: Math.min(1, base.cpuUsage * shift.cpuUsage * noise()),
      memoryUsage: Math.min(1, base.memoryUsage * shift.memoryUsage * noise()),
    });
  }

  const analyzedAfter = chance(0.05) ? between(700, 5000) : chance(0.05) ? -between(60, 600) : between(0, 90);
  const judgeInput: JudgeInput = {
    pre,
    post,
    analyzedAt: at(minutes * 60 + analyzedAfter),
    observationWindowMinutes: minutes,
  };
  // The pipeline's extras, drawn last so the fields above stay what they were for a seed: a
  // trigger before the PRE samples taken after it (some already shifted by a rollout), a
  // continuous baseline, and the project's settings.
  if (pre.length >= 2 && chance(0.4)) {
    const earliest = Math.min(...pre.map((item) => item.collectedAt.getTime()));
    judgeInput.triggeredAt = new Date(earliest);
    if (chance(0.5)) {
      judgeInput.pre = pre.map((item) =>
        item.collectedAt.getTime() === earliest
          ? item
          : {
              ...item,
              latencyP95: item.latencyP95 * shift.latencyP95,
              errorRate: Math.min(1, item.errorRate * shift.errorRate),
              requestsPerSec: item.requestsPerSec * shift.requestsPerSec,
            },
      );
    }
  }
  if (chance(0.3)) {
    const hour = Array.from({ length: 6 }, (_, index) => -3600 + index * 600 - 120);
    const dayEarlier = chance(0.5) ? hour.map((seconds) => seconds - 86_400) : [];
    judgeInput.history = [...dayEarlier, ...hour].map((seconds) =>
      sample(seconds, {
        requestsPerSec: base.requestsPerSec * noise(),
        latencyP95: base.latencyP95 * noise(),
        errorRate: Math.min(1, base.errorRate * noise()),
        cpuUsage: Math.min(1, base.cpuUsage * noise()),
        memoryUsage: Math.min(1, base.memoryUsage * noise()),
      }),
    );
  }
  if (chance(0.3)) {
    const metrics = ["latency_p95", "error_rate", "cpu_usage", "memory_usage", "requests_per_sec"] as const;
    judgeInput.settings = {
      sensitivity: (["low", "medium", "high"] as const)[Math.floor(random() * 3)] ?? "medium",
      ignoredMetrics: metrics.filter(() => chance(0.25)),
    };
  }
  return judgeInput;
}

const METRIC_OF_CODE: Record<string, string> = {
  latencyP95: "latency_p95",
  errorRate: "error_rate",
  cpuUsage: "cpu_usage",
  memoryUsage: "memory_usage",
  requestsPerSec: "requests_per_sec",
};

const ISSUE_DIGEST: Record<string, (params: Record<string, string | number>) => string> = {
  minPostSamples: (p) => `min_post_samples ${p.count}/${p.required}`,
  missingPreSamples: () => "missing_pre_samples",
  missingPostTimestamps: () => "missing_post_timestamps",
  postBeforePre: () => "incoherent_timestamps post_before_pre",
  stalePostMetrics: (p) => `stale_post_metrics age_seconds=${p.ageSeconds}`,
  postInFuture: () => "incoherent_timestamps post_in_future",
  sequenceGaps: (p) => `sequence_gaps count=${p.count}`,
};

/**
 * The decision a verdict line or data-quality issue states, in a compact form independent of its
 * wording ("error_rate unstable in 40% of samples (limit 5%)", "min_post_samples 4/5"): judge
 * tests assert decisions with it; messages.test.ts asserts the wording.
 */
export function digest(text: LocalizedText): string {
  const parts = text.code.split(".");
  const last = parts.at(-1) ?? "";
  const p = text.params;
  if (text.code.startsWith("analysis.verdict.details.metricUnstable.")) {
    return `${METRIC_OF_CODE[last]} unstable in ${p.ratio}% of samples (limit ${p.limit}%)`;
  }
  if (text.code === "analysis.verdict.details.okVerdictBlockedByDataQuality")
    return "ok_verdict_blocked_by_data_quality";
  if (text.code === "analysis.verdict.details.dataQualityScore") return `data_quality_score ${p.score}`;
  const issue = ISSUE_DIGEST[last]?.(p) ?? text.code;
  return text.code.startsWith("analysis.verdict.details.") ? `data_quality_issue ${issue}` : issue;
}
