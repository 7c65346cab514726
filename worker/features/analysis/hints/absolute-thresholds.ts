// Path B (original-seqpulse.md §11.4): rules on POST means against the industrial thresholds.
// The original evaluated them only for metrics missing from the audit, which never happened (dead
// code). Here they are the fallback when there is no audit at all: POST samples without a PRE
// baseline, so the verdict is "insufficient metrics" yet the POST numbers still say something.
import { deviationAbove, deviationBelow, hintConfidence } from "../confidence";
import type { HintSeverity, MetricName } from "../types";
import { HINT_RULES, type HintRule } from "./catalogue";
import { compositeSignal, type HintContext, type HintDraft } from "./draft";

/** Above industrial x factor a single-metric rule is critical rather than a warning. */
const CRITICAL_FACTOR = { latency_p95: 1.3, cpu_usage: 1.2, memory_usage: 1.1 } as const;
/** Traffic is "low" below this share of the PRE mean. */
const LOW_TRAFFIC_FACTOR = 0.6;
/** Memory at or below this share of its threshold is "within normal range". */
const NORMAL_MEMORY_FACTOR = 0.8;

const SEVERITY_RANK: Record<HintSeverity, number> = { info: 0, warning: 1, critical: 2 };

function compositeDraft(
  context: HintContext,
  rule: HintRule,
  severity: HintSeverity,
  deviation: number,
  metrics: MetricName[],
): HintDraft {
  return {
    rule,
    metric: "composite",
    severity,
    deviation,
    signalCount: metrics.length,
    observedValue: null,
    threshold: null,
    audit: null,
    signals: metrics.map((metric) => compositeSignal(context, metric)),
  };
}

function singleDraft(
  context: HintContext,
  rule: HintRule,
  metric: MetricName,
  severity: HintSeverity,
  deviation: number,
  threshold: number,
): HintDraft {
  return {
    rule,
    metric,
    severity,
    deviation,
    signalCount: 1,
    observedValue: context.postMeans[metric],
    threshold,
    audit: null,
    signals: [],
  };
}

/**
 * One composite survives (the original's upsert kept the last one written): the most severe,
 * then the most confident, then the first in catalogue order.
 */
function strongestComposite(candidates: HintDraft[]): HintDraft | undefined {
  const score = (draft: HintDraft) => hintConfidence(draft.severity, draft.deviation, draft.signalCount);
  let best: HintDraft | undefined;
  for (const candidate of candidates) {
    if (
      !best ||
      SEVERITY_RANK[candidate.severity] > SEVERITY_RANK[best.severity] ||
      (candidate.severity === best.severity && score(candidate) > score(best))
    ) {
      best = candidate;
    }
  }
  return best;
}

export function absoluteThresholdDrafts(context: HintContext): HintDraft[] {
  const { postMeans: post, thresholds } = context;
  const { industrial } = thresholds;
  const preTraffic = context.preMeans?.requests_per_sec ?? 0;
  const trafficBaseline = preTraffic >= thresholds.rpsMinimumTraffic ? preTraffic : null;

  const errorHigh = post.error_rate > industrial.error_rate;
  const latencyHigh = post.latency_p95 > industrial.latency_p95;
  const cpuHigh = post.cpu_usage > industrial.cpu_usage;
  const trafficLow = trafficBaseline !== null && post.requests_per_sec < LOW_TRAFFIC_FACTOR * trafficBaseline;
  const errorDeviation = deviationAbove(post.error_rate, industrial.error_rate);
  const latencyDeviation = deviationAbove(post.latency_p95, industrial.latency_p95);
  const cpuDeviation = deviationAbove(post.cpu_usage, industrial.cpu_usage);
  const trafficDeviation =
    trafficBaseline === null ? 0 : deviationBelow(post.requests_per_sec, trafficBaseline);
  const latencySeverity: HintSeverity =
    post.latency_p95 >= CRITICAL_FACTOR.latency_p95 * industrial.latency_p95 ? "critical" : "warning";

  const composites: HintDraft[] = [];
  if (errorHigh && latencyHigh) {
    composites.push(
      compositeDraft(
        context,
        HINT_RULES.serviceDegradation,
        "critical",
        Math.max(errorDeviation, latencyDeviation),
        ["error_rate", "latency_p95"],
      ),
    );
  }
  if (latencyHigh && cpuHigh) {
    composites.push(
      compositeDraft(
        context,
        HINT_RULES.computeSaturation,
        latencySeverity,
        Math.max(latencyDeviation, cpuDeviation),
        ["latency_p95", "cpu_usage"],
      ),
    );
  }
  if (errorHigh && trafficLow) {
    composites.push(
      compositeDraft(
        context,
        HINT_RULES.partialOutage,
        "critical",
        Math.max(errorDeviation, trafficDeviation),
        ["error_rate", "requests_per_sec"],
      ),
    );
  }

  const composite = strongestComposite(composites);
  const drafts: HintDraft[] = composite ? [composite] : [];
  // A metric explained by the surviving composite gets no hint of its own.
  const covered = new Set(composite?.signals.map((signal) => signal.metric));

  if (errorHigh && !covered.has("error_rate")) {
    drafts.push(
      singleDraft(
        context,
        HINT_RULES.highErrorRate,
        "error_rate",
        "critical",
        errorDeviation,
        industrial.error_rate,
      ),
    );
  }
  if (latencyHigh && !covered.has("latency_p95")) {
    drafts.push(
      singleDraft(
        context,
        HINT_RULES.highLatency,
        "latency_p95",
        latencySeverity,
        latencyDeviation,
        industrial.latency_p95,
      ),
    );
  }
  if (cpuHigh && !covered.has("cpu_usage")) {
    const severity =
      post.cpu_usage >= CRITICAL_FACTOR.cpu_usage * industrial.cpu_usage ? "critical" : "warning";
    drafts.push(
      singleDraft(context, HINT_RULES.cpuSpike, "cpu_usage", severity, cpuDeviation, industrial.cpu_usage),
    );
  }

  const memory = post.memory_usage;
  const memoryThreshold = industrial.memory_usage;
  const memorySecured = memoryThreshold * thresholds.securedFactor;
  if (memory > memoryThreshold) {
    const severity = memory >= CRITICAL_FACTOR.memory_usage * memoryThreshold ? "critical" : "warning";
    drafts.push(
      singleDraft(
        context,
        HINT_RULES.memoryAboveThreshold,
        "memory_usage",
        severity,
        deviationAbove(memory, memoryThreshold),
        memoryThreshold,
      ),
    );
  } else if (memory >= memorySecured) {
    // How far into the band between the secured threshold and the threshold (0.72..0.80).
    const deviation = (memory - memorySecured) / (memoryThreshold - memorySecured);
    drafts.push(
      singleDraft(
        context,
        HINT_RULES.memoryApproachingThreshold,
        "memory_usage",
        "warning",
        deviation,
        memoryThreshold,
      ),
    );
  } else if (memory <= NORMAL_MEMORY_FACTOR * memoryThreshold) {
    drafts.push(
      singleDraft(context, HINT_RULES.memoryWithinNormalRange, "memory_usage", "info", 0, memoryThreshold),
    );
  }

  if (trafficLow && trafficBaseline !== null && !covered.has("requests_per_sec")) {
    drafts.push(
      singleDraft(
        context,
        HINT_RULES.trafficBelowBaseline,
        "requests_per_sec",
        "warning",
        trafficDeviation,
        trafficBaseline,
      ),
    );
  }
  return drafts;
}
