import { describe, expect, it } from "vitest";
import type { Hint } from "./api-types";
import { sortHints } from "./hint-card";

/** A stored hint as GET /api/deployments/:id returns it. */
function storedHint(metric: Hint["metric"], observedValue: number, threshold: number): Hint {
  const text = { code: `analysis.sdh.title.${metric}`, params: {}, text: metric };
  return {
    deployment: { id: "d", number: 1, env: "prod" },
    project: { id: "p", name: "Shop" },
    metric,
    code: "persistent_metric_breaches",
    severity: "critical",
    confidence: 0.9,
    title: text,
    diagnosis: text,
    suggestedActions: [],
    observedValue,
    threshold,
    evidence: {
      securedThreshold: threshold,
      exceedRatio: 1,
      tolerance: 0.2,
      preMean: null,
      postMean: observedValue,
      signals: [],
    },
    createdAt: "2026-05-04T10:20:00.000Z",
  };
}

describe("check first (issue 9)", () => {
  it("points at errors 10x their threshold, not at CPU 93 %, when both are critical and as sure", () => {
    // The order the database returned them in: same severity, same confidence.
    const stored = [storedHint("cpu_usage", 0.93, 0.72), storedHint("error_rate", 0.1, 0.009)];
    expect(sortHints(stored).map((hint) => hint.metric)).toEqual(["error_rate", "cpu_usage"]);
  });

  it("still puts a critical finding before a warning that is further past its line", () => {
    const warning = { ...storedHint("error_rate", 0.1, 0.009), severity: "warning" as const };
    const critical = storedHint("cpu_usage", 0.8, 0.72);
    expect(sortHints([warning, critical]).map((hint) => hint.metric)).toEqual(["cpu_usage", "error_rate"]);
  });
});
