// Scenarios of issue 10, one per way the classic rules fail, written by hand: the robust judge
// says ok to healthy releases that look alarming, rolls back bad ones, warns (at least) on small
// real regressions, and never says ok when it could not see the window.
import { describe, expect, it } from "vitest";
import { at, HEALTHY, input, randomJudgeInput, sample, seededRandom } from "../fixtures";
import { rankHints } from "../hint-ranking";
import { hintContradictions } from "../hints";
import { judges } from "../judge";
import { renderLocalizedText } from "../messages";
import type { JudgeInput, MetricSample, Verdict, VerdictLevel } from "../types";
import { judgeEarly, judgeRobust, robustJudge } from "./robust";

type Values = Omit<MetricSample, "collectedAt">;

/** A deterministic +-5 % wobble, so no two minutes are equal. */
const WOBBLE = [0, 0.04, -0.03, 0.02, -0.05, 0.03, -0.02, 0.05, -0.04, 0.01];
const wobble = (index: number) => 1 + (WOBBLE[index % WOBBLE.length] ?? 0);

function wobbled(values: Values, index: number): Values {
  const factor = wobble(index);
  return {
    requestsPerSec: values.requestsPerSec * factor,
    latencyP95: values.latencyP95 * factor,
    errorRate: values.errorRate * factor,
    cpuUsage: Math.min(1, values.cpuUsage * factor),
    memoryUsage: Math.min(1, values.memoryUsage * (1 + (factor - 1) / 5)),
  };
}

/** `count` baseline samples a minute apart, ending two minutes before the finish. */
function baseline(count: number, values: Partial<Values> = {}, change?: (index: number) => Partial<Values>) {
  return Array.from({ length: count }, (_, index) =>
    sample(-120 - (count - 1 - index) * 60, {
      ...wobbled({ ...HEALTHY, ...values }, index + 3),
      ...change?.(index),
    }),
  );
}

/** `count` samples after the finish, one a minute, wobbled, each optionally changed. */
function observed(count: number, values: Partial<Values> = {}, change?: (index: number) => Partial<Values>) {
  return Array.from({ length: count }, (_, index) =>
    sample(index * 60, { ...wobbled({ ...HEALTHY, ...values }, index), ...change?.(index) }),
  );
}

function judge(post: MetricSample[], pre: MetricSample[], minutes = 15): Verdict {
  return judgeRobust(input(post, { pre, minutes }));
}

const RANK: Record<VerdictLevel, number> = { ok: 0, warning: 1, rollback_recommended: 2 };
const codes = (verdict: Verdict) => verdict.details.map((detail) => detail.code);

