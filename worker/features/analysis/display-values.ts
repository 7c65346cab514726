// Numbers as the sentences show them, in the unit each message writes after its placeholder:
// latency in ms (whole), error rate in % of requests (two decimals), CPU and memory in % (one
// decimal), traffic in req/s (one decimal). Message params carry these, never raw ratios.
import { roundHalfEven } from "./rounding";
import type { MetricName } from "./types";

export function displayValue(metric: MetricName, value: number): number {
  switch (metric) {
    case "latency_p95":
      return roundHalfEven(value);
    case "error_rate":
      return roundHalfEven(value * 100, 2);
    case "cpu_usage":
    case "memory_usage":
      return roundHalfEven(value * 100, 1);
    case "requests_per_sec":
      return roundHalfEven(value, 1);
  }
}

/** A share in 0..1 as a whole percentage. */
export function displayPercent(ratio: number): number {
  return roundHalfEven(ratio * 100);
}

/** The param prefix of each metric in composite sentences: `{errorRate}`, `{errorRateLine}`. */
export const METRIC_PARAM: Record<MetricName, string> = {
  latency_p95: "latency",
  error_rate: "errorRate",
  cpu_usage: "cpu",
  memory_usage: "memory",
  requests_per_sec: "traffic",
};
