import type { MetricMeans } from "../samples";
import type { ClassicThresholds } from "../thresholds";
import type { CompositeSignal, HintMetric, HintSeverity, MetricAudit, MetricName } from "../types";
import type { HintRule } from "./catalogue";

/** What the rules see. */
export interface HintContext {
  preMeans: MetricMeans | null;
  postMeans: MetricMeans;
  thresholds: ClassicThresholds;
  /** Per-metric audit of the verdict; null when the verdict had no baseline to audit against. */
  audit: readonly MetricAudit[] | null;
}

/** A hint before its severity is aligned with the verdict and its confidence computed. */
export interface HintDraft {
  rule: HintRule;
  metric: HintMetric;
  severity: HintSeverity;
  /** Input of the confidence formula. */
  deviation: number;
  signalCount: number;
  /** Replaces the formula (A5 has a fixed base of 0.85); still adjusted by data quality. */
  fixedConfidence?: number;
  observedValue: number | null;
  threshold: number | null;
  /** Audit entry of the hint's own metric, if any. */
  audit: MetricAudit | null;
  signals: CompositeSignal[];
}

export function auditEntry(context: HintContext, metric: MetricName): MetricAudit | null {
  return context.audit?.find((entry) => entry.metric === metric) ?? null;
}

/** One component of a composite: POST mean against the industrial threshold (traffic: PRE mean). */
export function compositeSignal(context: HintContext, metric: MetricName): CompositeSignal {
  const audit = auditEntry(context, metric);
  const threshold =
    metric === "requests_per_sec"
      ? (context.preMeans?.requests_per_sec ?? null)
      : context.thresholds.industrial[metric];
  return {
    metric,
    observedValue: context.postMeans[metric],
    threshold,
    securedThreshold: audit?.securedThreshold ?? null,
    exceedRatio: audit?.exceedRatio ?? null,
    tolerance: audit?.tolerance ?? null,
  };
}
