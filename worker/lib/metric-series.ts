/**
 * The Prometheus series the Worker exposes on `GET /metrics` (worker/features/metrics/): one
 * entry per metric family. Recording (lib/metrics.ts) refuses names not listed here, so every
 * family that reaches the store has its HELP and TYPE. Labels take values from small closed sets
 * (route templates, never raw paths or ids), which keeps the number of series bounded.
 */
export type MetricKind = "counter" | "histogram" | "gauge";

export interface MetricFamily {
  kind: MetricKind;
  help: string;
  labels: readonly string[];
  /** Upper bounds of a histogram's buckets, ascending (`+Inf` is added). */
  buckets?: readonly number[];
}

export const metricFamilies = {
  seqpulse_http_requests_total: {
    kind: "counter",
    help: "HTTP requests answered by the Worker, except /metrics, by route template (__unmatched__ for paths no route serves).",
    labels: ["method", "path", "status_code"],
  },
  seqpulse_http_request_duration_seconds: {
    kind: "histogram",
    help: "Time to answer an HTTP request, by route template.",
    labels: ["method", "path"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
  },
  seqpulse_metrics_collected_total: {
    kind: "counter",
    help: "Metric samples taken from applications and stored, by phase (pre: baseline, post: observation).",
    labels: ["phase"],
  },
  seqpulse_metrics_fetch_failed_total: {
    kind: "counter",
    help: "Metric sample attempts that failed, by phase and error code.",
    labels: ["phase", "code"],
  },
  seqpulse_scheduler_jobs_failed_total: {
    kind: "counter",
    help: "Job runs that failed: retry (will run again) or dead (no attempt left, or a permanent error).",
    labels: ["job_type", "outcome"],
  },
  seqpulse_scheduler_job_start_delay_seconds: {
    kind: "histogram",
    help: "Time between a job becoming due and a sweep claiming it.",
    labels: ["job_type"],
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
  },
  seqpulse_scheduler_sweeps_total: {
    kind: "counter",
    help: "Sweeps of the jobs table run by the Cron Trigger.",
    labels: [],
  },
  seqpulse_analysis_duration_seconds: {
    kind: "histogram",
    help: "Time to judge a deployment, by outcome (the verdict, not_found or error).",
    labels: ["outcome"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
  },
  seqpulse_analysis_verdict_total: {
    kind: "counter",
    help: "Verdicts reached; created is false when another analysis had stored one first.",
    labels: ["verdict", "created"],
  },
  seqpulse_analysis_failed_metric_total: {
    kind: "counter",
    help: "Metrics that failed their threshold in a stored verdict; critical for error_rate and requests_per_sec.",
    labels: ["metric", "critical"],
  },
  seqpulse_analysis_hint_total: {
    kind: "counter",
    help: "Diagnostic hints stored with a verdict, by severity.",
    labels: ["severity"],
  },
  seqpulse_analysis_verdict_hint_consistency_total: {
    kind: "counter",
    help: "Stored verdicts whose hints agree with them: a rollback has a critical hint, ok and warning have none.",
    labels: ["verdict", "consistency"],
  },
  seqpulse_analysis_quality_proxy_total: {
    kind: "counter",
    help: "Decision-quality proxies: missed_critical_proxy, false_rollback_proxy, verdict_hint_mismatch.",
    labels: ["event"],
  },
  seqpulse_analysis_last_outcome_timestamp_seconds: {
    kind: "gauge",
    help: "Unix time of the last analysis with this outcome.",
    labels: ["outcome"],
  },
  seqpulse_analysis_last_verdict_timestamp_seconds: {
    kind: "gauge",
    help: "Unix time of the last verdict reached, by verdict and whether it was stored.",
    labels: ["verdict", "created"],
  },
  seqpulse_webhook_deliveries_total: {
    kind: "counter",
    help: "Outgoing webhook delivery attempts, by result.",
    labels: ["result"],
  },
  seqpulse_metrics_series_dropped_total: {
    kind: "counter",
    help: "Increments refused because the store already holds its maximum number of series.",
    labels: [],
  },
} as const satisfies Record<string, MetricFamily>;

export type MetricName = keyof typeof metricFamilies;
export type LabelsOf<N extends MetricName> = Record<(typeof metricFamilies)[N]["labels"][number], string>;

/** One increment of a stored series: a family (with its `_bucket`/`_sum`/`_count` suffix) and its labels. */
export interface SeriesIncrement {
  family: string;
  /** Canonical labels: the JSON of `[name, value]` pairs in the family's order, `le` last. */
  labels: string;
  /** `add` for counters and histogram parts; `max` for last-seen timestamps. */
  mode: "add" | "max";
  value: number;
}

/** A series as the store holds it. */
export interface StoredSeries {
  family: string;
  labels: string;
  value: number;
}
