// One metric of a deployment over time: the baseline sample(s), the POST samples of the window
// and the threshold they are judged against. uPlot draws on a canvas, loaded after the page's
// first render; the same numbers are in words under the chart and in a table for screen
// readers and keyboards.
import "uplot/dist/uPlot.min.css";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type uPlot from "uplot";
import { AXIS_FONT, axisSizeFor, canvasTextMeasure, edgePaddingFor, timeAxisLabels } from "./chart-axes";
import { type MetricChartData, yRange } from "./chart-data";
import type { Formatters } from "./format";
import { cardClass } from "./page-states";

const CHART_HEIGHT = 176;

interface Palette {
  axis: string;
  grid: string;
  baseline: string;
  post: string;
  threshold: string;
}

const palettes: Record<"light" | "dark", Palette> = {
  light: { axis: "#475569", grid: "#e2e8f0", baseline: "#64748b", post: "#0369a1", threshold: "#dc2626" },
  dark: { axis: "#cbd5e1", grid: "#1e293b", baseline: "#94a3b8", post: "#38bdf8", threshold: "#f87171" },
};

function currentTheme(): "light" | "dark" {
  return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
}

/** Follows the theme attribute the layout's head script (and the settings page) set. */
function useTheme(): "light" | "dark" | null {
  const [theme, setTheme] = useState<"light" | "dark" | null>(null);
  useEffect(() => {
    setTheme(currentTheme());
    const observer = new MutationObserver(() => setTheme(currentTheme()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    return () => observer.disconnect();
  }, []);
  return theme;
}

export function MetricChart({ data, format }: { data: MetricChartData; format: Formatters }) {
  const { t } = useTranslation();
  const rps = t("charts.units.rps");
  const value = (v: number | null) => format.metric(data.metric, v, rps);
  const title = t(`charts.metric.${data.metric}`);
  const summary =
    data.postCount === 0
      ? t("charts.noPostSamples")
      : data.thresholdValue === null
        ? t("charts.summaryNoThreshold", { peak: value(data.postPeak), mean: value(data.postMean) })
        : t(data.badWhen === "above" ? "charts.summaryAbove" : "charts.summaryBelow", {
            beyond: data.postBeyond,
            count: data.postCount,
            threshold: value(data.thresholdValue),
            peak: value(data.postPeak),
            baseline: value(data.baselineMean),
          });
  const alarming = data.postBeyond > 0;

  return (
    <figure className={`${cardClass} min-w-0 p-4`} data-metric={data.metric}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <h3 className="font-semibold text-slate-900 dark:text-white">{title}</h3>
        <Legend hasThreshold={data.thresholdValue !== null} />
      </div>
      <ChartCanvas data={data} format={format} />
      <figcaption
        className={`mt-2 text-sm ${alarming ? "font-medium text-red-800 dark:text-red-300" : "text-slate-700 dark:text-slate-300"}`}
      >
        {summary}
      </figcaption>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer rounded-sm text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-sky-600 dark:text-slate-400 dark:hover:text-white">
          {t("charts.showData")}
        </summary>
        <table className="mt-2 w-full text-left tabular-nums">
          <caption className="sr-only">{title}</caption>
          <thead className="text-slate-600 text-xs dark:text-slate-400">
            <tr>
              <th scope="col" className="py-1 font-medium">
                {t("charts.time")}
              </th>
              <th scope="col" className="py-1 font-medium">
                {t("charts.phase")}
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                {t("charts.value")}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.x.map((seconds, index) => {
              const baseline = data.baseline[index];
              const isBaseline = baseline !== null && baseline !== undefined;
              return (
                <tr
                  key={`${seconds}-${isBaseline ? "pre" : "post"}`}
                  className="border-slate-100 border-t dark:border-slate-800"
                >
                  <td className="py-1">{format.timeWithZone(seconds * 1000)}</td>
                  <td className="py-1">{isBaseline ? t("charts.baseline") : t("charts.post")}</td>
                  <td className="py-1 text-right">
                    {value(isBaseline ? baseline : (data.post[index] ?? null))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function Legend({ hasThreshold }: { hasThreshold: boolean }) {
  const { t } = useTranslation();
  const item = "inline-flex items-center gap-1.5";
  return (
    <ul className="flex flex-wrap gap-x-3 text-slate-600 text-xs dark:text-slate-300">
      <li className={item}>
        <span aria-hidden="true" className="size-2.5 rounded-full bg-slate-500 dark:bg-slate-400" />
        {t("charts.baseline")}
      </li>
      <li className={item}>
        <span aria-hidden="true" className="h-0.5 w-4 bg-sky-700 dark:bg-sky-400" />
        {t("charts.post")}
      </li>
      {hasThreshold && (
        <li className={item}>
          <span
            aria-hidden="true"
            className="h-0 w-4 border-red-600 border-t-2 border-dashed dark:border-red-400"
          />
          {t("charts.threshold")}
        </li>
      )}
    </ul>
  );
}

function ChartCanvas({ data, format }: { data: MetricChartData; format: Formatters }) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement | null>(null);
  const theme = useTheme();
  const rps = t("charts.units.rps");

  useEffect(() => {
    const element = container.current;
    if (!element || theme === null || data.x.length === 0) return;
    let plot: uPlot | null = null;
    let observer: ResizeObserver | null = null;
    let cancelled = false;
    void import("uplot").then(({ default: UPlot }) => {
      if (cancelled) return;
      const palette = palettes[theme];
      const axis = {
        stroke: palette.axis,
        grid: { stroke: palette.grid, width: 1 },
        ticks: { stroke: palette.grid, width: 1 },
        font: AXIS_FONT,
      };
      const measure = canvasTextMeasure();
      const series: uPlot.Series[] = [
        {},
        {
          label: t("charts.baseline"),
          stroke: palette.baseline,
          width: 0,
          points: { show: true, size: 9, fill: palette.baseline, stroke: palette.baseline },
        },
        {
          label: t("charts.post"),
          stroke: palette.post,
          width: 2,
          points: { show: true, size: 6, fill: palette.post, stroke: palette.post },
        },
      ];
      const values: uPlot.AlignedData = [data.x, data.baseline, data.post];
      if (data.threshold.length > 0) {
        series.push({
          label: t("charts.threshold"),
          stroke: palette.threshold,
          width: 1.5,
          dash: [6, 4],
          points: { show: false },
        });
        values.push(data.threshold);
      }
      const [min, max] = yRange(data);
      const span = Math.max(...data.x) - Math.min(...data.x);
      plot = new UPlot(
        {
          width: element.clientWidth,
          height: CHART_HEIGHT,
          legend: { show: false },
          // The last time label is centred on the plot's right edge: room for its half.
          padding: [null, edgePaddingFor([format.time(Math.max(...data.x) * 1000)], measure), null, null],
          cursor: { show: false },
          scales: {
            x: {
              time: true,
              // A single sample still gets an axis: one minute either side.
              range: span === 0 ? (_u, lo, hi) => [lo - 60, hi + 60] : undefined,
            },
            y: { range: () => [min, max] },
          },
          axes: [
            {
              ...axis,
              // At least this many pixels between two times.
              space: 96,
              values: (_u, splits) => timeAxisLabels(splits, format),
            },
            {
              ...axis,
              size: (_u, labels) => axisSizeFor(labels, measure),
              values: (_u, splits) => splits.map((split) => format.metric(data.metric, split, rps)),
            },
          ],
          series,
        },
        values,
        element,
      );
      observer = new ResizeObserver(() => {
        plot?.setSize({ width: element.clientWidth, height: CHART_HEIGHT });
      });
      observer.observe(element);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [data, format, theme, rps, t]);

  return (
    <div className="mt-3 h-44" aria-hidden="true">
      {data.x.length === 0 ? (
        <p className="flex h-full items-center justify-center rounded-lg bg-slate-50 text-slate-600 text-sm dark:bg-slate-800/50 dark:text-slate-300">
          {t("charts.noSamples")}
        </p>
      ) : (
        <div ref={container} className="h-full w-full" />
      )}
    </div>
  );
}
