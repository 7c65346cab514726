import { describe, expect, it } from "vitest";
import { AXIS_GAP, axisSizeFor, edgePaddingFor, TICK_SIZE, timeAxisLabels } from "./chart-axes";
import { createFormatters } from "./format";

// About 6 px a character at 11 px: close enough to a canvas for the arithmetic.
const measure = (text: string) => text.length * 6;

describe("chart axes", () => {
  const en = createFormatters("en", { timeZone: "UTC" });
  const de = createFormatters("de", { timeZone: "UTC" });

  it("makes a y axis as wide as its widest label, so that '1,000 ms' is not cut to ',000 ms'", () => {
    const labels = [0, 500, 1000, 1500].map((value) => en.metric("latency_p95", value, "req/s"));
    expect(labels.at(-1)).toBe("1,500 ms");
    const size = axisSizeFor(labels, measure);
    expect(size).toBeGreaterThanOrEqual(TICK_SIZE + AXIS_GAP + measure("1,500 ms"));
    // The fixed 64 px the charts had was too narrow for traffic in thousands.
    const traffic = axisSizeFor([de.metric("requests_per_sec", 12_345, "Anfr./s")], measure);
    expect(traffic).toBeGreaterThan(64);
  });

  it("keeps a narrow axis narrow, and copes with uPlot's first pass without labels", () => {
    expect(axisSizeFor(["0%", "5%"], measure)).toBeLessThan(40);
    expect(axisSizeFor(null, measure)).toBe(24);
    expect(axisSizeFor([null, "10"], measure)).toBe(Math.ceil(TICK_SIZE + AXIS_GAP + 12 + 2));
  });

  it("leaves room for half the last time label after the plot", () => {
    const label = en.time(Date.parse("2026-05-04T05:01:00Z"));
    expect(label).toBe("05:01:00 AM");
    expect(edgePaddingFor([label], measure)).toBeGreaterThanOrEqual(measure(label) / 2);
    expect(edgePaddingFor([], measure)).toBe(12);
  });

  it("writes times without seconds when every split is a whole minute", () => {
    const minute = Date.parse("2026-05-04T05:01:00Z") / 1000;
    expect(timeAxisLabels([minute, minute + 60], en)).toEqual(["05:01 AM", "05:02 AM"]);
    expect(timeAxisLabels([minute, minute + 30], de)).toEqual(["05:01:00", "05:01:30"]);
  });
});
