// Payloads of the stand-in application, shared by the dev scripts, the Worker tests (inside
// workerd) and the browser tests (Node): plain JavaScript without imports, so every runtime loads it.

/** A service at rest: every metric well inside the thresholds. A fresh object on each call. */
export function healthyMetrics() {
  return { requests_per_sec: 120, latency_p95: 180, error_rate: 0.002, cpu_usage: 0.45, memory_usage: 0.55 };
}
