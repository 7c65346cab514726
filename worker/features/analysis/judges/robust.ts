// The robust judge (version 2): each metric against the service's own baseline and noise, not
// fixed lines (robust-baseline.ts builds the baseline, robust-findings.ts states the lines).
// Around the findings:
//   - baseline: the trigger's sample and the continuous baseline (the hour before, the same hour on
//     other days); PRE samples after the trigger join it unless they already moved the way of a
//     regression (a rollout under way);
//   - warm-up: the first minute of a window of 4 or more samples (of any running window), the first
//     two of 10 or more, are not judged (caches filling, JIT, pods restarting);
//   - coverage: a window with samples for less than half of its minutes is a warning for lack of
//     data, whatever the few samples showed; otherwise an `ok` also needs no blocking data-quality
//     issue (gaps alone only lower the confidence);
//   - settings: the sensitivity scales every margin and floor (SENSITIVITY_SCALE), an ignored
//     metric is reported and never judged;
//   - the verdict: rollback when a finding crosses its rollback line or ceiling, warning when one
//     crosses its warning line, ok otherwise; traffic rises never fail, only drops do;
//   - confidence: for a regression, how far past the noise the strongest finding is; for an ok,
//     how much of the window was seen, how much baseline there was and how clear of its line the
//     closest metric stayed.
// `judgeEarly` is the same judge on a partial window, answering only an overwhelming rollback.
import { adjustHintConfidence, adjustVerdictConfidence, hintConfidence } from "../confidence";
import { assessDataQuality, dataQualityDetails } from "../data-quality";
import { displayValue } from "../display-values";
import { generateHints } from "../hints";
import type { Judge } from "../judge-types";
import { localized, type MessageCode } from "../messages";
import { METRIC_NAMES, type MetricMeans, summarizeSamples } from "../samples";
import { assertValidJudgeInput, CLASSIC_THRESHOLDS } from "../thresholds";
import type {
  Hint,
  JudgeInput,
  LocalizedText,
  MetricAudit,
  MetricName,
  MetricSample,
  Verdict,
} from "../types";
import { type Baseline, buildBaseline } from "./robust-baseline";
import {
  cpuFinding,
  errorFinding,
  type Finding,
  type FindingContext,
  type Judged,
  latencyFinding,
  memoryFinding,
  ROBUST_LIMITS,
  surePercent,
  trafficFinding,
} from "./robust-findings";

/** The share of judged minutes past its line from which a hint calls a breach persistent. */
const HINT_TOLERANCE = 0.25;
/** Under half of the window sampled, nothing is confirmed; under two thirds, not an ok. */
const MINIMUM_COVERAGE = 0.5;
const OK_COVERAGE = 2 / 3;

const FINDING_CODE: Record<
  MetricName,
  { within: MessageCode; regressed: MessageCode; notJudged: MessageCode }
> = {
  latency_p95: {
    within: "analysis.verdict.details.baseline.latencyP95.within",
    regressed: "analysis.verdict.details.baseline.latencyP95.regressed",
    notJudged: "analysis.verdict.details.baseline.latencyP95.notJudged",
  },
  error_rate: {
    within: "analysis.verdict.details.baseline.errorRate.within",
    regressed: "analysis.verdict.details.baseline.errorRate.regressed",
    notJudged: "analysis.verdict.details.baseline.errorRate.notJudged",
  },
  cpu_usage: {
    within: "analysis.verdict.details.baseline.cpuUsage.within",
    regressed: "analysis.verdict.details.baseline.cpuUsage.regressed",
    notJudged: "analysis.verdict.details.baseline.cpuUsage.notJudged",
  },
  memory_usage: {
    within: "analysis.verdict.details.baseline.memoryUsage.within",
    regressed: "analysis.verdict.details.baseline.memoryUsage.regressed",
    notJudged: "analysis.verdict.details.baseline.memoryUsage.notJudged",
  },
  requests_per_sec: {
    within: "analysis.verdict.details.baseline.requestsPerSec.within",
    regressed: "analysis.verdict.details.baseline.requestsPerSec.regressed",
    notJudged: "analysis.verdict.details.baseline.requestsPerSec.notJudged",
  },
};

function timeOf(sample: MetricSample): number {
  const time = sample.collectedAt instanceof Date ? sample.collectedAt.getTime() : Number.NaN;
  return Number.isNaN(time) ? Number.NaN : time;
}

