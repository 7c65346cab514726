// Path A (original-seqpulse.md §11.3): hints read from the same audit that decided the verdict,
// so a metric has a breach hint exactly when it failed the verdict (`exceedRatio > tolerance`).
import { deviationBelow, ratioDeviation } from "../confidence";
import type { MetricAudit, MetricName } from "../types";
import { HINT_RULES, type HintRule } from "./catalogue";
import { compositeSignal, type HintContext, type HintDraft } from "./draft";

/** Latency improved when the POST mean is below this share of the PRE mean. */
const LATENCY_IMPROVEMENT_FACTOR = 0.8;
const CRITICAL_VERDICT_BASE_CONFIDENCE = 0.85;

const METRIC_BREACH_RULES: ReadonlyArray<[MetricName, HintRule]> = [
  ["latency_p95", HINT_RULES.persistentLatencyBreaches],
  ["cpu_usage", HINT_RULES.persistentCpuBreaches],
  ["memory_usage", HINT_RULES.persistentMemoryBreaches],
];

function deviationOf(entry: MetricAudit): number {
  return ratioDeviation(entry.exceedRatio, entry.tolerance);
}

/** A breach twice the tolerance or more (deviation >= 1) is critical, otherwise a warning. */
function breachDraft(entry: MetricAudit, rule: HintRule): HintDraft {
  const deviation = deviationOf(entry);
  return {
    rule,
    metric: entry.metric,
    severity: deviation >= 1 ? "critical" : "warning",
    deviation,
    signalCount: 1,
    observedValue: entry.postMean,
    threshold: entry.securedThreshold,
    audit: entry,
    signals: [],
  };
}

export function auditDrivenDrafts(context: HintContext, audit: readonly MetricAudit[]): HintDraft[] {
  const failed = (metric: MetricName) => audit.find((entry) => entry.metric === metric && entry.failed);
  const drafts: HintDraft[] = [];

  // A1 / A2: the critical metrics.
  const errorRate = failed("error_rate");
  const traffic = failed("requests_per_sec");
  if (errorRate && traffic) {
    drafts.push({
      rule: HINT_RULES.persistentCriticalBreaches,
      metric: "composite",
      severity: "critical",
      deviation: Math.max(deviationOf(errorRate), deviationOf(traffic)),
      signalCount: 2,
      observedValue: null,
      threshold: null,
      audit: null,
      signals: [compositeSignal(context, "error_rate"), compositeSignal(context, "requests_per_sec")],
    });
  } else if (errorRate) {
    drafts.push(breachDraft(errorRate, HINT_RULES.persistentErrorRateBreach));
  } else if (traffic) {
    drafts.push(breachDraft(traffic, HINT_RULES.persistentTrafficBreach));
  }

  // A3: the non-critical metrics.
  for (const [metric, rule] of METRIC_BREACH_RULES) {
    const entry = failed(metric);
    if (entry) drafts.push(breachDraft(entry, rule));
  }

  // A4: an improvement, only when latency has no breach hint (the original let it overwrite one).
  const preLatency = context.preMeans?.latency_p95 ?? 0;
  const postLatency = context.postMeans.latency_p95;
  const latencyHasHint = drafts.some((draft) => draft.metric === "latency_p95");
  if (!latencyHasHint && preLatency > 0 && postLatency < LATENCY_IMPROVEMENT_FACTOR * preLatency) {
    drafts.push({
      rule: HINT_RULES.latencyImproved,
      metric: "latency_p95",
      severity: "info",
      deviation: deviationBelow(postLatency, preLatency),
      signalCount: 1,
      observedValue: postLatency,
      threshold: context.thresholds.industrial.latency_p95,
      audit: audit.find((entry) => entry.metric === "latency_p95") ?? null,
      signals: [],
    });
  }

  // A5: a rollback always comes with a critical hint, even when A2 was only a warning.
  const criticalFailures = audit.filter((entry) => entry.failed && entry.critical);
  if (criticalFailures.length > 0 && !drafts.some((draft) => draft.severity === "critical")) {
    drafts.push({
      rule: HINT_RULES.criticalVerdictRequiresInvestigation,
      metric: "composite",
      severity: "critical",
      deviation: Math.max(...criticalFailures.map(deviationOf)),
      signalCount: criticalFailures.length,
      fixedConfidence: CRITICAL_VERDICT_BASE_CONFIDENCE,
      observedValue: null,
      threshold: null,
      audit: null,
      signals: criticalFailures.map((entry) => compositeSignal(context, entry.metric)),
    });
  }
  return drafts;
}
