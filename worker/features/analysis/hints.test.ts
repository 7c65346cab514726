import { describe, expect, it } from "vitest";
import { healthyPost, input } from "./fixtures";
import { overshootOf, rankHints } from "./hint-ranking";
import { generateHints, type HintInput, hintContradictions } from "./hints";
import { classicJudge } from "./judges/classic";
import type { MetricMeans } from "./samples";
import { CLASSIC_THRESHOLDS } from "./thresholds";
import type { Hint } from "./types";

const HEALTHY_MEANS: MetricMeans = {
  latency_p95: 180,
  error_rate: 0.002,
  cpu_usage: 0.45,
  memory_usage: 0.66,
  requests_per_sec: 120,
};

/** Path B: no audit, as for POST samples without a PRE baseline (or with one, called directly). */
function absolute(post: Partial<MetricMeans>, options: Partial<HintInput> = {}): Hint[] {
  return generateHints({
    verdict: "rollback_recommended",
    preMeans: null,
    postMeans: { ...HEALTHY_MEANS, ...post },
    audit: null,
    dataQualityScore: 1,
    thresholds: CLASSIC_THRESHOLDS,
    ...options,
  });
}

const summary = (hints: Hint[]) =>
  hints.map((hint) => [hint.rule, hint.metric, hint.severity, hint.confidence]);

describe("absolute-threshold hints (Path B)", () => {
  it("says nothing about healthy means (memory 0.66 is neither normal-low nor approaching)", () => {
    expect(absolute({})).toEqual([]);
  });

  it("B1 service degradation covers error rate and latency", () => {
    const hints = absolute({ error_rate: 0.03, latency_p95: 330 });
    // max((0.03 - 0.01) / 0.01, 0.1) = 2: 0.70 + 0.20 + 0.08 = 0.98, capped at 0.95.
    expect(summary(hints)).toEqual([["B1", "composite", "critical", 0.95]]);
    expect(hints[0]?.title.text).toBe("Service degradation detected");
    expect(hints[0]?.evidence.signals.map((signal) => [signal.metric, signal.threshold])).toEqual([
      ["error_rate", 0.01],
      ["latency_p95", 300],
    ]);
  });

  it("B2 compute saturation is critical from 1.3 x the latency threshold", () => {
    expect(summary(absolute({ latency_p95: 330, cpu_usage: 0.9 }))).toEqual([
      ["B2", "composite", "warning", 0.68],
    ]);
    expect(summary(absolute({ latency_p95: 390, cpu_usage: 0.9 }))).toEqual([
      ["B2", "composite", "critical", 0.88],
    ]);
  });

  it("keeps one composite, the strongest, and lets uncovered metrics speak", () => {
    // B1 (critical) beats B2 (warning); CPU, not covered by B1, gets its own B6 hint.
    const hints = absolute({ error_rate: 0.016, latency_p95: 330, cpu_usage: 0.9 });
    expect(summary(hints)).toEqual([
      ["B1", "composite", "critical", 0.93],
      ["B6", "cpu_usage", "warning", 0.6],
    ]);
  });

  it("B3 partial outage needs a PRE traffic baseline; B10 alone is a warning", () => {
    const preMeans = { ...HEALTHY_MEANS, requests_per_sec: 100 };
    expect(summary(absolute({ error_rate: 0.02, requests_per_sec: 40 }, { preMeans }))).toEqual([
      ["B3", "composite", "critical", 0.95],
    ]);
    const traffic = absolute({ requests_per_sec: 40 }, { preMeans });
    expect(summary(traffic)).toEqual([["B10", "requests_per_sec", "warning", 0.7]]);
    expect(traffic[0]?.threshold).toBe(100);
    // Without enough baseline traffic there is no traffic rule at all.
    expect(
      absolute({ requests_per_sec: 0 }, { preMeans: { ...HEALTHY_MEANS, requests_per_sec: 0.4 } }),
    ).toEqual([]);
  });

  it("B4-B7 single-metric rules and their severities", () => {
    // (0.011 - 0.01) / 0.01 is 0.0999... in binary: no deviation bonus, exactly as in the original.
    expect(summary(absolute({ error_rate: 0.011 }))).toEqual([["B4", "error_rate", "critical", 0.7]]);
    expect(summary(absolute({ error_rate: 0.012 }))).toEqual([["B4", "error_rate", "critical", 0.75]]);
    expect(summary(absolute({ latency_p95: 400 }))).toEqual([["B5", "latency_p95", "critical", 0.8]]);
    expect(summary(absolute({ cpu_usage: 0.97 }))).toEqual([["B6", "cpu_usage", "critical", 0.75]]);
    expect(summary(absolute({ memory_usage: 0.85 }))).toEqual([["B7", "memory_usage", "warning", 0.55]]);
    expect(summary(absolute({ memory_usage: 0.9 }))).toEqual([["B7", "memory_usage", "critical", 0.75]]);
  });

  it("B8 approaching and B9 normal memory", () => {
    expect(summary(absolute({ memory_usage: 0.78 }))).toEqual([["B8", "memory_usage", "warning", 0.7]]);
    expect(summary(absolute({ memory_usage: 0.5 }))).toEqual([["B9", "memory_usage", "info", 0.45]]);
  });

  it("scales every confidence by data quality", () => {
    // 0.75 x (0.5 + 0.5 x 0.6) = 0.60
    expect(summary(absolute({ error_rate: 0.012 }, { dataQualityScore: 0.6 }))).toEqual([
      ["B4", "error_rate", "critical", 0.6],
    ]);
  });
});

