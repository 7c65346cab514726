import { useTranslation } from "react-i18next";
import type { DayCount } from "../deployments/api-types";
import type { Formatters } from "../deployments/format";
import { layoutDayBars, type StackKey, stackOrder } from "./day-bars";

const WIDTH = 700;
const HEIGHT = 160;

const fillClass: Record<StackKey, string> = {
  ok: "fill-emerald-500 dark:fill-emerald-400",
  warning: "fill-amber-400 dark:fill-amber-300",
  rollback_recommended: "fill-red-600 dark:fill-red-400",
  pending: "fill-slate-300 dark:fill-slate-600",
};

const swatchClass: Record<StackKey, string> = {
  ok: "bg-emerald-500 dark:bg-emerald-400",
  warning: "bg-amber-400 dark:bg-amber-300",
  rollback_recommended: "bg-red-600 dark:bg-red-400",
  pending: "bg-slate-300 dark:bg-slate-600",
};

/**
 * Under each bar, "Mon, May 4" when about 72 px are there for it, else the day of the month: a
 * truncated "M…" says nothing. Container queries need class names written out in full.
 */
function dayLabelWidths(days: number): { full: string; short: string } {
  if (days <= 7) return { full: "hidden @min-[32rem]:inline", short: "@min-[32rem]:hidden" };
  return { full: "hidden @min-[63rem]:inline", short: "@min-[63rem]:hidden" };
}

/** Plain SVG: a few rectangles need no chart library. The numbers are also in a table. */
export function DayBarsChart({ days, format }: { days: DayCount[]; format: Formatters }) {
  const { t } = useTranslation();
  const { bars, max } = layoutDayBars(days, { width: WIDTH, height: HEIGHT, gap: 12 });
  const labelWidths = dayLabelWidths(days.length);
  return (
    <figure>
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-slate-600 text-xs dark:text-slate-300">
        {stackOrder.map((key) => (
          <li key={key} className="inline-flex items-center gap-1.5">
            <span aria-hidden="true" className={`size-2.5 rounded-sm ${swatchClass[key]}`} />
            {t(`common.verdict.${key}`)}
          </li>
        ))}
      </ul>
      <div className="mt-3 flex gap-2">
        <div
          aria-hidden="true"
          className="flex h-40 flex-col justify-between text-right text-slate-500 text-xs tabular-nums dark:text-slate-400"
        >
          <span>{format.integer(max)}</span>
          <span>0</span>
        </div>
        <div className="min-w-0 flex-1">
          <svg
            aria-hidden="true"
            viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
            preserveAspectRatio="none"
            className="block h-40 w-full border-slate-200 border-b dark:border-slate-700"
          >
            <line
              x1="0"
              x2={WIDTH}
              y1={HEIGHT / 2}
              y2={HEIGHT / 2}
              className="stroke-slate-200 dark:stroke-slate-800"
              strokeDasharray="4 4"
              vectorEffect="non-scaling-stroke"
            />
            {bars.map((bar) =>
              bar.segments.map((segment) => (
                <rect
                  key={`${bar.day}-${segment.key}`}
                  x={bar.x}
                  width={bar.width}
                  y={segment.y}
                  height={segment.height}
                  className={fillClass[segment.key]}
                />
              )),
            )}
          </svg>
          <div className="@container mt-1 text-slate-600 text-xs dark:text-slate-300">
            <div className="flex text-center">
              {bars.map((bar) => (
                <span key={bar.day} aria-hidden="true" title={format.day(bar.day)} className="min-w-0 flex-1">
                  <span className={labelWidths.full}>{format.day(bar.day)}</span>
                  <span className={labelWidths.short}>{format.dayOfMonth(bar.day)}</span>
                </span>
              ))}
            </div>
          </div>
        </div>
      </div>
      <figcaption className="sr-only">{t("overview.chartCaption")}</figcaption>
      {/* A table is never narrower than its content, whatever its own width: the 1 px box that
          hides it from sight must be a wrapper, or its rows widen the page on a phone. */}
      <div className="sr-only">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("overview.day")}</th>
              {stackOrder.map((key) => (
                <th key={key} scope="col">
                  {t(`common.verdict.${key}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day.day}>
                <th scope="row">{format.day(day.day)}</th>
                {stackOrder.map((key) => (
                  <td key={key}>{day[key]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
