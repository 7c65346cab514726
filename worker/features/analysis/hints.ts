// SDH, SeqPulse Diagnostic Hints (original-seqpulse.md §11): what probably went wrong and what to
// check first, derived from the verdict's audit (Path A) or, without one, from POST means (Path B).
//
// The hints never contradict their verdict (`hintContradictions` states the rule, tests hold every
// judge to it):
//   1. `ok` carries only `info` hints (a problem draft is dropped, not softened);
//   2. `warning` carries no `critical` hint (a critical draft is lowered to `warning`, and its
//      confidence recomputed for that severity);
//   3. `rollback_recommended` carries at least one `critical` hint (rule A5 guarantees it);
//   4. a positive finding ("latency improved", "memory within normal range") is always `info`;
//   5. at most one hint per metric, `composite` included.
import { adjustHintConfidence, hintConfidence } from "./confidence";
import { rankHints } from "./hint-ranking";
import { absoluteThresholdDrafts } from "./hints/absolute-thresholds";
import { auditDrivenDrafts } from "./hints/audit-driven";
import { HINT_RULES, type HintRule } from "./hints/catalogue";
import type { HintContext, HintDraft } from "./hints/draft";
import { hintParams } from "./hints/params";
import { localized } from "./messages";
import type { MetricMeans } from "./samples";
import type { ClassicThresholds } from "./thresholds";
import type { Hint, HintSeverity, MetricAudit, VerdictLevel } from "./types";

export interface HintInput {
  verdict: VerdictLevel;
  preMeans: MetricMeans | null;
  postMeans: MetricMeans | null;
  /** The verdict's audit; null selects the absolute-threshold rules. */
  audit: readonly MetricAudit[] | null;
  dataQualityScore: number;
  thresholds: ClassicThresholds;
}

const SEVERITY_RANK: Record<HintSeverity, number> = { info: 0, warning: 1, critical: 2 };
const SEVERITY_CEILING: Record<VerdictLevel, HintSeverity> = {
  ok: "info",
  warning: "warning",
  rollback_recommended: "critical",
};

function alignWithVerdict(drafts: HintDraft[], verdict: VerdictLevel): HintDraft[] {
  const ceiling = SEVERITY_CEILING[verdict];
  const aligned: HintDraft[] = [];
  const seenMetrics = new Set<string>();
  for (const draft of drafts) {
    if (seenMetrics.has(draft.metric)) continue;
    const severity: HintSeverity = draft.rule.positive ? "info" : draft.severity;
    if (verdict === "ok" && severity !== "info") continue;
    seenMetrics.add(draft.metric);
    aligned.push({
      ...draft,
      severity: SEVERITY_RANK[severity] > SEVERITY_RANK[ceiling] ? ceiling : severity,
    });
  }
  return aligned;
}

function toHint(draft: HintDraft, context: HintContext, dataQualityScore: number): Hint {
  const raw = draft.fixedConfidence ?? hintConfidence(draft.severity, draft.deviation, draft.signalCount);
  const ownMetric = draft.metric === "composite" ? null : draft.metric;
  return {
    code: draft.rule.code,
    rule: draft.rule.rule,
    metric: draft.metric,
    severity: draft.severity,
    confidence: adjustHintConfidence(raw, dataQualityScore),
    title: localized(draft.rule.title),
    diagnosis: localized(draft.rule.diagnosis, hintParams(draft, context)),
    suggestedActions: draft.rule.actions.map((action) => localized(action)),
    observedValue: draft.observedValue,
    threshold: draft.threshold,
    evidence: {
      securedThreshold: draft.audit?.securedThreshold ?? null,
      exceedRatio: draft.audit?.exceedRatio ?? null,
      tolerance: draft.audit?.tolerance ?? null,
      preMean: ownMetric ? (context.preMeans?.[ownMetric] ?? null) : null,
      postMean: ownMetric ? context.postMeans[ownMetric] : null,
      deviation: draft.deviation,
      dataQualityScore,
      signals: draft.signals,
    },
  };
}

export function generateHints(input: HintInput): Hint[] {
  if (!input.postMeans) return [];
  const context: HintContext = {
    preMeans: input.preMeans,
    postMeans: input.postMeans,
    thresholds: input.thresholds,
    audit: input.audit,
  };
  const drafts = input.audit ? auditDrivenDrafts(context, input.audit) : absoluteThresholdDrafts(context);
  // Returned in the order to check them (hint-ranking.ts).
  return rankHints(
    alignWithVerdict(drafts, input.verdict).map((draft) => toHint(draft, context, input.dataQualityScore)),
  );
}

const POSITIVE_CODES: ReadonlySet<string> = new Set(
  Object.values(HINT_RULES)
    .filter((rule: HintRule) => rule.positive)
    .map((rule) => rule.code),
);

/** Every way `hints` contradict `verdict`; empty when they agree (rules 1-5 above). */
export function hintContradictions(verdict: VerdictLevel, hints: readonly Hint[]): string[] {
  const problems: string[] = [];
  const ceiling = SEVERITY_RANK[SEVERITY_CEILING[verdict]];
  for (const hint of hints) {
    if (SEVERITY_RANK[hint.severity] > ceiling) {
      problems.push(`${hint.severity} hint ${hint.code} on a ${verdict} verdict`);
    }
    if (POSITIVE_CODES.has(hint.code) && hint.severity !== "info") {
      problems.push(`positive hint ${hint.code} presented as ${hint.severity}`);
    }
  }
  if (verdict === "rollback_recommended" && !hints.some((hint) => hint.severity === "critical")) {
    problems.push("rollback_recommended without a critical hint");
  }
  const metrics = hints.map((hint) => hint.metric);
  if (new Set(metrics).size !== metrics.length)
    problems.push(`several hints for one metric: ${metrics.join(", ")}`);
  return problems;
}
