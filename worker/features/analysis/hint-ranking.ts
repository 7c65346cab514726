// What to check first. Hints are ranked by
//   1. severity: critical, then warning, then info;
//   2. how far past its line the finding is, as a ratio: the POST value over the line the verdict
//      used (error rate 0.10 against 0.009 is 11x; CPU 0.93 against 0.72 is 1.3x). Traffic is bad
//      when it falls, so its ratio is the line over the value. A composite counts its worst signal.
//      A failed metric whose POST mean is not past its line (a minority of bad minutes) counts as
//      at its line (1x), so the next rule decides between such findings;
//   3. on equal ratios, the metric: errors, then traffic, then latency, then resources (CPU,
//      memory); users feel errors and missing traffic first, slowness next, saturation last;
//   4. then the surer hint first.
// Pure and structural, so the dashboard sorts stored hints with the very same rule.

type Severity = "critical" | "warning" | "info";

interface RankableSignal {
  metric: string;
  observedValue: number | null;
  threshold: number | null;
  securedThreshold?: number | null;
}

export interface RankableHint {
  metric: string;
  severity: Severity | string;
  confidence: number;
  observedValue: number | null;
  threshold: number | null;
  /** Stored as JSON: read defensively, only its `signals` matter here. */
  evidence?: unknown;
}

const SEVERITY_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };
const METRIC_ORDER: Record<string, number> = {
  error_rate: 0,
  requests_per_sec: 1,
  latency_p95: 2,
  cpu_usage: 3,
  memory_usage: 4,
};
const LAST = 99;

/** Value over line (traffic: line over value); 0 when there is nothing to compare. */
export function lineRatio(metric: string, value: number | null, line: number | null): number {
  if (value === null || line === null || !Number.isFinite(value) || !Number.isFinite(line)) return 0;
  if (metric === "requests_per_sec") {
    if (line <= 0) return 0;
    return value <= 0 ? Number.POSITIVE_INFINITY : line / value;
  }
  if (line <= 0) return value > 0 ? Number.POSITIVE_INFINITY : 0;
  return value / line;
}

function signalsOf(hint: RankableHint): readonly RankableSignal[] {
  const evidence = hint.evidence as { signals?: unknown } | null | undefined;
  return Array.isArray(evidence?.signals) ? (evidence.signals as RankableSignal[]) : [];
}

/** At least 1 when there is something to compare: a finding is at its line or past it. */
function findingRatio(metric: string, value: number | null, line: number | null): number {
  const ratio = lineRatio(metric, value, line);
  return ratio > 0 ? Math.max(1, ratio) : 0;
}

/** How far past its line the hint's finding is; a composite counts its worst signal. */
export function overshootOf(hint: RankableHint): number {
  if (hint.metric !== "composite") return findingRatio(hint.metric, hint.observedValue, hint.threshold);
  let worst = 0;
  for (const signal of signalsOf(hint)) {
    const line = signal.securedThreshold ?? signal.threshold;
    worst = Math.max(worst, findingRatio(signal.metric, signal.observedValue, line));
  }
  return worst;
}

function metricOrderOf(hint: RankableHint): number {
  if (hint.metric !== "composite") return METRIC_ORDER[hint.metric] ?? LAST;
  return Math.min(LAST, ...signalsOf(hint).map((signal) => METRIC_ORDER[signal.metric] ?? LAST));
}

/** Ratios within 1 % of each other are a tie: the metric order decides. */
function sameRatio(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= 0.01 * Math.max(a, b);
}

/** Negative when `a` is to be checked before `b`. */
export function compareHints(a: RankableHint, b: RankableHint): number {
  const severity = (SEVERITY_ORDER[a.severity] ?? LAST) - (SEVERITY_ORDER[b.severity] ?? LAST);
  if (severity !== 0) return severity;
  const overshootA = overshootOf(a);
  const overshootB = overshootOf(b);
  if (!sameRatio(overshootA, overshootB)) return overshootA > overshootB ? -1 : 1;
  return metricOrderOf(a) - metricOrderOf(b) || b.confidence - a.confidence;
}

/** A sorted copy: the first hint is the one to check first. */
export function rankHints<T extends RankableHint>(hints: readonly T[]): T[] {
  return [...hints].sort(compareHints);
}
