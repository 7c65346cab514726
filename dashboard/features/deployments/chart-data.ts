// What each metric chart of a deployment draws: the baseline (PRE) samples, the POST samples of
// the observation window, and the line the verdict compares them with (given by the API, from
// the deployment's judge, so the chart and the verdict never disagree). Pure: unit-tested.
import { type DeploymentMetrics, type Sample, type SampleMetric, sampleMetrics } from "./api-types";

export const chartMetrics: readonly SampleMetric[] = sampleMetrics;

const sampleField: Record<SampleMetric, keyof Omit<Sample, "phase" | "sequence" | "collectedAt">> = {
  latency_p95: "latencyP95",
  error_rate: "errorRate",
  cpu_usage: "cpuUsage",
  memory_usage: "memoryUsage",
  requests_per_sec: "requestsPerSec",
};

export interface MetricChartData {
  metric: SampleMetric;
  /** Unix seconds, ascending; one entry per sample (baseline first). */
  x: number[];
  /** Baseline values at their times, null at the POST times. */
  baseline: (number | null)[];
  /** POST values at their times, null at the baseline times. */
  post: (number | null)[];
  /** The threshold repeated at every x (empty when there is none). */
  threshold: number[];
  thresholdValue: number | null;
  /** Latency, errors, CPU, memory are bad above the line; traffic is bad below it. */
  badWhen: "above" | "below";
  baselineMean: number | null;
  postMean: number | null;
  postPeak: number | null;
  /** POST samples on the bad side of the line. */
  postBeyond: number;
  postCount: number;
}

const mean = (values: number[]) =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;

function ordered(samples: Sample[]): Sample[] {
  return [...samples].sort((a, b) => Date.parse(a.collectedAt) - Date.parse(b.collectedAt));
}

export function shapeMetricChart(
  metric: SampleMetric,
  metrics: Pick<DeploymentMetrics, "pre" | "post" | "lines">,
) {
  const field = sampleField[metric];
  const pre = ordered(metrics.pre).filter((sample) => Number.isFinite(sample[field]));
  const post = ordered(metrics.post).filter((sample) => Number.isFinite(sample[field]));
  const preValues = pre.map((sample) => sample[field]);
  const postValues = post.map((sample) => sample[field]);
  const baselineMean = mean(preValues);
  const badWhen = metric === "requests_per_sec" ? "below" : "above";
  const thresholdValue = metrics.lines[metric] ?? null;
  const seconds = (sample: Sample) => Math.round(Date.parse(sample.collectedAt) / 1000);
  const x = [...pre.map(seconds), ...post.map(seconds)];
  const postBeyond =
    thresholdValue === null
      ? 0
      : postValues.filter((value) => (badWhen === "above" ? value > thresholdValue : value < thresholdValue))
          .length;
  const data: MetricChartData = {
    metric,
    x,
    baseline: [...preValues, ...postValues.map(() => null)],
    post: [...preValues.map(() => null), ...postValues],
    threshold: thresholdValue === null ? [] : x.map(() => thresholdValue),
    thresholdValue,
    badWhen,
    baselineMean,
    postMean: mean(postValues),
    postPeak:
      postValues.length === 0
        ? null
        : badWhen === "above"
          ? Math.max(...postValues)
          : Math.min(...postValues),
    postBeyond,
    postCount: postValues.length,
  };
  return data;
}

/** A chart's y range: always shows the threshold, starts at 0, with a little headroom. */
export function yRange(data: MetricChartData): [number, number] {
  const values = [...data.baseline, ...data.post, data.thresholdValue].filter(
    (value): value is number => value !== null && Number.isFinite(value),
  );
  const top = values.length === 0 ? 1 : Math.max(...values);
  const ratio = data.metric === "error_rate" || data.metric === "cpu_usage" || data.metric === "memory_usage";
  const max = top <= 0 ? (ratio ? 0.01 : 1) : top * 1.15;
  return [0, ratio ? Math.min(max, 1) : max];
}
