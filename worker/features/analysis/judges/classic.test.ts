import { describe, expect, it } from "vitest";
import { at, digest, HEALTHY, healthyPost, input, sample, WORKED_POST, WORKED_PRE } from "../fixtures";
import { hintContradictions } from "../hints";
import { resolveJudge } from "../judge";
import type { Verdict } from "../types";
import { judgeClassic } from "./classic";

/** The decisions the verdict lines state (their wording is tested in messages.test.ts). */
const texts = (verdict: Verdict) => verdict.details.map(digest);

describe("classic judge: the worked example of §10.7", () => {
  const result = judgeClassic(input(WORKED_POST));

  it("recommends a rollback with confidence 0.85", () => {
    expect(result.verdict).toBe("rollback_recommended");
    expect(result.confidence).toBe(0.85);
    expect(result.summary).toEqual({
      code: "analysis.verdict.summary.criticalThresholdViolations",
      params: {},
      text: "Critical threshold violations detected",
    });
  });

  it("lists the failed metrics in order, then the data quality", () => {
    expect(texts(result)).toEqual([
      "latency_p95 unstable in 40% of samples (limit 20%)",
      "error_rate unstable in 40% of samples (limit 5%)",
      "cpu_usage unstable in 40% of samples (limit 20%)",
      "requests_per_sec unstable in 40% of samples (limit 20%)",
      "data_quality_score 1.00",
    ]);
    expect(result.details[1]).toEqual({
      code: "analysis.verdict.details.metricUnstable.errorRate",
      params: { ratio: 40, limit: 5, line: 0.9, count: 2, total: 5, before: 0.2, after: 0.78, drop: 20 },
      text: "Errors were above 0.9% of requests in 2 of 5 minutes after the deploy (40%; more than 5% fails); before: 0.2%, after: 0.78% on average",
    });
    expect(result.dataQuality).toEqual({ score: 1, issues: [] });
  });

  it("audits each metric against its secured threshold", () => {
    const byMetric = Object.fromEntries(result.audit.map((entry) => [entry.metric, entry]));
    expect(Object.keys(byMetric)).toEqual([
      "latency_p95",
      "error_rate",
      "cpu_usage",
      "memory_usage",
      "requests_per_sec",
    ]);
    expect(byMetric.latency_p95?.securedThreshold).toBeCloseTo(270, 9);
    expect(byMetric.error_rate?.securedThreshold).toBeCloseTo(0.009, 12);
    expect(byMetric.cpu_usage?.securedThreshold).toBeCloseTo(0.72, 12);
    expect(byMetric.requests_per_sec?.securedThreshold).toBe(96);
    expect(byMetric.memory_usage).toMatchObject({ exceedRatio: 0, failed: false, critical: false });
    expect(byMetric.error_rate).toMatchObject({
      breachCount: 2,
      sampleCount: 5,
      exceedRatio: 0.4,
      critical: true,
    });
  });

  it("gives the three hints of the example", () => {
    expect(
      result.hints.map((hint) => [hint.metric, hint.severity, hint.title.text, hint.confidence, hint.rule]),
    ).toEqual([
      ["composite", "critical", "Errors and traffic both past their limits after the deploy", 0.95, "A1"],
      ["latency_p95", "critical", "p95 latency stayed above its threshold", 0.9, "A3"],
      ["cpu_usage", "critical", "CPU stayed above its threshold", 0.9, "A3"],
    ]);
    const [composite, latency, cpu] = result.hints;
    expect(composite?.observedValue).toBeNull();
    expect(composite?.threshold).toBeNull();
    expect(composite?.diagnosis.text).toBe(
      "Errors were above 0.9% of requests in 2 of 5 minutes after the deploy (average 0.78%), and traffic was under 96 req/s in 2 of 5 minutes (average 106.8 req/s).",
    );
    expect(composite?.suggestedActions.map((action) => action.text)).toEqual([
      "Open the charts below and find the minutes past the line",
      "Check recent release and infrastructure changes",
      "Run targeted rollback checks for impacted paths",
      "Roll back if errors or traffic stay past their limit",
    ]);
    expect(composite?.evidence.signals.map((signal) => signal.metric)).toEqual([
      "error_rate",
      "requests_per_sec",
    ]);
    expect(composite?.evidence.signals[0]?.observedValue).toBeCloseTo(0.0078, 12);
    expect(composite?.evidence.signals[0]?.threshold).toBe(0.01);
    expect(composite?.evidence.signals[0]).toMatchObject({ exceedRatio: 0.4, tolerance: 0.05 });
    expect(composite?.evidence.signals[1]).toMatchObject({ threshold: 120, securedThreshold: 96 });
    expect(composite?.evidence.signals[1]?.observedValue).toBeCloseTo(106.8, 9);

    expect(latency?.observedValue).toBeCloseTo(270.0, 9);
    expect(latency?.threshold).toBeCloseTo(270, 9);
    expect(latency?.code).toBe("persistent_metric_breaches");
    expect(latency?.title.code).toBe("analysis.sdh.title.persistentMetricBreaches.latencyP95");
    expect(latency?.evidence).toMatchObject({ exceedRatio: 0.4, tolerance: 0.2, preMean: 180, deviation: 1 });
    expect(cpu?.observedValue).toBeCloseTo(0.674, 12);
    expect(cpu?.threshold).toBeCloseTo(0.72, 12);
    expect(cpu?.diagnosis.text).toBe(
      "CPU stayed above 72% in 2 of 5 minutes after the deploy; before: 45%, after: 67.4% on average.",
    );
  });

  it("stays selectable by name; robust is the default", () => {
    expect(resolveJudge("classic").judge(input(WORKED_POST))).toEqual(result);
    expect(resolveJudge(undefined).name).toBe("robust");
    expect(resolveJudge("retired-judge").name).toBe("robust");
  });
});

