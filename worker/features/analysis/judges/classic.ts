// The classic judge: the original SeqPulse analysis engine (original-seqpulse.md §10), per-sample
// threshold breaches over the POST window, the PRE baseline used for traffic only.
//
// Fixes of the original's known bugs (§18, §11, §19.1), deliberately not reproduced:
//   - §18.1 #5: exactly one non-critical failure no longer says "Multiple non-critical threshold
//     violations detected"; it says "Non-critical threshold violation detected".
//   - §18.1 #6 / §19.1.4: every summary, detail line, data-quality issue and hint sentence carries
//     a stable code and params (messages/<locale>.json), instead of English text matched by regex.
//   - §18.1 #4: one detail format only, code `analysis.verdict.details.metricUnstable.<metric>`
//     with params {ratio, limit} and the numbers behind them {line, count, total, before, after,
//     drop}, worded for people ("p95 latency was above 270 ms in 3 of 5 minutes after the
//     deploy..."), never with the metric's identifier.
//   - §18.1 #7 / §19.1.2: hints are derived from the verdict's own audit with the same `>`
//     comparison, so a hint never accompanies a metric that passed (the original's `>=` put
//     breach hints, even a critical traffic composite, next to an `ok`). Hints obey the
//     no-contradiction rule stated in hints.ts (ok: info only; warning: no critical; rollback: at
//     least one critical; positive findings are info; one hint per metric).
//   - §18.1 #1 / §11.1: hints are returned once each, at most one per metric (one composite), so a
//     (deployment, metric) key cannot be written twice; "latency improved" no longer overwrites a
//     latency breach hint, and of several Path B composites the strongest is kept explicitly.
//   - §11.2: labels are written properly ("CPU usage", not "Cpu usage").
//   - §11.4 / §19.1.3: Path B (absolute thresholds) is no longer dead code: it is the fallback
//     when there is no audit, i.e. POST samples without a PRE baseline (§10.3 gave no hints at
//     all there).
//   Not for this module (jobs, persistence, notifications): §18.1 #14-17.
//
// Observation windows are 1 to 60 minutes (the original: 5 or 15). Generalised: good quality
// needs min(5, window) POST samples and the missing-sample penalty is 0.4 x (required - n) /
// required, identical for windows >= 5 minutes. Everything else keeps its value: 60 s sampling
// interval and 108 s gap, 600 s freshness, tolerances as shares of however many POST samples
// there are (so one bad error sample still fails any window of up to 19 samples, as designed).
import { adjustVerdictConfidence } from "../confidence";
import { assessDataQuality, dataQualityDetails, qualityBlocksOk } from "../data-quality";
import { displayPercent, displayValue } from "../display-values";
import { generateHints } from "../hints";
import type { Judge } from "../judge-types";
import { localized, type MessageCode } from "../messages";
import { type MetricMeans, metricValue, summarizeSamples } from "../samples";
import {
  assertValidJudgeInput,
  CLASSIC_THRESHOLDS,
  type ClassicThresholds,
  securedThreshold,
  THRESHOLD_METRICS,
} from "../thresholds";
import type { JudgeInput, LocalizedText, MetricAudit, MetricName, MetricSample, Verdict } from "../types";

const BASE_CONFIDENCE = {
  insufficientMetrics: 0.4,
  ok: 0.9,
  dataQualityBlocksOk: 0.55,
  critical: 0.85,
  oneNonCritical: 0.7,
  severalNonCritical: 0.68,
} as const;

const UNSTABLE_DETAIL: Record<MetricName, MessageCode> = {
  latency_p95: "analysis.verdict.details.metricUnstable.latencyP95",
  error_rate: "analysis.verdict.details.metricUnstable.errorRate",
  cpu_usage: "analysis.verdict.details.metricUnstable.cpuUsage",
  memory_usage: "analysis.verdict.details.metricUnstable.memoryUsage",
  requests_per_sec: "analysis.verdict.details.metricUnstable.requestsPerSec",
};

function auditEntry(
  metric: MetricName,
  post: readonly MetricSample[],
  isBreach: (value: number) => boolean,
  secured: number,
  tolerance: number,
  means: { pre: MetricMeans; post: MetricMeans },
): MetricAudit {
  const breachCount = post.filter((sample) => isBreach(metricValue(sample, metric))).length;
  const exceedRatio = breachCount / post.length;
  return {
    metric,
    securedThreshold: secured,
    exceedRatio,
    tolerance,
    breachCount,
    sampleCount: post.length,
    failed: exceedRatio > tolerance,
    critical: metric === "error_rate" || metric === "requests_per_sec",
    preMean: means.pre[metric],
    postMean: means.post[metric],
  };
}