/** Judged samples in time order (untimed samples keep their place), without the warm-up. */
export function judgedSamples(
  post: readonly MetricSample[],
  partial = false,
): { judged: Judged; warmUp: number } {
  const ordered = post
    .map((sample, index) => ({ sample, index, time: timeOf(sample) }))
    .sort((a, b) =>
      Number.isNaN(a.time) || Number.isNaN(b.time) ? a.index - b.index : a.time - b.time || a.index - b.index,
    );
  // A window still running always leaves its first minute out: an early verdict never rests on it.
  const warmUp = ordered.length >= 10 ? 2 : ordered.length >= 4 || (partial && ordered.length >= 2) ? 1 : 0;
  const kept = ordered.slice(warmUp);
  const allTimed = kept.every((entry) => !Number.isNaN(entry.time));
  const first = kept[0]?.time ?? 0;
  return {
    judged: {
      samples: kept.map((entry) => entry.sample),
      minutes: kept.map((entry, index) => (allTimed ? (entry.time - first) / 60_000 : index)),
      times: kept.map((entry) => entry.time),
    },
    warmUp,
  };
}

/** A metric the project's settings ignore: its numbers are reported, it never moves the verdict. */
function ignored(finding: Finding): Finding {
  return { ...finding, level: "ok", kind: "ignored", z: 0, breachCount: 0 };
}

function findingsOf(baseline: Baseline, judged: Judged, ignoredMetrics: ReadonlySet<MetricName>): Finding[] {
  const context = (metric: MetricName): FindingContext => ({
    baseline: baseline.metrics[metric],
    traffic: baseline.metrics.requests_per_sec,
    scale: baseline.scale,
  });
  const findings = [
    latencyFinding(context("latency_p95"), judged),
    errorFinding(context("error_rate"), judged),
    cpuFinding(context("cpu_usage"), judged),
    memoryFinding(context("memory_usage"), judged),
  ];
  const traffic = trafficFinding(context("requests_per_sec"), judged);
  if (traffic) findings.push(traffic);
  return findings.map((finding) => (ignoredMetrics.has(finding.metric) ? ignored(finding) : finding));
}

function auditOf(finding: Finding): MetricAudit {
  return {
    metric: finding.metric,
    securedThreshold: finding.line,
    exceedRatio: finding.sampleCount > 0 ? finding.breachCount / finding.sampleCount : 0,
    tolerance: HINT_TOLERANCE,
    breachCount: finding.breachCount,
    sampleCount: finding.sampleCount,
    failed: finding.level !== "ok",
    critical: finding.level === "rollback",
    preMean: finding.before,
    postMean: finding.extra.median ?? finding.after,
  };
}

/** "p95 latency rose from 180 ms before the deploy to 400 ms after (...), above ... 225 ms (99.9% sure ...)". */
function findingLine(finding: Finding): LocalizedText {
  const value = (number: number) => displayValue(finding.metric, number);
  const params = {
    before: value(finding.before),
    after: value(finding.after),
    line: value(finding.line),
    count: finding.sampleCount,
  };
  if (finding.kind === "ignored") {
    return localized(FINDING_CODE[finding.metric].notJudged, {
      before: params.before,
      after: params.after,
      count: params.count,
    });
  }
  if (finding.kind === "leak") {
    return localized("analysis.verdict.details.baseline.memoryLeak", {
      before: params.before,
      after: params.after,
      slope: Math.round((finding.extra.slope ?? 0) * 1000) / 10,
      minutes: Math.round(finding.extra.minutesToFull ?? 0),
    });
  }
  if (finding.kind === "saturated") {
    const code =
      finding.metric === "cpu_usage"
        ? "analysis.verdict.details.baseline.cpuSaturated"
        : "analysis.verdict.details.baseline.memoryExhausted";
    return localized(code, { before: params.before, line: params.line, count: finding.extra.run ?? 0 });
  }
  const code = FINDING_CODE[finding.metric][finding.kind === "regressed" ? "regressed" : "within"];
  if (finding.metric === "error_rate") {
    Object.assign(params, { errors: finding.extra.errors ?? 0, requests: finding.extra.requests ?? 0 });
  }
  return localized(code, finding.kind === "regressed" ? { ...params, sure: surePercent(finding.z) } : params);
}

function meansOf(findings: readonly Finding[], key: "before" | "after", fallback: MetricMeans): MetricMeans {
  const means = { ...fallback };
  for (const finding of findings) {
    means[finding.metric] = key === "after" ? (finding.extra.median ?? finding.after) : finding.before;
  }
  return means;
}

