// Numbers, dates and durations in the page's locale (Intl), in one place so that every page
// writes "12,5 %" in French and "12.5%" in English the same way. Pure: unit-tested in Node.
import type { Locale } from "../../i18n/locales";
import type { SampleMetric } from "./api-types";

export interface Formatters {
  locale: Locale;
  /** "May 4, 2026, 10:05 AM UTC": an absolute time says its zone (the browser's). */
  dateTime(iso: string | null | undefined): string;
  /** "10:05:30": chart axes (the zone is said once, beside the chart). */
  time(iso: string | number): string;
  /** "10:05:30 UTC": sample times in tables. */
  timeWithZone(iso: string | number): string;
  /** "10:05": chart axes. */
  clock(iso: string | number): string;
  /** A UTC day "2026-05-04" as "Mon, May 4": the stats' buckets are UTC days. */
  day(day: string): string;
  /** A UTC day "2026-05-04" as "4": under narrow bars. */
  dayOfMonth(day: string): string;
  /**
   * "5 minutes ago", "yesterday". Records are never in the future: a time up to a minute ahead
   * of this browser's clock (skew) is "now"; one further ahead (a clock far off, or sweeps
   * fast-forwarded locally) is written as the absolute time it carries, never "in 5 minutes".
   */
  relative(iso: string, now?: number): string;
  integer(value: number): string;
  /** A number with up to `digits` decimals. */
  decimal(value: number, digits?: number): string;
  /** A ratio in 0..1 as a percentage: 0.125 -> "12.5%". */
  percent(ratio: number, digits?: number): string;
  /** 200_000 ms -> "3 min 20 s"; under a second -> "0 s". */
  duration(ms: number | null | undefined): string;
  /** A metric's value with its unit: latency in ms, rates as %, traffic in req/s. */
  metric(metric: SampleMetric, value: number | null | undefined, rpsUnit: string): string;
}

/** How far ahead of this browser's clock a record may be and still be "now". */
export const MAX_CLOCK_SKEW_MS = 60_000;

export function createFormatters(locale: Locale, options: { timeZone?: string } = {}): Formatters {
  const { timeZone } = options;
  // dateStyle/timeStyle cannot be combined with timeZoneName: the same fields, spelled out.
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
    timeZone,
  });
  const timeFormat = new Intl.DateTimeFormat(locale, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZone,
  });
  const timeWithZoneFormat = new Intl.DateTimeFormat(locale, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZoneName: "short",
    timeZone,
  });
  const clockFormat = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone });
  const dayFormat = new Intl.DateTimeFormat(locale, {
    weekday: "short",
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });
  const relativeFormat = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const integerFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const decimalFormats = new Map<number, Intl.NumberFormat>();
  const percentFormats = new Map<number, Intl.NumberFormat>();
  const unit = (name: string) =>
    new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "short" });
  const hours = unit("hour");
  const minutes = unit("minute");
  const seconds = unit("second");
  const milliseconds = new Intl.NumberFormat(locale, {
    style: "unit",
    unit: "millisecond",
    unitDisplay: "short",
    maximumFractionDigits: 0,
  });
  const list = new Intl.ListFormat(locale, { type: "unit", style: "narrow" });

  const decimal = (value: number, digits = 1) => {
    let format = decimalFormats.get(digits);
    if (!format) {
      format = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
      decimalFormats.set(digits, format);
    }
    return format.format(value);
  };
  const percent = (ratio: number, digits = 1) => {
    let format = percentFormats.get(digits);
    if (!format) {
      format = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: digits });
      percentFormats.set(digits, format);
    }
    return format.format(ratio);
  };

  return {
    locale,
    dateTime: (iso) => (iso ? dateTimeFormat.format(new Date(iso)) : "—"),
    time: (value) => timeFormat.format(new Date(value)),
    timeWithZone: (value) => timeWithZoneFormat.format(new Date(value)),
    clock: (value) => clockFormat.format(new Date(value)),
    day: (day) => dayFormat.format(new Date(`${day}T00:00:00Z`)),
    dayOfMonth: (day) => integerFormat.format(Number(day.slice(8, 10))),
    relative: (iso, now = Date.now()) => {
      const ahead = new Date(iso).getTime() - now;
      if (ahead > MAX_CLOCK_SKEW_MS) return dateTimeFormat.format(new Date(iso));
      const seconds = Math.min(0, Math.round(ahead / 1000));
      const abs = Math.abs(seconds);
      if (abs < 60) return relativeFormat.format(seconds, "second");
      if (abs < 3600) return relativeFormat.format(Math.round(seconds / 60), "minute");
      if (abs < 86_400) return relativeFormat.format(Math.round(seconds / 3600), "hour");
      return relativeFormat.format(Math.round(seconds / 86_400), "day");
    },
    integer: (value) => integerFormat.format(value),
    decimal,
    percent,
    duration: (ms) => {
      if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
      const total = Math.max(0, Math.round(ms / 1000));
      const h = Math.floor(total / 3600);
      const m = Math.floor((total % 3600) / 60);
      const s = total % 60;
      const parts: string[] = [];
      if (h) parts.push(hours.format(h));
      if (m) parts.push(minutes.format(m));
      if (s || parts.length === 0) parts.push(seconds.format(s));
      return list.format(parts);
    },
    metric: (metric, value, rpsUnit) => {
      if (value === null || value === undefined || !Number.isFinite(value)) return "—";
      switch (metric) {
        case "latency_p95":
          return milliseconds.format(value);
        case "error_rate":
          return percent(value, 2);
        case "cpu_usage":
        case "memory_usage":
          return percent(value, 1);
        case "requests_per_sec":
          return `${decimal(value, 1)} ${rpsUnit}`;
      }
    },
  };
}
