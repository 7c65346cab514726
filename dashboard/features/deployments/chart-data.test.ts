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
// As the API gives them for the classic judge: secured thresholds; traffic 20 % under its baseline.
const lines = {
  latency_p95: 270,
  error_rate: 0.009,
  cpu_usage: 0.72,
  memory_usage: 0.72,
  requests_per_sec: 96,
};
const post = [
  // Out of order on purpose: the chart sorts by time.
  sample("post", 1, "2026-05-04T10:01:00Z", { latencyP95: 320, requestsPerSec: 80 }),
  sample("post", 0, "2026-05-04T10:00:00Z", { latencyP95: 250 }),
  sample("post", 2, "2026-05-04T10:02:00Z", { latencyP95: 310, errorRate: 0.02 }),
];

describe("shapeMetricChart", () => {
  it("puts the baseline and the POST samples on one time axis, each in its own series", () => {
    const chart = shapeMetricChart("latency_p95", { pre, post, lines });
    const t0 = Date.parse("2026-05-04T09:58:00Z") / 1000;
    expect(chart.x).toEqual([t0, t0 + 120, t0 + 180, t0 + 240]);
    expect(chart.baseline).toEqual([180, null, null, null]);
    expect(chart.post).toEqual([null, 250, 320, 310]);
  });

  it("draws the line the verdict used and counts the POST samples beyond it", () => {
    const chart = shapeMetricChart("latency_p95", { pre, post, lines });
    expect(chart.thresholdValue).toBe(270);
    expect(chart.threshold).toEqual([270, 270, 270, 270]);
    expect(chart.badWhen).toBe("above");
    expect(chart.postBeyond).toBe(2);
    expect(chart.postPeak).toBe(320);
    expect(chart.postMean).toBeCloseTo(293.33, 2);
    expect(shapeMetricChart("error_rate", { pre, post, lines }).postBeyond).toBe(1);
    expect(shapeMetricChart("cpu_usage", { pre, post, lines }).thresholdValue).toBe(0.72);
    expect(shapeMetricChart("memory_usage", { pre, post, lines }).postBeyond).toBe(0);
  });

  it("compares traffic with its line, bad below it", () => {
    const chart = shapeMetricChart("requests_per_sec", { pre, post, lines });
    expect(chart.thresholdValue).toBe(96);
    expect(chart.badWhen).toBe("below");
    expect(chart.postBeyond).toBe(1);
    expect(chart.postPeak).toBe(80);
  });

  it("has no traffic line without a baseline, and copes with no samples at all", () => {
    const noBaseline = shapeMetricChart("requests_per_sec", {
      pre: [],
      post,
      lines: { ...lines, requests_per_sec: null },
    });
    expect(noBaseline.thresholdValue).toBeNull();
    expect(noBaseline.threshold).toEqual([]);
    const empty = shapeMetricChart("latency_p95", { pre: [], post: [], lines });
    expect(empty.x).toEqual([]);
    expect(empty.postPeak).toBeNull();
    expect(empty.postCount).toBe(0);
  });
});

describe("yRange", () => {
  it("always shows the threshold, from zero", () => {
    const [min, max] = yRange(shapeMetricChart("latency_p95", { pre, post: [], lines }));
    expect(min).toBe(0);
    expect(max).toBeGreaterThan(270);
  });

  it("caps ratios at 100 %", () => {
    const chart = shapeMetricChart("cpu_usage", {
      pre,
      post: [sample("post", 0, "2026-05-04T10:00:00Z", { cpuUsage: 0.99 })],
      lines,
    });
    expect(yRange(chart)).toEqual([0, 1]);
  });
});