/**
 * The audit-driven hints, with the verdict's lines as thresholds. A latency, CPU or memory finding
 * that recommends the rollback is the critical hint (rather than the generic "errors or traffic"
 * one, which would name the wrong metric).
 */
function hintsOf(
  verdict: Verdict["verdict"],
  findings: readonly Finding[],
  audit: MetricAudit[],
  means: { pre: MetricMeans; post: MetricMeans },
  quality: number,
): Hint[] {
  const lines = Object.fromEntries(findings.map((finding) => [finding.metric, finding.line]));
  const thresholds = {
    ...CLASSIC_THRESHOLDS,
    industrial: { ...CLASSIC_THRESHOLDS.industrial, ...lines },
    securedFactor: 1,
  };
  const hints = generateHints({
    verdict,
    preMeans: means.pre,
    postMeans: means.post,
    audit,
    dataQualityScore: quality,
    thresholds,
  });
  if (verdict !== "rollback_recommended") return hints;
  const rollbackMetrics = new Set(findings.filter((f) => f.level === "rollback").map((f) => f.metric));
  if (rollbackMetrics.has("error_rate") || rollbackMetrics.has("requests_per_sec")) return hints;
  return hints
    .filter((hint) => hint.code !== "critical_verdict_requires_investigation")
    .map((hint) =>
      hint.metric !== "composite" && rollbackMetrics.has(hint.metric) && hint.severity !== "critical"
        ? {
            ...hint,
            severity: "critical" as const,
            confidence: adjustHintConfidence(hintConfidence("critical", hint.evidence.deviation), quality),
          }
        : hint,
    );
}

function strongest(findings: readonly Finding[]): number {
  return Math.max(0, ...findings.map((finding) => (Number.isFinite(finding.z) ? finding.z : 10)));
}

/**
 * 0.55..0.75 for a warning, 0.75..0.95 for a rollback, by how far past the noise the finding is. A
 * warning says something changed but not enough to act: it is never as sure as an ok or a rollback.
 */
function regressionConfidence(findings: readonly Finding[], rollback: boolean): number {
  const strength = Math.min(1, Math.max(0, (strongest(findings) - 3) / 5));
  return rollback ? 0.75 + 0.2 * strength : 0.55 + 0.2 * strength;
}

/**
 * An ok is as sure as the window was seen, the baseline was long, and the closest metric stayed
 * clear of its line: one baseline reading and a metric near its line are the oks that turn out wrong.
 */
function okConfidence(findings: readonly Finding[], baseline: Baseline, coverage: number): number {
  const recent = baseline.metrics.latency_p95.samples.length;
  const strength = baseline.single
    ? 0.4
    : recent >= 6 || baseline.historyCount > 0
      ? 1
      : recent >= 3
        ? 0.8
        : 0.6;
  const closest = Math.max(0, ...findings.filter((f) => f.kind === "within").map((f) => Math.min(3, f.z)));
  const clearance = 1 - closest / 6;
  return 0.5 + 0.45 * coverage * strength * clearance;
}

interface Analysis {
  verdict: Verdict;
  findings: Finding[];
}

function insufficient(input: JudgeInput, dataQuality: Verdict["dataQuality"]): Analysis {
  return {
    findings: [],
    verdict: {
      verdict: "warning",
      confidence: adjustVerdictConfidence(0.4, dataQuality.score),
      summary: localized("analysis.verdict.summary.insufficientMetrics"),
      details: dataQualityDetails(dataQuality),
      dataQuality,
      audit: [],
      hints: generateHints({
        verdict: "warning",
        preMeans: summarizeSamples(input.pre),
        postMeans: summarizeSamples(input.post),
        audit: null,
        dataQualityScore: dataQuality.score,
        thresholds: CLASSIC_THRESHOLDS,
      }),
    },
  };
}

/** Lines that say what the baseline was made of, when it was not simply the PRE samples. */
function baselineDetails(baseline: Baseline): LocalizedText[] {
  const details: LocalizedText[] = [];
  if (baseline.historyCount > 0)
    details.push(
      localized("analysis.verdict.details.baseline.historyUsed", { count: baseline.historyCount }),
    );
  const setAside = Math.max(...Object.values(baseline.metrics).map((metric) => metric.setAside));
  if (setAside > 0)
    details.push(
      localized("analysis.verdict.details.baseline.preSetAside", {
        count: setAside,
        total: baseline.afterTrigger,
      }),
    );
  if (baseline.single) details.push(localized("analysis.verdict.details.baseline.singleBaselineSample"));
  return details;
}