describe("classic judge: the variants of §10.7", () => {
  it("still recommends a rollback when only sample #3 has a bad error rate", () => {
    const result = judgeClassic(input(healthyPost(5, (i) => (i === 2 ? { errorRate: 0.015 } : {}))));
    expect(result.verdict).toBe("rollback_recommended");
    expect(result.confidence).toBe(0.85);
    expect(texts(result)).toEqual([
      "error_rate unstable in 20% of samples (limit 5%)",
      "data_quality_score 1.00",
    ]);
    // (0.20 - 0.05) / 0.05 = 3: critical, 0.70 + 0.20.
    expect(result.hints.map((hint) => [hint.rule, hint.metric, hint.severity, hint.confidence])).toEqual([
      ["A2", "error_rate", "critical", 0.9],
    ]);
    expect(result.hints[0]?.title.text).toBe("A critical metric stayed past its limit after the deploy");
    expect(result.hints[0]?.threshold).toBeCloseTo(0.009, 12);
  });

  it("cannot say ok when the last POST sample is missing", () => {
    const result = judgeClassic(input(healthyPost(4)));
    expect(result.verdict).toBe("warning");
    expect(result.confidence).toBe(0.53);
    expect(result.summary.text).toBe("Data quality insufficient to confirm deployment health");
    expect(result.summary.code).toBe("analysis.verdict.summary.dataQualityInsufficient");
    expect(result.dataQuality.score).toBe(0.92);
    expect(result.dataQuality.issues).toEqual([
      expect.objectContaining({
        kind: "min_post_samples",
        code: "analysis.dataQuality.issue.minPostSamples",
        params: { count: 4, required: 5 },
        text: "Only 4 of the 5 samples needed after the deploy were collected",
        blocksOk: true,
      }),
    ]);
    expect(texts(result)).toEqual([
      "ok_verdict_blocked_by_data_quality",
      "data_quality_score 0.92",
      "data_quality_issue min_post_samples 4/5",
    ]);
  });

  it("counts a missing middle sample as a gap too: quality 0.86", () => {
    const post = healthyPost(5).filter((_, index) => index !== 2);
    const result = judgeClassic(input(post));
    expect(result.dataQuality.score).toBe(0.86);
    expect(result.dataQuality.issues.map(digest)).toEqual(["min_post_samples 4/5", "sequence_gaps count=1"]);
    expect(result.verdict).toBe("warning");
    expect(result.confidence).toBe(0.51);
  });
});

