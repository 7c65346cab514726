import { describe, expect, it } from "vitest";
import { percentile, TrafficWindow } from "./window";

describe("TrafficWindow", () => {
  it("counts the last 60 seconds only", () => {
    let now = 1_000_000_000_000;
    const window = new TrafficWindow(() => now);
    now += 120_000;
    for (let i = 0; i < 30; i++) window.record(100, false);
    now += 30_000;
    for (let i = 1; i <= 30; i++) window.record(i * 10, i > 27);
    // 60 latencies; the 57th smallest: 9 below 100, 31 at 100, then 110, 120, ... 270.
    expect(window.snapshot()).toEqual({ requestsPerSec: 1, errorRate: 3 / 60, latencyP95: 270 });
    now += 31_000;
    // The first 30 (at second 0 of the window) are gone.
    expect(window.snapshot()).toMatchObject({ requestsPerSec: 0.5, errorRate: 0.1, latencyP95: 290 });
    now += 60_000;
    expect(window.snapshot()).toEqual({ requestsPerSec: 0, errorRate: 0, latencyP95: 0 });
  });

  it("divides by the process's age while it is younger than the window", () => {
    let now = 1_000_000_000_000;
    const window = new TrafficWindow(() => now);
    now += 10_000;
    for (let i = 0; i < 50; i++) window.record(5, false);
    expect(window.snapshot().requestsPerSec).toBe(5);
  });

  it("keeps memory bounded under load and p95 close", () => {
    let now = 1_000_000_000_000;
    const window = new TrafficWindow(() => now);
    now += 60_000;
    // 20 000 requests in one second: 95% at 10 ms, 5% at 1000 ms (spread evenly).
    for (let i = 0; i < 20_000; i++) window.record(i % 20 === 0 ? 1000 : 10, false);
    const internal = (window as unknown as { buckets: Array<{ latencies: number[] }> }).buckets;
    expect(internal[0]?.latencies.length).toBe(1000);
    expect(window.snapshot().requestsPerSec).toBeCloseTo(20_000 / 60);
    expect([10, 1000]).toContain(window.snapshot().latencyP95);
  });
});

describe("percentile", () => {
  it("is the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => ({ value: i + 1, weight: 1 }));
    expect(percentile(values, 0.95)).toBe(95);
    expect(percentile([{ value: 7, weight: 1 }], 0.95)).toBe(7);
    expect(percentile([], 0.95)).toBe(0);
  });
});
