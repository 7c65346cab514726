// The numbers a hint's sentences quote: the finding's own metric (`value`, `line`, `before`,
// and from the audit `count` of `total` minutes past the line), or for a composite each signal
// under its own prefix (`errorRate`, `errorRateLine`, `errorRateCount`, ...).
import { displayValue, METRIC_PARAM } from "../display-values";
import type { MessageParams } from "../messages";
import type { MetricAudit, MetricName } from "../types";
import { auditEntry, type HintContext, type HintDraft } from "./draft";

function auditParams(prefix: string, audit: MetricAudit | null, params: MessageParams): void {
  if (!audit) return;
  params[`${prefix}Count`] = audit.breachCount;
  params.total = audit.sampleCount;
}

export function hintParams(draft: HintDraft, context: HintContext): MessageParams {
  const params: MessageParams = {};
  if (draft.metric !== "composite") {
    const metric: MetricName = draft.metric;
    const value = draft.observedValue ?? context.postMeans[metric];
    params.value = displayValue(metric, value);
    if (draft.threshold !== null) params.line = displayValue(metric, draft.threshold);
    const before = context.preMeans?.[metric];
    if (before !== undefined) params.before = displayValue(metric, before);
    if (draft.audit) {
      params.count = draft.audit.breachCount;
      params.total = draft.audit.sampleCount;
    }
    return params;
  }
  for (const signal of draft.signals) {
    const prefix = METRIC_PARAM[signal.metric];
    params[prefix] = displayValue(signal.metric, signal.observedValue);
    const line = signal.securedThreshold ?? signal.threshold;
    if (line !== null) params[`${prefix}Line`] = displayValue(signal.metric, line);
    auditParams(prefix, auditEntry(context, signal.metric), params);
  }
  return params;
}