describe("classic judge: decisions", () => {
  it("says ok with 0.90 for a healthy deployment, with no problem hint", () => {
    const result = judgeClassic(input(healthyPost(5)));
    expect(result.verdict).toBe("ok");
    expect(result.confidence).toBe(0.9);
    expect(result.summary.text).toBe("No significant issues detected");
    expect(texts(result)).toEqual(["data_quality_score 1.00"]);
    expect(result.hints.filter((hint) => hint.severity !== "info")).toEqual([]);
  });

  it("says ok when a single gap is the only issue (0.94 does not block)", () => {
    const post = healthyPost(6).filter((_, index) => index !== 2);
    const result = judgeClassic(input(post, { minutes: 6 }));
    expect(result.dataQuality.score).toBe(0.94);
    expect(result.verdict).toBe("ok");
    expect(result.confidence).toBe(0.87);
  });

  it("blocks ok with two gaps (0.88)", () => {
    const post = healthyPost(7).filter((_, index) => index !== 2 && index !== 4);
    const result = judgeClassic(input(post, { minutes: 7 }));
    expect(result.dataQuality.score).toBe(0.88);
    expect(result.verdict).toBe("warning");
    expect(result.summary.code).toBe("analysis.verdict.summary.dataQualityInsufficient");
  });

  it("names a single non-critical failure as such (§18 #5)", () => {
    const result = judgeClassic(input(healthyPost(5, (i) => (i < 2 ? { latencyP95: 400 } : {}))));
    expect(result.verdict).toBe("warning");
    expect(result.confidence).toBe(0.7);
    expect(result.summary).toEqual({
      code: "analysis.verdict.summary.nonCriticalThresholdViolation",
      params: {},
      text: "Non-critical threshold violation detected",
    });
    expect(texts(result)).toEqual([
      "latency_p95 unstable in 40% of samples (limit 20%)",
      "data_quality_score 1.00",
    ]);
    // Deviation 1.0 would make it critical; a warning verdict caps it, confidence 0.55 + 0.20.
    expect(result.hints.map((hint) => [hint.metric, hint.severity, hint.confidence])).toEqual([
      ["latency_p95", "warning", 0.75],
    ]);
  });

  it("reports several non-critical failures with 0.68", () => {
    const result = judgeClassic(
      input(healthyPost(5, (i) => (i < 2 ? { latencyP95: 400, cpuUsage: 0.9, memoryUsage: 0.9 } : {}))),
    );
    expect(result.verdict).toBe("warning");
    expect(result.confidence).toBe(0.68);
    expect(result.summary.text).toBe("Multiple non-critical regressions detected");
    expect(texts(result)).toEqual([
      "latency_p95 unstable in 40% of samples (limit 20%)",
      "cpu_usage unstable in 40% of samples (limit 20%)",
      "memory_usage unstable in 40% of samples (limit 10%)",
      "data_quality_score 1.00",
    ]);
    expect(result.hints.map((hint) => hint.metric)).toEqual(["latency_p95", "cpu_usage", "memory_usage"]);
    expect(result.hints.every((hint) => hint.severity === "warning")).toBe(true);
  });

  it("fails a metric only above its tolerance, and then gives it no hint (§18 #7)", () => {
    // One breach in five = 20 % = the latency tolerance; one traffic drop likewise.
    const result = judgeClassic(
      input(healthyPost(5, (i) => (i === 1 ? { latencyP95: 400, requestsPerSec: 10 } : {}))),
    );
    expect(result.verdict).toBe("ok");
    expect(result.audit.find((entry) => entry.metric === "latency_p95")?.exceedRatio).toBe(0.2);
    expect(result.hints).toEqual([]);
  });

  it("adds a latency-improved info hint, never over a breach", () => {
    const improved = judgeClassic(
      input(
        healthyPost(5, () => ({ latencyP95: 200 })),
        { pre: [sample(-120, { ...HEALTHY, latencyP95: 300 })] },
      ),
    );
    expect(improved.verdict).toBe("ok");
    expect(improved.hints.map((hint) => [hint.rule, hint.severity, hint.confidence, hint.threshold])).toEqual(
      [["A4", "info", 0.55, 300]],
    );
    expect(improved.hints[0]?.title.text).toBe("Latency improved after deployment");

    // POST mean 316 < 0.8 x 400, yet 3 of 5 samples breach 270 ms: the breach wins.
    const breached = judgeClassic(
      input(
        healthyPost(5, (i) => ({ latencyP95: i < 3 ? 400 : 180 })),
        {
          pre: [sample(-120, { ...HEALTHY, latencyP95: 400 })],
        },
      ),
    );
    expect(breached.hints.map((hint) => hint.rule)).toEqual(["A3"]);
  });
});

