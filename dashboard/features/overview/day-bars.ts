// The overview's chart: deployments per day, one stacked bar per day, verdicts bottom to top in
// the order of the legend. Pure geometry in a 0..height box, so it is unit-tested.
import { type DayCount, verdictLevels } from "../deployments/api-types";

export const stackOrder = [...verdictLevels, "pending"] as const;
export type StackKey = (typeof stackOrder)[number];

export interface BarSegment {
  key: StackKey;
  count: number;
  y: number;
  height: number;
}

export interface DayBar {
  day: string;
  total: number;
  x: number;
  width: number;
  segments: BarSegment[];
}

/** A "nice" top for the scale: at least 1, rounded up to 1, 2, 5 x 10^n. */
export function niceMax(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

export function layoutDayBars(
  days: DayCount[],
  box: { width: number; height: number; gap?: number },
): { bars: DayBar[]; max: number } {
  const gap = box.gap ?? 8;
  const max = niceMax(Math.max(0, ...days.map((day) => day.total)));
  const slot = days.length === 0 ? 0 : box.width / days.length;
  const bars = days.map((day, index) => {
    let top = box.height;
    const segments: BarSegment[] = [];
    for (const key of stackOrder) {
      const count = day[key];
      if (count <= 0) continue;
      const height = (count / max) * box.height;
      top -= height;
      segments.push({ key, count, y: top, height });
    }
    return {
      day: day.day,
      total: day.total,
      x: index * slot + gap / 2,
      width: Math.max(0, slot - gap),
      segments,
    };
  });
  return { bars, max };
}
