import { type MetricFamily, metricFamilies, type StoredSeries } from "../../lib/metric-series";

/** The content type of the Prometheus text exposition format this module writes. */
export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** A family read at scrape time (a gauge), with its samples. */
export interface ScrapedFamily {
  name: string;
  help: string;
  kind: "gauge";
  samples: { labels: [string, string][]; value: number }[];
}

/** HELP text: backslash and line feed escaped (format 0.0.4). */
export function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** A label value: backslash, double quote and line feed escaped (format 0.0.4). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

function sampleLine(name: string, labels: [string, string][], value: number): string {
  const rendered = labels.map(([label, text]) => `${label}="${escapeLabelValue(text)}"`).join(",");
  return `${name}${rendered ? `{${rendered}}` : ""} ${formatValue(value)}`;
}

function parseLabels(canonical: string): [string, string][] | null {
  try {
    const parsed: unknown = JSON.parse(canonical);
    if (!Array.isArray(parsed)) return null;
    const pairs = parsed.filter(
      (pair): pair is [string, string] =>
        Array.isArray(pair) &&
        pair.length === 2 &&
        typeof pair[0] === "string" &&
        typeof pair[1] === "string",
    );
    return pairs.length === parsed.length ? pairs : null;
  } catch {
    return null;
  }
}

function header(name: string, help: string, kind: string): string[] {
  return [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${kind}`];
}

/** A histogram's lines: per label set, every bucket (missing ones are 0) in order, sum, count. */
function histogramLines(name: string, family: MetricFamily, rows: Map<string, StoredSeries[]>): string[] {
  const bounds = [...(family.buckets ?? []).map(String), "+Inf"];
  const sets = new Map<
    string,
    { labels: [string, string][]; buckets: Map<string, number>; sum: number; count: number }
  >();
  const setOf = (labels: [string, string][]) => {
    const key = JSON.stringify(labels);
    let set = sets.get(key);
    if (!set) {
      set = { labels, buckets: new Map(), sum: 0, count: 0 };
      sets.set(key, set);
    }
    return set;
  };
  for (const row of rows.get(`${name}_bucket`) ?? []) {
    const labels = parseLabels(row.labels);
    const le = labels?.at(-1);
    if (!labels || !le || le[0] !== "le") continue;
    setOf(labels.slice(0, -1)).buckets.set(le[1], row.value);
  }
  for (const row of rows.get(`${name}_sum`) ?? []) {
    const labels = parseLabels(row.labels);
    if (labels) setOf(labels).sum = row.value;
  }
  for (const row of rows.get(`${name}_count`) ?? []) {
    const labels = parseLabels(row.labels);
    if (labels) setOf(labels).count = row.value;
  }
  const lines: string[] = [];
  for (const set of [...sets.values()].sort((a, b) =>
    JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)),
  )) {
    // Cumulative: a bound never reached holds what the bound below it holds (0 at the bottom).
    let running = 0;
    for (const bound of bounds) {
      running = Math.max(running, set.buckets.get(bound) ?? 0);
      if (bound === "+Inf") running = Math.max(running, set.count);
      lines.push(sampleLine(`${name}_bucket`, [...set.labels, ["le", bound]], running));
    }
    lines.push(sampleLine(`${name}_sum`, set.labels, set.sum));
    lines.push(sampleLine(`${name}_count`, set.labels, Math.max(set.count, running)));
  }
  return lines;
}

/**
 * The text exposition (format 0.0.4) of the stored series, in the order `metricFamilies` lists
 * them, then the families read at scrape time. Rows of families no longer defined are left out.
 */
export function renderExposition(stored: readonly StoredSeries[], scraped: readonly ScrapedFamily[]): string {
  const rows = new Map<string, StoredSeries[]>();
  for (const row of stored) {
    const list = rows.get(row.family);
    if (list) list.push(row);
    else rows.set(row.family, [row]);
  }
  const lines: string[] = [];
  for (const [name, family] of Object.entries(metricFamilies) as [string, MetricFamily][]) {
    lines.push(...header(name, family.help, family.kind));
    if (family.kind === "histogram") {
      lines.push(...histogramLines(name, family, rows));
      continue;
    }
    for (const row of rows.get(name) ?? []) {
      const labels = parseLabels(row.labels);
      if (labels) lines.push(sampleLine(name, labels, row.value));
    }
  }
  for (const family of scraped) {
    lines.push(...header(family.name, family.help, family.kind));
    for (const sample of family.samples) lines.push(sampleLine(family.name, sample.labels, sample.value));
  }
  return `${lines.join("\n")}\n`;
}