describe("classic judge: traffic rules", () => {
  const dropAll = () => ({ requestsPerSec: 0 });

  it("ignores traffic below 0.5 req/s before the deployment", () => {
    const result = judgeClassic(
      input(healthyPost(5, dropAll), { pre: [sample(-120, { ...HEALTHY, requestsPerSec: 0.49 })] }),
    );
    expect(result.verdict).toBe("ok");
    expect(result.audit.map((entry) => entry.metric)).not.toContain("requests_per_sec");
  });

  it("applies from 0.5 req/s: a lasting drop is critical", () => {
    const result = judgeClassic(
      input(healthyPost(5, dropAll), { pre: [sample(-120, { ...HEALTHY, requestsPerSec: 0.5 })] }),
    );
    expect(result.verdict).toBe("rollback_recommended");
    expect(texts(result)[0]).toBe("requests_per_sec unstable in 100% of samples (limit 20%)");
    expect(result.hints.map((hint) => [hint.rule, hint.metric, hint.severity])).toEqual([
      ["A2", "requests_per_sec", "critical"],
    ]);
    expect(result.hints[0]?.diagnosis.text).toBe(
      "Traffic was under 0.4 req/s in 5 of 5 minutes after the deploy; before: 0.5 req/s, after: 0 req/s on average.",
    );
  });
});

describe("classic judge: insufficient data", () => {
  it("without PRE: warning at 0.4 adjusted, hints from absolute thresholds", () => {
    const result = judgeClassic(input(healthyPost(5), { pre: [] }));
    expect(result.verdict).toBe("warning");
    expect(result.summary.text).toBe("Insufficient metrics to assess deployment health");
    expect(result.dataQuality.score).toBe(0.8);
    expect(result.confidence).toBe(0.36);
    expect(texts(result)).toEqual(["data_quality_score 0.80", "data_quality_issue missing_pre_samples"]);
    expect(result.audit).toEqual([]);
    expect(result.hints.map((hint) => [hint.rule, hint.severity])).toEqual([["B9", "info"]]);
  });

  it("without PRE, a degraded service gets hints but none critical", () => {
    const result = judgeClassic(
      input(
        healthyPost(5, () => ({ errorRate: 0.05, latencyP95: 450 })),
        { pre: [] },
      ),
    );
    expect(result.verdict).toBe("warning");
    expect(result.hints.map((hint) => [hint.rule, hint.metric, hint.severity])).toEqual([
      ["B1", "composite", "warning"],
      ["B9", "memory_usage", "info"],
    ]);
    expect(hintContradictions(result.verdict, result.hints)).toEqual([]);
  });

  it("without POST: quality 0.60, confidence 0.32, no hint", () => {
    const result = judgeClassic(input([]));
    expect(result.dataQuality.score).toBe(0.6);
    expect(result.confidence).toBe(0.32);
    expect(texts(result)).toEqual(["data_quality_score 0.60", "data_quality_issue min_post_samples 0/5"]);
    expect(result.hints).toEqual([]);
  });

  it("with neither: quality 0.40, confidence 0.28", () => {
    const result = judgeClassic(input([], { pre: [] }));
    expect(result.dataQuality.score).toBe(0.4);
    expect(result.confidence).toBe(0.28);
    expect(result.verdict).toBe("warning");
  });
});

describe("classic judge: timestamps", () => {
  it("flags stale POST metrics and blocks ok", () => {
    const result = judgeClassic(input(healthyPost(5), { analyzedAt: at(240 + 700) }));
    expect(result.dataQuality.issues.map(digest)).toEqual(["stale_post_metrics age_seconds=700"]);
    expect(result.dataQuality.score).toBe(0.75);
    expect(result.verdict).toBe("warning");
    expect(result.confidence).toBe(0.48);
    expect(texts(result)).toContain("data_quality_issue stale_post_metrics age_seconds=700");
  });

  it("tolerates 30 s of clock skew, then flags POST samples from the future", () => {
    expect(judgeClassic(input(healthyPost(5), { analyzedAt: at(240 - 30) })).verdict).toBe("ok");
    const result = judgeClassic(input(healthyPost(5), { analyzedAt: at(240 - 31) }));
    expect(result.dataQuality.issues.map((issue) => issue.code)).toEqual([
      "analysis.dataQuality.issue.postInFuture",
    ]);
    expect(result.dataQuality.score).toBe(0.8);
    expect(result.verdict).toBe("warning");
    expect(result.confidence).toBe(0.5);
  });

  it("flags POST samples older than the PRE baseline", () => {
    const result = judgeClassic(input(healthyPost(5), { pre: [sample(600, HEALTHY)] }));
    expect(result.dataQuality.issues.map(digest)).toEqual(["incoherent_timestamps post_before_pre"]);
    expect(result.verdict).toBe("warning");
  });

  it("treats an invalid date as a missing timestamp", () => {
    const post = healthyPost(5);
    post[4] = { ...HEALTHY, collectedAt: new Date(Number.NaN) };
    const result = judgeClassic(input(post));
    expect(result.dataQuality.issues.map((issue) => issue.kind)).toEqual(["missing_post_timestamps"]);
    expect(result.dataQuality.score).toBe(0.75);
    expect(result.verdict).toBe("warning");
  });
});

