import { describe, expect, it } from "vitest";
import { layoutDayBars, niceMax } from "./day-bars";

const day = (
  date: string,
  counts: Partial<Record<"ok" | "warning" | "rollback_recommended" | "pending", number>>,
) => {
  const full = { ok: 0, warning: 0, rollback_recommended: 0, pending: 0, ...counts };
  return { day: date, ...full, total: full.ok + full.warning + full.rollback_recommended + full.pending };
};

describe("niceMax", () => {
  it("rounds the scale up to 1, 2 or 5 times a power of ten", () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(3)).toBe(5);
    expect(niceMax(7)).toBe(10);
    expect(niceMax(11)).toBe(20);
    expect(niceMax(120)).toBe(200);
  });
});

describe("layoutDayBars", () => {
  it("stacks verdicts bottom-up, in legend order, scaled to the nice maximum", () => {
    const { bars, max } = layoutDayBars(
      [day("2026-05-03", {}), day("2026-05-04", { ok: 2, warning: 1, rollback_recommended: 1, pending: 1 })],
      { width: 200, height: 100, gap: 10 },
    );
    expect(max).toBe(5);
    expect(bars).toHaveLength(2);
    expect(bars[0]!.segments).toEqual([]);
    expect(bars[1]!.x).toBe(105);
    expect(bars[1]!.width).toBe(90);
    expect(bars[1]!.segments.map((segment) => [segment.key, segment.y, segment.height])).toEqual([
      ["ok", 60, 40],
      ["warning", 40, 20],
      ["rollback_recommended", 20, 20],
      ["pending", 0, 20],
    ]);
  });

  it("draws nothing for an empty period", () => {
    expect(layoutDayBars([], { width: 100, height: 50 })).toEqual({ bars: [], max: 1 });
  });
});