describe("hints never contradict their verdict", () => {
  const degraded = { error_rate: 0.03, latency_p95: 420, cpu_usage: 0.99, memory_usage: 0.5 };

  it("a warning verdict lowers critical hints to warnings and recomputes their confidence", () => {
    const hints = absolute(degraded, { verdict: "warning" });
    expect(summary(hints)).toEqual([
      ["B1", "composite", "warning", 0.83],
      ["B6", "cpu_usage", "warning", 0.6],
      ["B9", "memory_usage", "info", 0.45],
    ]);
    expect(hintContradictions("warning", hints)).toEqual([]);
  });

  it("an ok verdict keeps only info hints", () => {
    const hints = absolute(degraded, { verdict: "ok" });
    expect(summary(hints)).toEqual([["B9", "memory_usage", "info", 0.45]]);
    expect(hintContradictions("ok", hints)).toEqual([]);
  });

  it("the rule itself rejects each kind of contradiction", () => {
    const critical = absolute({ error_rate: 0.05 })[0] as Hint;
    const info = absolute({ memory_usage: 0.5 })[0] as Hint;
    expect(hintContradictions("ok", [critical])).toEqual(["critical hint high_error_rate on a ok verdict"]);
    expect(hintContradictions("warning", [critical])).toEqual([
      "critical hint high_error_rate on a warning verdict",
    ]);
    expect(hintContradictions("rollback_recommended", [info])).toEqual([
      "rollback_recommended without a critical hint",
    ]);
    expect(hintContradictions("rollback_recommended", [critical, critical])).toEqual([
      "several hints for one metric: error_rate, error_rate",
    ]);
    expect(hintContradictions("rollback_recommended", [critical, { ...info, severity: "warning" }])).toEqual([
      "positive hint memory_within_normal_range presented as warning",
    ]);
  });
});

describe("what to check first", () => {
  it("errors 10x their threshold come before CPU at 93 %, both critical (issue 9)", () => {
    // 15 minutes after the deploy: every sample has 10 % errors (threshold 1 %) and 93 % CPU.
    const post = healthyPost(15, () => ({ errorRate: 0.1, cpuUsage: 0.93 }));
    const verdict = classicJudge.judge(input(post, { minutes: 15 }));
    expect(verdict.verdict).toBe("rollback_recommended");
    const ranked = verdict.hints.map((hint) => [hint.metric, hint.severity]);
    expect(ranked).toEqual([
      ["error_rate", "critical"],
      ["cpu_usage", "critical"],
    ]);
    // The same order whatever order they are stored in.
    expect(rankHints([...verdict.hints].reverse()).map((hint) => hint.metric)).toEqual([
      "error_rate",
      "cpu_usage",
    ]);
  });

  it("ranks by severity, then by how far past its line, then errors > traffic > latency > resources", () => {
    const hint = (metric: string, severity: string, observedValue: number, threshold: number) => ({
      metric,
      severity,
      confidence: 0.9,
      observedValue,
      threshold,
      evidence: null,
    });
    const ranked = rankHints([
      hint("memory_usage", "critical", 0.9, 0.72), // 1.25x
      hint("latency_p95", "critical", 337.5, 270), // 1.25x: a tie, latency before memory
      hint("error_rate", "warning", 0.09, 0.009), // 10x, but only a warning
      hint("requests_per_sec", "critical", 24, 96), // traffic fell to a quarter of its line: 4x
      hint("cpu_usage", "critical", 0.9, 0.72), // 1.25x
    ]);
    expect(ranked.map((item) => item.metric)).toEqual([
      "requests_per_sec",
      "latency_p95",
      "cpu_usage",
      "memory_usage",
      "error_rate",
    ]);
    expect(overshootOf(hint("requests_per_sec", "critical", 0, 96))).toBe(Number.POSITIVE_INFINITY);
  });
});