describe("robust judge: healthy releases that alarm the classic rules are ok", () => {
  it("a service whose normal error rate is 1.2-2 %", () => {
    const rates = [0.012, 0.018, 0.015, 0.02, 0.014];
    const pre = baseline(5, {}, (index) => ({ errorRate: rates[index] }));
    const verdict = judge(
      observed(15, {}, (index) => ({ errorRate: rates[index % 5] })),
      pre,
    );
    expect(verdict.verdict).toBe("ok");
    expect(
      judges.classic?.judge(input(observed(15, { errorRate: 0.016 }), { pre, minutes: 15 })).verdict,
    ).toBe("rollback_recommended");
  });

  it("a one-minute blip of errors and latency in the middle of the window", () => {
    const post = observed(15, {}, (index) => (index === 7 ? { errorRate: 0.08, latencyP95: 900 } : {}));
    expect(judge(post, baseline(5)).verdict).toBe("ok");
  });

  it("cache warm-up in the first two minutes after a restart", () => {
    const warm = [
      { latencyP95: 900, errorRate: 0.03, cpuUsage: 0.9 },
      { latencyP95: 450, errorRate: 0.01 },
    ];
    const verdict = judge(
      observed(15, {}, (index) => warm[index] ?? {}),
      baseline(5),
    );
    expect(verdict.verdict).toBe("ok");
    expect(codes(verdict)).toContain("analysis.verdict.details.baseline.warmUpNotJudged");
  });

  it("a service that always runs at 350 ms p95, 80 % CPU and a JVM heap at 80 %", () => {
    const usual = { latencyP95: 350, cpuUsage: 0.8, memoryUsage: 0.8 };
    expect(judge(observed(15, usual), baseline(5, usual)).verdict).toBe("ok");
  });

  it("a campaign ramp: traffic and CPU double, latency holds", () => {
    const post = observed(15, {}, (index) => ({
      requestsPerSec: 120 * (1 + index / 10),
      cpuUsage: 0.45 * (1 + index / 12),
    }));
    expect(judge(post, baseline(5)).verdict).toBe("ok");
  });

  it("the daily curve: traffic easing off by a fifth over the window", () => {
    const post = observed(15, {}, (index) => ({ requestsPerSec: 120 * (1 - index / 70) }));
    expect(judge(post, baseline(5)).verdict).toBe("ok");
  });

  it("memory refilling after a restart toward its usual level is not a leak", () => {
    const post = observed(15, {}, (index) => ({ memoryUsage: Math.min(0.55, 0.3 + index * 0.025) }));
    expect(judge(post, baseline(5)).verdict).toBe("ok");
  });

  it("low traffic: one failed request at 0.5 req/s is not a regression", () => {
    const quiet = { requestsPerSec: 0.5, errorRate: 0 };
    const post = observed(15, quiet, (index) => (index === 6 ? { errorRate: 1 / 30 } : { errorRate: 0 }));
    const verdict = judge(
      post,
      baseline(5, quiet, () => ({ errorRate: 0 })),
    );
    expect(verdict.verdict).toBe("ok");
  });

  it("a single baseline sample with ordinary noise after the deploy", () => {
    const verdict = judge(observed(15), [sample(-120, HEALTHY)]);
    expect(verdict.verdict).toBe("ok");
    expect(codes(verdict)).toContain("analysis.verdict.details.baseline.singleBaselineSample");
  });
});

describe("robust judge: bad releases recommend a rollback", () => {
  it("a 40 ms service going to 200 ms", () => {
    const fast = { latencyP95: 40 };
    expect(judge(observed(15, { latencyP95: 200 }), baseline(5, fast)).verdict).toBe("rollback_recommended");
  });

  it("p95 doubling on a 180 ms service", () => {
    const verdict = judge(observed(15, { latencyP95: 380 }), baseline(5));
    expect(verdict.verdict).toBe("rollback_recommended");
    const latency = verdict.audit.find((entry) => entry.metric === "latency_p95");
    expect(latency).toMatchObject({ failed: true, critical: true });
    expect(verdict.hints[0]).toMatchObject({ metric: "latency_p95", severity: "critical" });
    expect(verdict.details[0]?.text).toMatch(
      /^p95 latency rose from \d+ ms before the deploy to \d+ ms after \(median of 13 minutes\), past this service's limit of \d+ ms; \d+(\.\d)?% sure it is the change, not noise$/,
    );
  });

  it("CPU pinned at saturation for minutes", () => {
    const verdict = judge(
      observed(15, {}, (index) => (index >= 3 ? { cpuUsage: 0.98 } : {})),
      baseline(5),
    );
    expect(verdict.verdict).toBe("rollback_recommended");
    expect(codes(verdict)).toContain("analysis.verdict.details.baseline.cpuSaturated");
  });

  it("a leak that will exhaust memory within the hour", () => {
    const post = observed(15, {}, (index) => ({ memoryUsage: 0.55 + index * 0.015 }));
    const verdict = judge(post, baseline(5));
    expect(verdict.verdict).toBe("rollback_recommended");
    const leak = verdict.details.find(
      (detail) => detail.code === "analysis.verdict.details.baseline.memoryLeak",
    );
    expect(leak?.params.slope).toBe(1.5);
    expect(Number(leak?.params.minutes)).toBeLessThanOrEqual(60);
  });

  it("errors from 0.2 % to 3 % at 120 req/s", () => {
    expect(judge(observed(15, { errorRate: 0.03 }), baseline(5)).verdict).toBe("rollback_recommended");
  });

  it("a sustained traffic drop to a third", () => {
    expect(judge(observed(15, { requestsPerSec: 40 }), baseline(5)).verdict).toBe("rollback_recommended");
  });

  it("a dead endpoint after finish: samples with no traffic", () => {
    const verdict = judge(observed(15, { requestsPerSec: 0, errorRate: 0 }), baseline(5));
    expect(verdict.verdict).toBe("rollback_recommended");
  });

  it("a baseline contaminated by a rolling deploy (two of five samples already slow)", () => {
    const pre = baseline(5, {}, (index) => (index >= 3 ? { latencyP95: 400 } : {}));
    expect(judge(observed(15, { latencyP95: 400 }), pre).verdict).toBe("rollback_recommended");
  });
});