/** Per-metric breach counts over the POST samples, in detail-line order. */
function auditMetrics(
  post: readonly MetricSample[],
  means: { pre: MetricMeans; post: MetricMeans },
  thresholds: ClassicThresholds,
): MetricAudit[] {
  const audit = THRESHOLD_METRICS.map((metric) => {
    const secured = securedThreshold(thresholds, metric);
    return auditEntry(metric, post, (value) => value > secured, secured, thresholds.tolerance[metric], means);
  });
  const baseline = means.pre.requests_per_sec;
  const secured = trafficLine(thresholds, baseline);
  if (secured !== null) {
    const dropped = (value: number) => (baseline - value) / baseline > thresholds.rpsDropThreshold;
    audit.push(
      auditEntry("requests_per_sec", post, dropped, secured, thresholds.tolerance.requests_per_sec, means),
    );
  }
  return audit;
}

/** "p95 latency was above 270 ms in 3 of 5 minutes after the deploy (60%; more than 20% fails)...". */
function unstableLine(entry: MetricAudit, thresholds: ClassicThresholds): LocalizedText {
  const value = (number: number) => displayValue(entry.metric, number);
  return localized(UNSTABLE_DETAIL[entry.metric], {
    ratio: displayPercent(entry.exceedRatio),
    limit: displayPercent(entry.tolerance),
    line: value(entry.securedThreshold),
    count: entry.breachCount,
    total: entry.sampleCount,
    before: value(entry.preMean ?? 0),
    after: value(entry.postMean),
    drop: displayPercent(thresholds.rpsDropThreshold),
  });
}

export function judgeClassic(input: JudgeInput, thresholds: ClassicThresholds = CLASSIC_THRESHOLDS): Verdict {
  assertValidJudgeInput(input);
  const dataQuality = assessDataQuality(input, thresholds);
  const preMeans = summarizeSamples(input.pre);
  const postMeans = summarizeSamples(input.post);

  if (!preMeans || !postMeans) {
    return {
      verdict: "warning",
      confidence: adjustVerdictConfidence(BASE_CONFIDENCE.insufficientMetrics, dataQuality.score),
      summary: localized("analysis.verdict.summary.insufficientMetrics"),
      details: dataQualityDetails(dataQuality),
      dataQuality,
      audit: [],
      hints: generateHints({
        verdict: "warning",
        preMeans,
        postMeans,
        audit: null,
        dataQualityScore: dataQuality.score,
        thresholds,
      }),
    };
  }

  const audit = auditMetrics(input.post, { pre: preMeans, post: postMeans }, thresholds);
  const failures = audit.filter((entry) => entry.failed);
  const nonCriticalFailures = failures.filter((entry) => !entry.critical).length;
  const details = failures.map((entry) => unstableLine(entry, thresholds));

  let verdict: Verdict["verdict"];
  let base: number;
  let summary: LocalizedText;
  if (failures.some((entry) => entry.critical)) {
    verdict = "rollback_recommended";
    base = BASE_CONFIDENCE.critical;
    summary = localized("analysis.verdict.summary.criticalThresholdViolations");
  } else if (nonCriticalFailures === 1) {
    verdict = "warning";
    base = BASE_CONFIDENCE.oneNonCritical;
    summary = localized("analysis.verdict.summary.nonCriticalThresholdViolation");
  } else if (nonCriticalFailures > 1) {
    verdict = "warning";
    base = BASE_CONFIDENCE.severalNonCritical;
    summary = localized("analysis.verdict.summary.multipleNonCriticalRegressions");
  } else if (qualityBlocksOk(dataQuality, thresholds)) {
    verdict = "warning";
    base = BASE_CONFIDENCE.dataQualityBlocksOk;
    summary = localized("analysis.verdict.summary.dataQualityInsufficient");
    details.push(localized("analysis.verdict.details.okVerdictBlockedByDataQuality"));
  } else {
    verdict = "ok";
    base = BASE_CONFIDENCE.ok;
    summary = localized("analysis.verdict.summary.noSignificantIssues");
  }
  details.push(...dataQualityDetails(dataQuality));

  return {
    verdict,
    confidence: adjustVerdictConfidence(base, dataQuality.score),
    summary,
    details,
    dataQuality,
    audit,
    hints: generateHints({
      verdict,
      preMeans,
      postMeans,
      audit,
      dataQualityScore: dataQuality.score,
      thresholds,
    }),
  };
}

/** Traffic is judged only with real traffic before the deployment: then bad below this. */
function trafficLine(thresholds: ClassicThresholds, preMean: number): number | null {
  return preMean >= thresholds.rpsMinimumTraffic ? preMean * (1 - thresholds.rpsDropThreshold) : null;
}

export function createClassicJudge(thresholds: ClassicThresholds = CLASSIC_THRESHOLDS): Judge {
  return {
    name: "classic",
    version: 1,
    judge: (input) => judgeClassic(input, thresholds),
    comparisonLines: (pre) => ({
      latency_p95: securedThreshold(thresholds, "latency_p95"),
      error_rate: securedThreshold(thresholds, "error_rate"),
      cpu_usage: securedThreshold(thresholds, "cpu_usage"),
      memory_usage: securedThreshold(thresholds, "memory_usage"),
      requests_per_sec: pre ? trafficLine(thresholds, pre.requests_per_sec) : null,
    }),
  };
}

export const classicJudge: Judge = createClassicJudge();
