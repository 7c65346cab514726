import { incrementCounter, observeHistogram, recordLatest } from "../../lib/metrics";
import type { Verdict } from "../analysis/types";

/** An analysis that ended without a verdict: the deployment is gone, or the analysis threw. */
export function recordAnalysisWithoutVerdict(
  outcome: "not_found" | "error",
  seconds: number,
  at: Date,
): void {
  observeHistogram("seqpulse_analysis_duration_seconds", { outcome }, seconds);
  recordLatest("seqpulse_analysis_last_outcome_timestamp_seconds", { outcome }, at.getTime() / 1000);
}

/**
 * The series of one verdict reached (§14.1): its outcome and duration, whether it was stored
 * (`created`: false when another analysis stored one first), and, for a stored one, its failed
 * metrics, hints, and the decision-quality proxies comparing the verdict with its evidence.
 */
export function recordVerdictMetrics(result: Verdict, created: boolean, seconds: number, at: Date): void {
  const { verdict } = result;
  const time = at.getTime() / 1000;
  observeHistogram("seqpulse_analysis_duration_seconds", { outcome: verdict }, seconds);
  recordLatest("seqpulse_analysis_last_outcome_timestamp_seconds", { outcome: verdict }, time);
  incrementCounter("seqpulse_analysis_verdict_total", { verdict, created: String(created) });
  recordLatest(
    "seqpulse_analysis_last_verdict_timestamp_seconds",
    { verdict, created: String(created) },
    time,
  );
  if (!created) return;

  const failed = result.audit.filter((metric) => metric.failed);
  for (const metric of failed) {
    incrementCounter("seqpulse_analysis_failed_metric_total", {
      metric: metric.metric,
      critical: String(metric.critical),
    });
  }
  for (const hint of result.hints)
    incrementCounter("seqpulse_analysis_hint_total", { severity: hint.severity });

  const rollback = verdict === "rollback_recommended";
  const criticalHint = result.hints.some((hint) => hint.severity === "critical");
  const criticalFailure = failed.some((metric) => metric.critical);
  incrementCounter("seqpulse_analysis_verdict_hint_consistency_total", {
    verdict,
    consistency: rollback === criticalHint ? "consistent" : "inconsistent",
  });
  if (criticalFailure && !rollback) {
    incrementCounter("seqpulse_analysis_quality_proxy_total", { event: "missed_critical_proxy" });
  }
  if (rollback && !criticalFailure) {
    incrementCounter("seqpulse_analysis_quality_proxy_total", { event: "false_rollback_proxy" });
  }
  if (rollback && !criticalHint) {
    incrementCounter("seqpulse_analysis_quality_proxy_total", { event: "verdict_hint_mismatch" });
  }
}
