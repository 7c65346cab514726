import {
  canonicalPath,
  DEFAULT_MAX_SKEW_FUTURE_SECONDS,
  DEFAULT_MAX_SKEW_PAST_SECONDS,
  type HmacRejection,
  NonceCache,
  verifySignedRequest,
} from "./hmac.js";
import { type ProcessStats, processStats } from "./process-stats.js";
import { TrafficWindow } from "./window.js";

export const DEFAULT_ENDPOINT = "/seqpulse-metrics";

export interface SeqPulseOptions {
  /** Path of the metrics endpoint, default `/seqpulse-metrics`. */
  endpoint?: string;
  /** Verify SeqPulse's HMAC v2 signature (default: `SEQPULSE_HMAC_ENABLED`/`SEQPULSE_HMAC_ENABLE`). */
  hmacEnabled?: boolean;
  /** The project's HMAC secret, `spm_...` (default: `SEQPULSE_HMAC_SECRET`). */
  hmacSecret?: string;
  maxSkewPastSeconds?: number;
  maxSkewFutureSeconds?: number;
  /** Live nonces remembered for replay refusal, default 10 000. */
  maxNonces?: number;
  /** Told why a signed request was refused (the answer itself stays a bare 401). */
  onRejected?: (reason: HmacRejection) => void;
}

/** The contract's five metrics. */
export interface Metrics {
  requests_per_sec: number;
  latency_p95: number;
  error_rate: number;
  cpu_usage: number;
  memory_usage: number;
}

/** What any framework's adapter needs from a request to the metrics endpoint. */
export interface MetricsRequest {
  method: string;
  path: string;
  header(name: string): string | null | undefined;
}

export interface MetricsAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One application's instrumentation: the traffic window, the process readings and the
 * endpoint's HMAC verification. Adapters (node:http/Express, Hono, Fastify, fetch) feed it.
 */
export class SeqPulse {
  readonly endpoint: string;
  private readonly hmac: { secret: string; past: number; future: number; nonces: NonceCache } | null;
  private readonly traffic: TrafficWindow;
  private readonly stats: ProcessStats;
  private readonly onRejected: ((reason: HmacRejection) => void) | undefined;

  constructor(options: SeqPulseOptions = {}, clock: () => number = Date.now) {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
    this.endpoint = canonicalPath(options.endpoint ?? DEFAULT_ENDPOINT);
    const enabled =
      options.hmacEnabled ?? isTrue(env.SEQPULSE_HMAC_ENABLED ?? env.SEQPULSE_HMAC_ENABLE ?? undefined);
    const secret = options.hmacSecret ?? env.SEQPULSE_HMAC_SECRET;
    if (enabled && !secret)
      throw new TypeError("seqpulse: hmacEnabled needs hmacSecret (or SEQPULSE_HMAC_SECRET).");
    this.hmac =
      enabled && secret
        ? {
            secret,
            past: options.maxSkewPastSeconds ?? DEFAULT_MAX_SKEW_PAST_SECONDS,
            future: options.maxSkewFutureSeconds ?? DEFAULT_MAX_SKEW_FUTURE_SECONDS,
            nonces: new NonceCache(options.maxNonces),
          }
        : null;
    this.traffic = new TrafficWindow(clock);
    this.stats = processStats();
    this.onRejected = options.onRejected;
  }

  /** One request of the application's own traffic; `status` ≥ 500 (or a thrown error) is an error. */
  record(durationMs: number, status: number | "error"): void {
    this.traffic.record(durationMs, status === "error" || status >= 500);
  }

  isMetricsRequest(path: string): boolean {
    return canonicalPath(path) === this.endpoint;
  }

  metrics(): Metrics {
    const traffic = this.traffic.snapshot();
    return {
      requests_per_sec: round(traffic.requestsPerSec, 3),
      latency_p95: round(traffic.latencyP95, 1),
      error_rate: round(traffic.errorRate, 4),
      cpu_usage: round(this.stats.cpuUsage(), 4),
      memory_usage: round(this.stats.memoryUsage(), 4),
    };
  }

  /** The answer to a request for the metrics endpoint (verifying its signature when HMAC is on). */
  async answer(request: MetricsRequest): Promise<MetricsAnswer> {
    const headers = { "Content-Type": "application/json", "Cache-Control": "no-store" };
    if (request.method !== "GET" && request.method !== "HEAD")
      return {
        status: 405,
        headers: { ...headers, Allow: "GET, HEAD" },
        body: '{"error":"method not allowed"}',
      };
    if (this.hmac) {
      const rejection = await verifySignedRequest(request, {
        secret: this.hmac.secret,
        maxSkewPastSeconds: this.hmac.past,
        maxSkewFutureSeconds: this.hmac.future,
        nonces: this.hmac.nonces,
      });
      if (rejection) {
        this.onRejected?.(rejection);
        // No detail: a caller without the secret learns nothing from the refusal.
        return { status: 401, headers, body: '{"error":"unauthorized"}' };
      }
    }
    return { status: 200, headers, body: JSON.stringify({ metrics: this.metrics() }) };
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

let current: SeqPulse | null = null;

/** Configures the SDK for this process; the adapters use it unless given an instance. */
export function init(options: SeqPulseOptions = {}): SeqPulse {
  current = new SeqPulse(options);
  return current;
}

/** The instance `init()` made, made with the defaults (and env variables) when it was not called. */
export function defaultInstance(): SeqPulse {
  current ??= new SeqPulse();
  return current;
}
