/** Seconds to wait before retry number `attempt` (1-based); `random` in [0, 1) adds the jitter. */
export type Backoff = (attempt: number, random: () => number) => number;

/** How often a job type is tried and how long it waits between tries. */
export interface RetryPolicy {
  /**
   * Claims a job gets before a failure makes it dead. Stored on the row when the job is queued,
   * so a change applies to jobs queued afterwards; a deferral gives its claim back.
   */
  maxAttempts: number;
  /** The wait after a failed attempt that has claims left. */
  backoff: Backoff;
}

const BASE_RETRY_SECONDS = 30;
const MAX_RETRY_SECONDS = 60 * 60;

/**
 * Seconds before retry number `attempt` (1-based): 30 s, 2 min, 8 min, 32 min, then an hour,
 * each within +/-20 % so jobs that failed together do not retry in lockstep.
 */
export function retryDelaySeconds(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BASE_RETRY_SECONDS * 4 ** Math.max(0, attempt - 1), MAX_RETRY_SECONDS);
  return Math.round(base * (0.8 + 0.4 * random()));
}
