// Room for the axis labels of the uPlot charts. uPlot gives a y axis a fixed width and pads the
// plot's right edge by a fixed amount, so a label wider than that is cut at the canvas edge
// ("000 ms" for "1,000 ms", "06:51:00 A" for the last time). Here the room is measured from the
// labels themselves. Pure: `measure` is the canvas's text width, so Node tests pass their own.
import type { Formatters } from "./format";

export const AXIS_FONT = "11px system-ui, sans-serif";
/** uPlot's defaults for the tick length and the gap between ticks and labels. */
export const TICK_SIZE = 10;
export const AXIS_GAP = 5;

export type MeasureText = (text: string) => number;

function widest(labels: ReadonlyArray<string | null> | null | undefined, measure: MeasureText): number {
  let max = 0;
  for (const label of labels ?? []) if (label) max = Math.max(max, measure(label));
  return max;
}

/** The width a y axis needs beside the plot: its ticks, the gap, then its widest label. */
export function axisSizeFor(
  labels: ReadonlyArray<string | null> | null | undefined,
  measure: MeasureText,
  minimum = 24,
): number {
  return Math.max(minimum, Math.ceil(TICK_SIZE + AXIS_GAP + widest(labels, measure) + 2));
}

/** Room after the plot's last point so that a label centred on it is not cut in half. */
export function edgePaddingFor(
  labels: ReadonlyArray<string | null>,
  measure: MeasureText,
  minimum = 12,
): number {
  return Math.max(minimum, Math.ceil(widest(labels, measure) / 2) + 2);
}

/**
 * The time axis's labels: "10:05" when every split is a whole minute (samples are a minute
 * apart, so that is the usual case), with seconds only when a split falls between minutes.
 */
export function timeAxisLabels(
  splits: readonly number[],
  format: Pick<Formatters, "clock" | "time">,
): string[] {
  const wholeMinutes = splits.every((seconds) => seconds % 60 === 0);
  return splits.map((seconds) => (wholeMinutes ? format.clock(seconds * 1000) : format.time(seconds * 1000)));
}

/** A canvas-backed `MeasureText` in the axes' font (browser only). */
export function canvasTextMeasure(font = AXIS_FONT): MeasureText {
  const context = document.createElement("canvas").getContext("2d");
  if (!context) return (text) => text.length * 7;
  context.font = font;
  return (text) => context.measureText(text).width;
}
