// The analysis contract: what a judge reads and what it returns. Pure data, no I/O (the
// dashboard imports this file too).

/**
 * One reading of the application's metrics endpoint (the original app contract): latency in
 * milliseconds, error rate and CPU/memory usage as ratios in 0..1, traffic in requests per second.
 */
export interface MetricSample {
  collectedAt: Date;
  requestsPerSec: number;
  latencyP95: number;
  errorRate: number;
  cpuUsage: number;
  memoryUsage: number;
}

export interface JudgeInput {
  /**
   * Baseline samples of the deployment: one at the trigger, then one a minute until the finish
   * (at most 10 after the trigger). Those taken after `triggeredAt` may already hold the new
   * version (a rolling deploy under way).
   */
  pre: MetricSample[];
  /** Samples of the observation window, one per minute from the deployment's finish. */
  post: MetricSample[];
  /** When the analysis runs: the reference for freshness and clock-skew checks. */
  analyzedAt: Date;
  /** Length of the observation window, 1 to 60 minutes. */
  observationWindowMinutes: number;
  /** The trigger's time; absent when unknown (every PRE sample is then taken as clean). */
  triggeredAt?: Date;
  /**
   * The continuous baseline: samples taken between deployments, oldest first (the hour before
   * the trigger and, where kept, the same hour a day and a week earlier). Empty or absent when the
   * project has none.
   */
  history?: MetricSample[];
  /** The project's judge settings; absent means the defaults. */
  settings?: JudgeSettings;
}

export const sensitivities = ["low", "medium", "high"] as const;
export type Sensitivity = (typeof sensitivities)[number];

/** Per-project judge settings, stored with each verdict so it can be replayed. */
export interface JudgeSettings {
  /** How small a change counts: `low` needs more evidence, `high` less. Default `medium`. */
  sensitivity?: Sensitivity;
  /** Metrics the judge must not judge (e.g. CPU on a service whose CPU is meaningless). */
  ignoredMetrics?: MetricName[];
}

/** What the other judge would have said: stored beside a verdict, never acted on. */
export interface ShadowVerdict {
  judge: string;
  judgeVersion: number;
  verdict: VerdictLevel;
  confidence: number;
  summary: LocalizedText;
}

// The enums of the API: defined here once, reused by the zod schemas of the API contract
// (worker/features/*/schemas.ts) and by the dashboard.

/** The metric names of the original API, used in codes, audits and hints. */
export const metricNames = [
  "latency_p95",
  "error_rate",
  "cpu_usage",
  "memory_usage",
  "requests_per_sec",
] as const;
export type MetricName = (typeof metricNames)[number];

export const verdictLevels = ["ok", "warning", "rollback_recommended"] as const;
export type VerdictLevel = (typeof verdictLevels)[number];

export const hintSeverities = ["critical", "warning", "info"] as const;
export type HintSeverity = (typeof hintSeverities)[number];

/**
 * A sentence with a stable code: `text` is the English rendering, the dashboard renders `code`
 * with `params` from messages/<locale>.json.
 */
export interface LocalizedText {
  code: string;
  params: Record<string, string | number>;
  text: string;
}

export type DataQualityIssueKind =
  | "min_post_samples"
  | "missing_pre_samples"
  | "missing_post_timestamps"
  | "post_before_pre"
  | "stale_post_metrics"
  | "post_in_future"
  | "sequence_gaps";

export interface DataQualityIssue extends LocalizedText {
  kind: DataQualityIssueKind;
  /** Subtracted from the score (before clamping and rounding). */
  penalty: number;
  /** Whether this issue alone forbids an `ok` verdict. */
  blocksOk: boolean;
}

export interface DataQuality {
  /** 0..1, two decimals. */
  score: number;
  issues: DataQualityIssue[];
}

/** How one metric fared over the POST samples: the evidence behind a verdict line and a hint. */
export interface MetricAudit {
  metric: MetricName;
  /** Latency/error/CPU/memory: industrial threshold x 0.9. Traffic: PRE mean x (1 - drop threshold). */
  securedThreshold: number;
  /** Share of POST samples beyond the secured threshold (for traffic: dropped by more than 20 %). */
  exceedRatio: number;
  /** Largest tolerated exceed ratio: the metric fails when exceedRatio > tolerance. */
  tolerance: number;
  breachCount: number;
  sampleCount: number;
  failed: boolean;
  /** A failure of a critical metric recommends a rollback. */
  critical: boolean;
  preMean: number | null;
  postMean: number;
}

export const hintMetrics = [...metricNames, "composite"] as const;
export type HintMetric = (typeof hintMetrics)[number];

/** One component of a composite hint, with its own numbers. */
export interface CompositeSignal {
  metric: MetricName;
  /** POST mean. */
  observedValue: number;
  /** Traffic: the PRE mean; otherwise the industrial threshold. */
  threshold: number | null;
  securedThreshold: number | null;
  exceedRatio: number | null;
  tolerance: number | null;
}

export interface HintEvidence {
  securedThreshold: number | null;
  exceedRatio: number | null;
  tolerance: number | null;
  preMean: number | null;
  postMean: number | null;
  /** The deviation the confidence was derived from (ratio, threshold or baseline deviation). */
  deviation: number;
  dataQualityScore: number;
  /** Components of a composite hint; empty otherwise. */
  signals: CompositeSignal[];
}

export interface Hint {
  /** Stable rule code, e.g. "persistent_metric_breaches". */
  code: string;
  /** The catalogue id of original-seqpulse.md §11 (A1-A5, B1-B10), for reference. */
  rule: string;
  metric: HintMetric;
  severity: HintSeverity;
  /** 0.2..0.95, two decimals, adjusted by data quality. */
  confidence: number;
  title: LocalizedText;
  diagnosis: LocalizedText;
  suggestedActions: LocalizedText[];
  observedValue: number | null;
  threshold: number | null;
  evidence: HintEvidence;
}

export interface Verdict {
  verdict: VerdictLevel;
  /** 0.2..0.95, two decimals. */
  confidence: number;
  summary: LocalizedText;
  details: LocalizedText[];
  dataQuality: DataQuality;
  audit: MetricAudit[];
  hints: Hint[];
}
