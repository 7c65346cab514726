import { describe, expect, it } from "vitest";
import type { Sample } from "./api-types";
import { shapeMetricChart, yRange } from "./chart-data";

function sample(phase: "pre" | "post", sequence: number, at: string, values: Partial<Sample> = {}): Sample {
  return {
    phase,
    sequence,
    collectedAt: at,
    requestsPerSec: 120,
    latencyP95: 180,
    errorRate: 0.002,
    cpuUsage: 0.45,
    memoryUsage: 0.55,
    ...values,
  };
}

const pre = [sample("pre", 0, "2026-05-04T09:58:00Z")];
const post = [
  // Out of order on purpose: the chart sorts by time.
  sample("post", 1, "2026-05-04T10:01:00Z", { latencyP95: 320, requestsPerSec: 80 }),
  sample("post", 0, "2026-05-04T10:00:00Z", { latencyP95: 250 }),
  sample("post", 2, "2026-05-04T10:02:00Z", { latencyP95: 310, errorRate: 0.02 }),
];

describe("shapeMetricChart", () => {
  it("puts the baseline and the POST samples on one time axis, each in its own series", () => {
    const chart = shapeMetricChart("latency_p95", { pre, post });
    const t0 = Date.parse("2026-05-04T09:58:00Z") / 1000;
    expect(chart.x).toEqual([t0, t0 + 120, t0 + 180, t0 + 240]);
    expect(chart.baseline).toEqual([180, null, null, null]);
    expect(chart.post).toEqual([null, 250, 320, 310]);
  });

  it("draws the industrial threshold and counts the POST samples above it", () => {
    const chart = shapeMetricChart("latency_p95", { pre, post });
    expect(chart.thresholdValue).toBe(300);
    expect(chart.threshold).toEqual([300, 300, 300, 300]);
    expect(chart.badWhen).toBe("above");
    expect(chart.postBeyond).toBe(2);
    expect(chart.postPeak).toBe(320);
    expect(chart.postMean).toBeCloseTo(293.33, 2);
    expect(shapeMetricChart("error_rate", { pre, post }).thresholdValue).toBe(0.01);
    expect(shapeMetricChart("cpu_usage", { pre, post }).thresholdValue).toBe(0.8);
    expect(shapeMetricChart("memory_usage", { pre, post }).postBeyond).toBe(0);
  });

  it("compares traffic with its baseline mean, bad below it", () => {
    const chart = shapeMetricChart("requests_per_sec", {
      pre: [...pre, sample("pre", 1, "2026-05-04T09:59:00Z", { requestsPerSec: 100 })],
      post,
    });
    expect(chart.thresholdValue).toBe(110);
    expect(chart.badWhen).toBe("below");
    expect(chart.postBeyond).toBe(1);
    expect(chart.postPeak).toBe(80);
  });

  it("has no traffic line without a baseline, and copes with no samples at all", () => {
    const noBaseline = shapeMetricChart("requests_per_sec", { pre: [], post });
    expect(noBaseline.thresholdValue).toBeNull();
    expect(noBaseline.threshold).toEqual([]);
    const empty = shapeMetricChart("latency_p95", { pre: [], post: [] });
    expect(empty.x).toEqual([]);
    expect(empty.postPeak).toBeNull();
    expect(empty.postCount).toBe(0);
  });
});

describe("yRange", () => {
  it("always shows the threshold, from zero", () => {
    const [min, max] = yRange(shapeMetricChart("latency_p95", { pre, post: [] }));
    expect(min).toBe(0);
    expect(max).toBeGreaterThan(300);
  });

  it("caps ratios at 100 %", () => {
    const chart = shapeMetricChart("cpu_usage", {
      pre,
      post: [sample("post", 0, "2026-05-04T10:00:00Z", { cpuUsage: 0.99 })],
    });
    expect(yRange(chart)).toEqual([0, 1]);
  });
});