function analyze(input: JudgeInput, partial: boolean): Analysis {
  assertValidJudgeInput(input);
  const dataQuality = assessDataQuality(input, CLASSIC_THRESHOLDS);
  const { judged, warmUp } = judgedSamples(input.post, partial);
  const postMeans = summarizeSamples(judged.samples);
  const baselineSamples = [...input.pre, ...(input.history ?? [])];
  if (baselineSamples.length === 0 || !postMeans) return insufficient(input, dataQuality);
  const preMeans = summarizeSamples(input.pre.length > 0 ? input.pre : baselineSamples) as MetricMeans;

  const baseline = buildBaseline(input);
  const window = input.observationWindowMinutes;
  const coverage = Math.min(1, input.post.length / window);
  const dark = !partial && input.post.length < Math.ceil(window * MINIMUM_COVERAGE);
  const thin = !partial && input.post.length < Math.ceil(window * OK_COVERAGE);
  // A window mostly unseen confirms nothing: what was seen is reported, at most as a warning.
  const findings = findingsOf(baseline, judged, new Set(input.settings?.ignoredMetrics ?? [])).map(
    (finding): Finding => (dark && finding.level === "rollback" ? { ...finding, level: "warning" } : finding),
  );
  const audit = findings.map(auditOf);
  const rollbacks = findings.filter((finding) => finding.level === "rollback");
  const warnings = findings.filter((finding) => finding.level === "warning");
  const details = findings.map(findingLine);

  let verdict: Verdict["verdict"];
  let base: number;
  let summary: LocalizedText;
  if (dark) {
    verdict = "warning";
    base = 0.5 * coverage + 0.3;
    summary = localized("analysis.verdict.summary.insufficientMetrics");
  } else if (rollbacks.length > 0) {
    verdict = "rollback_recommended";
    base = regressionConfidence(rollbacks, true);
    summary = localized("analysis.verdict.summary.criticalThresholdViolations");
  } else if (warnings.length > 0) {
    verdict = "warning";
    base = regressionConfidence(warnings, false);
    summary = localized(
      warnings.length === 1
        ? "analysis.verdict.summary.nonCriticalThresholdViolation"
        : "analysis.verdict.summary.multipleNonCriticalRegressions",
    );
  } else if (thin) {
    // A regression seen in most of a window counts; an ok must have seen most of it.
    verdict = "warning";
    base = 0.5 * coverage + 0.3;
    summary = localized("analysis.verdict.summary.insufficientMetrics");
  } else if (dataQuality.issues.some((issue) => issue.blocksOk)) {
    // Issues that make the window untrustworthy forbid an ok; a few missed minutes (gaps) only
    // lower the score and so the confidence: coverage is checked above, on the window itself.
    verdict = "warning";
    base = 0.5;
    summary = localized("analysis.verdict.summary.dataQualityInsufficient");
    details.push(localized("analysis.verdict.details.okVerdictBlockedByDataQuality"));
  } else {
    verdict = "ok";
    base = okConfidence(findings, baseline, coverage);
    summary = localized("analysis.verdict.summary.noSignificantIssues");
  }
  if (dark || (thin && verdict === "warning" && rollbacks.length + warnings.length === 0)) {
    details.push(
      localized("analysis.verdict.details.baseline.windowMostlyDark", {
        count: input.post.length,
        expected: window,
      }),
    );
  }
  if (warmUp > 0)
    details.push(localized("analysis.verdict.details.baseline.warmUpNotJudged", { count: warmUp }));
  details.push(...baselineDetails(baseline));
  details.push(...dataQualityDetails(dataQuality));

  const means = { pre: meansOf(findings, "before", preMeans), post: meansOf(findings, "after", postMeans) };
  const ignoredMetrics = new Set(input.settings?.ignoredMetrics ?? []);
  return {
    findings,
    verdict: {
      verdict,
      confidence: adjustVerdictConfidence(base, dataQuality.score),
      summary,
      details,
      dataQuality,
      audit,
      hints: withoutIgnored(hintsOf(verdict, findings, audit, means, dataQuality.score), ignoredMetrics),
    },
  };
}

