// What counts as an acceptable verdict for a labelled case (issue 10): a healthy release is ok, a
// bad one is rolled back, a small real regression is at least a warning, and a window where the
// endpoint was dark is a warning that gives missing data as its reason, never ok.
import type { DataQualityIssueKind, Verdict, VerdictLevel } from "../types";
import type { CaseLabel } from "./families";

/** Data-quality issues that say the window could not be observed. */
const INSUFFICIENT_DATA: ReadonlySet<DataQualityIssueKind> = new Set([
  "min_post_samples",
  "stale_post_metrics",
  "sequence_gaps",
  "missing_post_timestamps",
]);

export function acceptableLevel(label: CaseLabel, level: VerdictLevel): boolean {
  switch (label) {
    case "healthy":
      return level === "ok";
    case "bad":
      return level === "rollback_recommended";
    case "degraded":
      return level !== "ok";
    case "dark":
      return level === "warning";
  }
}

/** Whether the verdict names missing data as a reason (its summary, a detail line or a data-quality issue). */
export function reportsInsufficientData(verdict: Verdict): boolean {
  return (
    verdict.summary.code === "analysis.verdict.summary.insufficientMetrics" ||
    verdict.details.some((detail) => detail.code === "analysis.verdict.details.baseline.windowMostlyDark") ||
    verdict.dataQuality.issues.some((issue) => INSUFFICIENT_DATA.has(issue.kind))
  );
}

export interface Acceptability {
  acceptable: boolean;
  /** Dark cases only: whether the verdict gives missing data as a reason (required to be acceptable). */
  insufficientDataReason: boolean | null;
}

export function acceptable(label: CaseLabel, verdict: Verdict): Acceptability {
  const reason = label === "dark" ? reportsInsufficientData(verdict) : null;
  return {
    acceptable: acceptableLevel(label, verdict.verdict) && reason !== false,
    insufficientDataReason: reason,
  };
}
