/**
 * The failed-guess counters of one secret (a password, a second-factor code) guessed for one
 * account by one caller. A flow checks before verifying, records a wrong guess and clears after a
 * right one, so the right secret never counts. The Worker's counters are rate limiter objects
 * (`guessCounter` in worker/middleware/rate-limit.ts).
 */
export interface GuessCounter {
  /** RATE_LIMITED (with Retry-After) while the caller must wait; counts nothing. */
  check(): Promise<void>;
  recordFailure(): Promise<void>;
  clear(): Promise<void>;
}