describe("classic judge: observation windows of 1 to 60 minutes", () => {
  it("15 minutes: one bad error sample is still critical, with the A5 safety net", () => {
    const post = healthyPost(15, (i) => (i === 7 ? { errorRate: 0.02 } : {}));
    const result = judgeClassic(input(post, { minutes: 15 }));
    expect(result.verdict).toBe("rollback_recommended");
    expect(texts(result)[0]).toBe("error_rate unstable in 7% of samples (limit 5%)");
    // 1/15 is one third past the tolerance: the A2 hint is a warning, so A5 adds the critical one,
    // which comes first (hints are ranked by severity).
    expect(result.hints.map((hint) => [hint.rule, hint.severity, hint.confidence])).toEqual([
      ["A5", "critical", 0.85],
      ["A2", "warning", 0.65],
    ]);
  });

  it("15 minutes: three latency breaches are exactly the 20 % tolerance", () => {
    const post = healthyPost(15, (i) => (i < 3 ? { latencyP95: 500 } : {}));
    const result = judgeClassic(input(post, { minutes: 15 }));
    expect(result.verdict).toBe("ok");
  });

  it("15 minutes: needs 5 POST samples for good quality, like the original", () => {
    expect(judgeClassic(input(healthyPost(5), { minutes: 15, analyzedAt: at(300) })).verdict).toBe("ok");
    const short = judgeClassic(input(healthyPost(4), { minutes: 15, analyzedAt: at(240) }));
    expect(digest(short.dataQuality.issues[0]!)).toBe("min_post_samples 4/5");
  });

  it("1 minute: a single healthy sample is enough for ok", () => {
    const result = judgeClassic(input(healthyPost(1), { minutes: 1 }));
    expect(result.verdict).toBe("ok");
    expect(result.confidence).toBe(0.9);
  });

  it("1 minute: no sample at all is min_post_samples 0/1", () => {
    const result = judgeClassic(input([], { minutes: 1 }));
    expect(digest(result.dataQuality.issues[0]!)).toBe("min_post_samples 0/1");
    expect(result.dataQuality.score).toBe(0.6);
  });

  it("3 minutes: two samples of three required", () => {
    const result = judgeClassic(input(healthyPost(2), { minutes: 3 }));
    // 0.4 x (3 - 2) / 3 = 0.1333
    expect(result.dataQuality.score).toBe(0.87);
    expect(digest(result.dataQuality.issues[0]!)).toBe("min_post_samples 2/3");
  });

  it("rounds percentages like the original (half to even): 1/8 is 12 %", () => {
    const post = healthyPost(8, (i) => (i === 0 ? { errorRate: 0.5 } : {}));
    const result = judgeClassic(input(post, { minutes: 8 }));
    expect(texts(result)[0]).toBe("error_rate unstable in 12% of samples (limit 5%)");
  });

  it("60 minutes works; 0, 61 and 2.5 are refused", () => {
    expect(judgeClassic(input(healthyPost(60), { minutes: 60 })).verdict).toBe("ok");
    for (const minutes of [0, 61, 2.5]) {
      expect(() => judgeClassic(input(healthyPost(5), { minutes }))).toThrow(RangeError);
    }
  });
});

it("leaves its input untouched", () => {
  const post = structuredClone(WORKED_POST);
  judgeClassic(input(post));
  expect(post).toEqual(WORKED_POST);
  expect(WORKED_PRE).toHaveLength(1);
});