describe("robust judge: explanations and hints", () => {
  it("states one finding per metric, with its numbers, in each locale", () => {
    const verdict = judge(observed(15, { latencyP95: 400 }), baseline(5));
    const findings = verdict.details.filter((detail) =>
      /baseline\.\w+\.(within|regressed)$/.test(detail.code),
    );
    expect(findings.map((detail) => detail.code.split(".")[4])).toEqual([
      "latencyP95",
      "errorRate",
      "cpuUsage",
      "memoryUsage",
      "requestsPerSec",
    ]);
    const latency = findings[0] as Verdict["details"][number];
    expect(renderLocalizedText(latency, "fr")).toMatch(
      /^La latence p95 est passée de \d+ ms avant le déploiement à \d+ ms après \(médiane sur 13 minutes\)/,
    );
    expect(renderLocalizedText(latency, "de")).toMatch(/^Die p95-Latenz stieg von \d+ ms vor dem Deployment/);
  });

  it("ranks hints worst first and never contradicts the verdict", () => {
    const verdict = judge(observed(15, { errorRate: 0.04, latencyP95: 420, cpuUsage: 0.7 }), baseline(5));
    expect(verdict.verdict).toBe("rollback_recommended");
    expect(verdict.hints).toEqual(rankHints(verdict.hints));
    expect(verdict.hints[0]).toMatchObject({ metric: "error_rate", severity: "critical" });
    expect(hintContradictions(verdict.verdict, verdict.hints)).toEqual([]);
  });
});

describe("robust judge: small real regressions are not ok", () => {
  it.each([
    ["p95 +25 %", { latencyP95: 225 }],
    ["errors +0.5 points", { errorRate: 0.007 }],
  ])("%s", (_name, values) => {
    expect(judge(observed(15, values), baseline(5)).verdict).not.toBe("ok");
  });

  it("slow memory creep", () => {
    const post = observed(15, {}, (index) => ({ memoryUsage: 0.55 + index * 0.005 }));
    expect(judge(post, baseline(5)).verdict).toBe("warning");
  });
});

