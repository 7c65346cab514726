import * as z from "zod";

/**
 * The application's metrics contract (unchanged from the earlier SeqPulse, so existing SDKs
 * keep working): `{"metrics": {requests_per_sec, latency_p95 (ms), error_rate, cpu_usage,
 * memory_usage (ratios 0..1)}}`. Numeric strings are accepted; extra fields ignored.
 */
const finite = z.coerce.number<unknown>().refine(Number.isFinite, { message: "must be a finite number" });
const nonNegative = finite.refine((value) => value >= 0, { message: "must be ≥ 0" });
const ratio = finite.refine((value) => value >= 0 && value <= 1, { message: "must be between 0 and 1" });
const required = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === null || value === "" ? undefined : value), schema);

export const metricsPayload = z.object({
  metrics: z.object({
    requests_per_sec: required(nonNegative),
    latency_p95: required(nonNegative),
    error_rate: required(ratio),
    cpu_usage: required(ratio),
    memory_usage: required(ratio),
  }),
});

export interface MetricValues {
  requestsPerSec: number;
  latencyP95: number;
  errorRate: number;
  cpuUsage: number;
  memoryUsage: number;
}

export type PayloadResult =
  | { ok: true; values: MetricValues }
  | { ok: false; field: string; message: string };

export function parseMetricsPayload(body: unknown): PayloadResult {
  const result = metricsPayload.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, field: issue?.path.join(".") || "metrics", message: issue?.message ?? "invalid" };
  }
  const m = result.data.metrics;
  return {
    ok: true,
    values: {
      requestsPerSec: m.requests_per_sec,
      latencyP95: m.latency_p95,
      errorRate: m.error_rate,
      cpuUsage: m.cpu_usage,
      memoryUsage: m.memory_usage,
    },
  };
}
