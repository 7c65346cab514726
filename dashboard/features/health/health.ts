// What the dashboard makes of `GET /health`. No React here, so it is unit-tested in Node.
//
// The Worker answers `200 {"status":"ok","checks":{"db":true}}` or
// `503 {"status":"degraded","checks":{"db":false}}` and may add fields later: anything not
// understood is ignored, and a body that cannot be read at all is an error, never "ok".

export type HealthErrorReason = "timeout" | "network" | "unexpected-response";

export type HealthState =
  | { kind: "loading" }
  | { kind: "ok" }
  | { kind: "degraded"; failingChecks: string[] }
  | { kind: "error"; reason: HealthErrorReason };

export const HEALTH_URL = "/health";
export const DEFAULT_HEALTH_TIMEOUT_MS = 5000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function failingChecksOf(body: Record<string, unknown>): string[] {
  const checks = body.checks;
  if (!isRecord(checks)) return [];
  return Object.entries(checks)
    .filter(([, passed]) => passed === false)
    .map(([name]) => name);
}

export function interpretHealthResponse(httpStatus: number, body: unknown): HealthState {
  if (!isRecord(body)) return { kind: "error", reason: "unexpected-response" };
  const failingChecks = failingChecksOf(body);
  // "ok" needs both the status code and the body to agree, and no check reported as failing.
  if (httpStatus === 200 && body.status === "ok" && failingChecks.length === 0) {
    return { kind: "ok" };
  }
  if (httpStatus === 503 && (body.status === "degraded" || failingChecks.length > 0)) {
    return { kind: "degraded", failingChecks };
  }
  return { kind: "error", reason: "unexpected-response" };
}

export interface CheckHealthOptions {
  fetch?: typeof fetch;
  url?: string;
  timeoutMs?: number;
  /** Aborts the request when the caller no longer needs it (the island unmounted). */
  signal?: AbortSignal;
}

/** Never throws: every failure becomes an `error` state the island can display. */
export async function checkHealth(options: CheckHealthOptions = {}): Promise<HealthState> {
  const {
    fetch: fetchImpl = globalThis.fetch,
    url = HEALTH_URL,
    timeoutMs = DEFAULT_HEALTH_TIMEOUT_MS,
    signal,
  } = options;
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const response = await fetchImpl(url, {
      headers: { accept: "application/json" },
      // A cached "ok" would hide an outage.
      cache: "no-store",
      signal: combined,
    });
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      if (timeout.aborted) return { kind: "error", reason: "timeout" };
      return { kind: "error", reason: "unexpected-response" };
    }
    return interpretHealthResponse(response.status, body);
  } catch {
    return { kind: "error", reason: timeout.aborted ? "timeout" : "network" };
  }
}