describe("robust judge: what cannot be confirmed is a warning with its reason", () => {
  it("an endpoint dark for most of the window", () => {
    const verdict = judge(observed(5), baseline(5), 15);
    expect(verdict.verdict).toBe("warning");
    expect(codes(verdict)).toContain("analysis.verdict.details.baseline.windowMostlyDark");
    expect(verdict.details.find((detail) => detail.code.endsWith("windowMostlyDark"))?.text).toBe(
      "Only 5 of 15 minutes after the deploy were sampled: too few to confirm the deployment is healthy",
    );
  });

  it("no baseline, or nothing after the deploy", () => {
    expect(judge(observed(15), []).verdict).toBe("warning");
    expect(judge([], baseline(5)).summary.code).toBe("analysis.verdict.summary.insufficientMetrics");
  });

  it("is the default, registered beside classic, each the other's shadow", async () => {
    const { DEFAULT_JUDGE_NAME, resolveJudge, shadowJudgeOf } = await import("../judge");
    expect(DEFAULT_JUDGE_NAME).toBe("robust");
    expect(resolveJudge("robust")).toBe(robustJudge);
    expect(resolveJudge(null)).toBe(robustJudge);
    expect(shadowJudgeOf(robustJudge).name).toBe("classic");
    expect(shadowJudgeOf(resolveJudge("classic"))).toBe(robustJudge);
    expect(robustJudge.version).toBe(2);
  });

  it("draws the warning lines of the baseline on charts", () => {
    const lines = robustJudge.comparisonLines({
      latency_p95: 180,
      error_rate: 0.002,
      cpu_usage: 0.45,
      memory_usage: 0.55,
      requests_per_sec: 120,
    });
    // 180 ms + 3 standard errors of a median shift: one baseline reading with 1.5 times the noise
    // floor (4 % + 1 ms), ten judged minutes with the floor itself.
    const floor = 0.04 * 180 + 1;
    expect(lines.latency_p95).toBeCloseTo(
      180 + 3 * 1.2533 * Math.sqrt((1.5 * floor) ** 2 + floor ** 2 / 10),
      5,
    );
    // Traffic: the larger of a fifth and the noise margin below 120 req/s.
    const trafficFloor = 0.04 * 120 + Math.sqrt(2);
    const drop = (3 * 1.2533 * Math.sqrt((1.5 * trafficFloor) ** 2 + trafficFloor ** 2 / 10)) / 120;
    expect(lines.requests_per_sec).toBeCloseTo(120 * (1 - Math.max(0.2, drop)), 5);
    expect(robustJudge.comparisonLines(null).latency_p95).toBeNull();
  });
});

