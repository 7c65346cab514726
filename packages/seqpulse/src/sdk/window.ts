/**
 * The application's own traffic over the last 60 seconds, in one-second buckets: request and
 * error counts exactly, latencies as a bounded sample per second (every one while traffic is
 * light, a uniform reservoir of `LATENCIES_PER_SECOND` above), so memory stays bounded under
 * any load and p95 is exact for most applications and a close estimate for the busiest.
 */
export const WINDOW_SECONDS = 60;
const LATENCIES_PER_SECOND = 1_000;

interface Bucket {
  second: number;
  requests: number;
  errors: number;
  latencies: number[];
}

export interface TrafficSnapshot {
  requestsPerSec: number;
  errorRate: number;
  latencyP95: number;
}

export class TrafficWindow {
  private readonly buckets: Bucket[] = [];
  private readonly startedAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  record(durationMs: number, isError: boolean): void {
    const second = Math.floor(this.now() / 1000);
    let bucket = this.buckets[this.buckets.length - 1];
    if (!bucket || bucket.second !== second) {
      bucket = { second, requests: 0, errors: 0, latencies: [] };
      this.buckets.push(bucket);
      this.prune(second);
    }
    bucket.requests++;
    if (isError) bucket.errors++;
    const latency = Number.isFinite(durationMs) && durationMs >= 0 ? durationMs : 0;
    if (bucket.latencies.length < LATENCIES_PER_SECOND) bucket.latencies.push(latency);
    else {
      const slot = Math.floor(Math.random() * bucket.requests);
      if (slot < LATENCIES_PER_SECOND) bucket.latencies[slot] = latency;
    }
  }

  snapshot(): TrafficSnapshot {
    const now = this.now();
    this.prune(Math.floor(now / 1000));
    let requests = 0;
    let errors = 0;
    const latencies: Weighted[] = [];
    for (const bucket of this.buckets) {
      requests += bucket.requests;
      errors += bucket.errors;
      // Each kept latency stands for requests / kept of its second (1 below the reservoir's size).
      const weight = bucket.requests / Math.max(1, bucket.latencies.length);
      for (const value of bucket.latencies) latencies.push({ value, weight });
    }
    // A process younger than the window has not had 60 s of traffic.
    const seconds = Math.min(WINDOW_SECONDS, Math.max(1, (now - this.startedAt) / 1000));
    return {
      requestsPerSec: requests / seconds,
      errorRate: requests === 0 ? 0 : errors / requests,
      latencyP95: percentile(latencies, 0.95),
    };
  }

  private prune(currentSecond: number): void {
    const oldest = currentSecond - WINDOW_SECONDS + 1;
    let drop = 0;
    while (drop < this.buckets.length && (this.buckets[drop] as Bucket).second < oldest) drop++;
    if (drop > 0) this.buckets.splice(0, drop);
  }
}

interface Weighted {
  value: number;
  weight: number;
}

/** Nearest-rank percentile of weighted values; 0 when there is nothing to rank. */
export function percentile(values: Weighted[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((sum, entry) => sum + entry.weight, 0);
  const rank = p * total;
  let seen = 0;
  for (const entry of sorted) {
    seen += entry.weight;
    // The tolerance absorbs float error in the weights (1000 thirds do not sum to 1000 exactly).
    if (seen >= rank - 1e-9) return entry.value;
  }
  return (sorted[sorted.length - 1] as Weighted).value;
}