/** Hints about a metric the project ignores are dropped, composite ones naming it too. */
function withoutIgnored(hints: Hint[], ignoredMetrics: ReadonlySet<MetricName>): Hint[] {
  if (ignoredMetrics.size === 0) return hints;
  return hints.filter(
    (hint) =>
      !(hint.metric !== "composite" && ignoredMetrics.has(hint.metric)) &&
      !hint.evidence.signals.some((signal) => ignoredMetrics.has(signal.metric)),
  );
}

export function judgeRobust(input: JudgeInput): Verdict {
  return analyze(input, false).verdict;
}

/**
 * An early rollback answers issue 10's blatant regressions (errors x10, p95 x3, traffic halved).
 * Each line sits below the effect it must catch, or a x3 regression seen through noise would fire
 * only half the time: errors five times the baseline and two points above it, p95 2.5 times its
 * baseline, traffic under 60 % of it, each for three minutes (warm-up aside; a restart's cache
 * warms within a minute or two, a one-minute blip is trimmed).
 */
const EARLY = {
  errorFactor: 5,
  errorExcess: 0.01,
  errorMinimumRequests: 500,
  errorZ: 6,
  latencyFactor: 2.5,
  minutes: 3,
  trafficShare: 0.6,
} as const;

function consecutive(samples: readonly MetricSample[], test: (sample: MetricSample) => boolean): number {
  let longest = 0;
  let current = 0;
  for (const sample of samples) {
    current = test(sample) ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}

/** Whether a rollback finding is beyond doubt before the window is over. */
function overwhelming(finding: Finding, judged: readonly MetricSample[]): boolean {
  if (finding.level !== "rollback") return false;
  switch (finding.metric) {
    case "error_rate":
      return (
        finding.after >=
          EARLY.errorFactor * Math.max(finding.before, ROBUST_LIMITS.errors.minimumBaselineRate) &&
        finding.after - finding.before >= EARLY.errorExcess &&
        judged.length >= EARLY.minutes &&
        (finding.extra.requests ?? 0) >= EARLY.errorMinimumRequests &&
        finding.z >= EARLY.errorZ
      );
    case "latency_p95":
      return (
        consecutive(
          judged,
          (s) => s.latencyP95 >= EARLY.latencyFactor * finding.before && s.latencyP95 > finding.line,
        ) >= EARLY.minutes
      );
    case "requests_per_sec":
      return (
        consecutive(judged, (s) => s.requestsPerSec < EARLY.trafficShare * finding.before) >= EARLY.minutes
      );
    default:
      return false;
  }
}

/**
 * After each sample of a window still running: a rollback verdict when the judge recommends one
 * and errors are five times their baseline (and a point above it) over enough requests and
 * three minutes, p95 2.5 times its baseline or traffic under 60 % of it for three minutes in a
 * row; null otherwise (the window goes on, and only its end may say ok).
 */
export function judgeEarly(input: JudgeInput): Verdict | null {
  const { verdict, findings } = analyze(input, true);
  if (verdict.verdict !== "rollback_recommended") return null;
  const { judged } = judgedSamples(input.post, true);
  return findings.some((finding) => overwhelming(finding, judged.samples)) ? verdict : null;
}

export const robustJudge: Judge = {
  name: "robust",
  version: 2,
  judge: judgeRobust,
  // The warning lines a single baseline sample gives for a window of ten judged minutes: the chart
  // has the baseline's means only, and one sample at trigger is what deployments have today.
  comparisonLines: (pre) => {
    const lines = Object.fromEntries(METRIC_NAMES.map((metric) => [metric, null])) as Record<
      MetricName,
      number | null
    >;
    if (!pre) return lines;
    const sample: MetricSample = {
      collectedAt: new Date(0),
      requestsPerSec: pre.requests_per_sec,
      latencyP95: pre.latency_p95,
      errorRate: pre.error_rate,
      cpuUsage: pre.cpu_usage,
      memoryUsage: pre.memory_usage,
    };
    const minutes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const judged: Judged = {
      samples: minutes.map((minute) => ({ ...sample, collectedAt: new Date(minute * 60_000) })),
      minutes,
      times: minutes.map((minute) => minute * 60_000),
    };
    const baseline = buildBaseline({
      pre: [sample],
      post: [...judged.samples],
      analyzedAt: new Date(600_000),
      observationWindowMinutes: 10,
    });
    for (const finding of findingsOf(baseline, judged, new Set())) lines[finding.metric] = finding.line;
    return lines;
  },
};