describe("robust judge v2: the continuous baseline, the rollout under way, the project's settings", () => {
  /** Samples of the continuous baseline every ten minutes over the hour before `trigger` (seconds). */
  const hourBefore = (trigger: number, values: Partial<Values> = {}) =>
    Array.from({ length: 6 }, (_, index) =>
      sample(trigger - 3600 + index * 600, wobbled({ ...HEALTHY, ...values }, index + 5)),
    );

  it("a quiet reading at the trigger is not the usual level when the hour before says otherwise", () => {
    const trigger = [sample(-120, { ...HEALTHY, latencyP95: 130 })];
    const post = observed(15);
    expect(judge(post, trigger).verdict).not.toBe("ok");
    const withHistory = judgeRobust({
      ...input(post, { pre: trigger, minutes: 15 }),
      triggeredAt: at(-120),
      history: hourBefore(-120),
    });
    expect(withHistory.verdict).toBe("ok");
    expect(codes(withHistory)).toContain("analysis.verdict.details.baseline.historyUsed");
    expect(codes(withHistory)).not.toContain("analysis.verdict.details.baseline.singleBaselineSample");
  });

  it("errors are measured against the same hour on other days too: a quiet hour is not the usual rate", () => {
    const trigger = -120;
    const usual = { errorRate: 0.018 };
    const dayEarlier = hourBefore(trigger - 86_400, usual);
    const weekEarlier = hourBefore(trigger - 7 * 86_400, usual);
    const post = observed(15, usual);
    const base = {
      ...input(post, { pre: [sample(trigger, { ...HEALTHY, errorRate: 0.011 })], minutes: 15 }),
    };
    const quietHour = hourBefore(trigger, { errorRate: 0.011 });
    expect(judgeRobust({ ...base, triggeredAt: at(trigger), history: quietHour }).verdict).not.toBe("ok");
    const verdict = judgeRobust({
      ...base,
      triggeredAt: at(trigger),
      history: [...weekEarlier, ...dayEarlier, ...quietHour],
    });
    expect(verdict.verdict).toBe("ok");
  });

  it("PRE samples after the trigger that already moved toward the regression leave the baseline", () => {
    // Trigger ten minutes before the finish, a rolling deploy slowing more instances each minute.
    const pre = Array.from({ length: 10 }, (_, index) =>
      sample(-600 + index * 60, wobbled({ ...HEALTHY, latencyP95: 180 + index * 25 }, index)),
    );
    const post = observed(15, { latencyP95: 420 });
    const untimed = judgeRobust(input(post, { pre, minutes: 15 }));
    expect(untimed.verdict).not.toBe("rollback_recommended");
    const verdict = judgeRobust({ ...input(post, { pre, minutes: 15 }), triggeredAt: at(-600) });
    expect(verdict.verdict).toBe("rollback_recommended");
    const setAside = verdict.details.find((detail) => detail.code.endsWith("baseline.preSetAside"));
    expect(setAside?.params).toMatchObject({ total: 9 });
    expect(Number(setAside?.params.count)).toBeGreaterThanOrEqual(7);
    expect(verdict.details[0]?.params.before).toBe(180);
  });

  it("a quiet trigger minute on a quiet, bursty service does not make the usual minutes after it look contaminated", () => {
    const usual = { requestsPerSec: 7, errorRate: 0.015 };
    // Two failures in 420 requests at the trigger: nothing unusual for a 1.5 % service.
    const pre = [sample(-480, { ...HEALTHY, ...usual, errorRate: 0.0048 }), ...baseline(7, usual)];
    const verdict = judgeRobust({
      ...input(observed(30, usual), { pre, minutes: 30 }),
      triggeredAt: at(-480),
    });
    expect(verdict.verdict).toBe("ok");
    expect(codes(verdict)).not.toContain("analysis.verdict.details.baseline.preSetAside");
  });

  it("PRE samples after the trigger that did not move stay in the baseline", () => {
    const pre = baseline(8);
    const verdict = judgeRobust({
      ...input(observed(15), { pre, minutes: 15 }),
      triggeredAt: pre[0]?.collectedAt,
    });
    expect(verdict.verdict).toBe("ok");
    expect(codes(verdict)).not.toContain("analysis.verdict.details.baseline.preSetAside");
  });

  it("sensitivity scales the margins: low needs more evidence, high less", () => {
    const verdictAt = (sensitivity: "low" | "medium" | "high", latencyP95: number) =>
      judgeRobust({
        ...input(observed(15, { latencyP95 }), { pre: baseline(10), minutes: 15 }),
        settings: { sensitivity },
      }).verdict;
    for (const latency of [180, 195, 205, 215, 230, 260, 290, 320, 400]) {
      expect(RANK[verdictAt("low", latency)]).toBeLessThanOrEqual(RANK[verdictAt("medium", latency)]);
      expect(RANK[verdictAt("medium", latency)]).toBeLessThanOrEqual(RANK[verdictAt("high", latency)]);
    }
    expect([verdictAt("low", 205), verdictAt("medium", 205), verdictAt("high", 205)]).toEqual([
      "ok",
      "warning",
      "warning",
    ]);
    expect([verdictAt("low", 290), verdictAt("medium", 290), verdictAt("high", 290)]).toEqual([
      "warning",
      "rollback_recommended",
      "rollback_recommended",
    ]);
    for (const sensitivity of ["low", "medium", "high"] as const)
      expect(verdictAt(sensitivity, 180)).toBe("ok");
  });

  it("a metric the project ignores is reported, never judged", () => {
    const post = observed(15, {}, (index) => (index >= 3 ? { cpuUsage: 0.98 } : {}));
    const settings = { ignoredMetrics: ["cpu_usage" as const] };
    const verdict = judgeRobust({ ...input(post, { pre: baseline(5), minutes: 15 }), settings });
    expect(verdict.verdict).toBe("ok");
    const line = verdict.details.find((detail) => detail.code.endsWith("cpuUsage.notJudged"));
    expect(line?.text).toMatch(
      /^CPU: \d+(\.\d+)?% before the deploy, \d+(\.\d+)?% after \(median of 13 minutes\); not judged/,
    );
    expect(renderLocalizedText(line as Verdict["details"][number], "fr")).toMatch(/non jugé/);
    expect(verdict.audit.find((entry) => entry.metric === "cpu_usage")?.failed).toBe(false);
    expect(verdict.hints.filter((hint) => hint.metric === "cpu_usage")).toEqual([]);
    expect(judge(post, baseline(5)).verdict).toBe("rollback_recommended");
  });

  it("a dark window is a warning for lack of data, whatever the few samples showed", () => {
    for (const post of [observed(4), observed(4, { errorRate: 0.3 }), []]) {
      const verdict = judge(post, baseline(5), 15);
      expect(verdict.verdict).toBe("warning");
      expect(verdict.summary.code).toBe("analysis.verdict.summary.insufficientMetrics");
      expect(hintContradictions(verdict.verdict, verdict.hints)).toEqual([]);
    }
  });
});

describe("judgeEarly: a rollback before the window ends, only when beyond doubt", () => {
  const partial = (post: MetricSample[]): JudgeInput => input(post, { pre: baseline(5), minutes: 15 });

  it("errors five times their baseline and a point above it, over enough requests", () => {
    expect(judgeEarly(partial(observed(4, { errorRate: 0.2 })))?.verdict).toBe("rollback_recommended");
    // Ten times 0.2 % (the issue's blatant regression) is enough; four times is not, nor is five
    // times when it stays under a point: the window decides those.
    expect(judgeEarly(partial(observed(4, { errorRate: 0.02 })))?.verdict).toBe("rollback_recommended");
    expect(judgeEarly(partial(observed(6, { errorRate: 0.008 })))).toBeNull();
    expect(judge(observed(15, { errorRate: 0.016 }), baseline(5)).verdict).toBe("rollback_recommended");
    // One bad minute among the first ones is a blip, not a verdict.
    expect(
      judgeEarly(partial(observed(5, {}, (index) => (index === 2 ? { errorRate: 0.4 } : {})))),
    ).toBeNull();
  });

  it("p95 2.5 times its baseline for three minutes in a row, not two", () => {
    expect(judgeEarly(partial(observed(4, { latencyP95: 700 })))?.verdict).toBe("rollback_recommended");
    expect(judgeEarly(partial(observed(3, { latencyP95: 700 })))).toBeNull();
    // Twice the baseline waits for the window, which then rolls back.
    expect(judgeEarly(partial(observed(8, { latencyP95: 360 })))).toBeNull();
  });

  it("traffic under 60 % of its baseline for three minutes in a row", () => {
    expect(judgeEarly(partial(observed(4, { requestsPerSec: 30 })))?.verdict).toBe("rollback_recommended");
  });

  it("says nothing about a healthy or mildly worse start", () => {
    expect(judgeEarly(partial(observed(6)))).toBeNull();
    expect(judgeEarly(partial(observed(6, { latencyP95: 270, errorRate: 0.006 })))).toBeNull();
  });
});

describe("robust judge over random inputs", () => {
  const random = seededRandom(20261205);
  const inputs = Array.from({ length: 1500 }, () => randomJudgeInput(random));

  it("never says ok with less than half of the window sampled", () => {
    const thinned = inputs.map((judgeInput) => ({
      ...judgeInput,
      post: judgeInput.post.slice(0, Math.ceil(judgeInput.observationWindowMinutes / 2) - 1),
    }));
    const oks = thinned.filter((judgeInput) => judgeRobust(judgeInput).verdict === "ok");
    expect(oks).toEqual([]);
  });

  it("never improves its verdict when errors get worse", () => {
    const improved = inputs.filter((judgeInput) => {
      const worse = {
        ...judgeInput,
        post: judgeInput.post.map((item) => ({ ...item, errorRate: Math.min(1, item.errorRate * 3 + 0.01) })),
      };
      return RANK[judgeRobust(worse).verdict] < RANK[judgeRobust(judgeInput).verdict];
    });
    expect(improved).toEqual([]);
  });

  it("early verdicts are rollbacks whose hints agree", () => {
    const early = inputs
      .map((judgeInput) => judgeEarly({ ...judgeInput, post: judgeInput.post.slice(0, 5) }))
      .filter((verdict): verdict is Verdict => verdict !== null);
    expect(early.length).toBeGreaterThan(0);
    expect(early.every((verdict) => verdict.verdict === "rollback_recommended")).toBe(true);
    expect(early.flatMap((verdict) => hintContradictions(verdict.verdict, verdict.hints))).toEqual([]);
  });
});
