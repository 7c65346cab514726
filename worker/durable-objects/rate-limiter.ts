import { DurableObject } from "cloudflare:workers";

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until a request would be allowed again (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * How failures (wrong passwords, wrong codes) slow one key down: the first `freeFailures` cost
 * nothing, each later one makes the key wait `baseDelaySeconds`, doubling per failure up to
 * `maxDelaySeconds`. The count is forgotten `forgetAfterSeconds` after the last failure.
 */
export interface FailurePolicy {
  freeFailures: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  forgetAfterSeconds: number;
}

export interface FailureDecision {
  allowed: boolean;
  failures: number;
  /** Seconds until the key may try again (0 when allowed). */
  retryAfterSeconds: number;
}

interface FailureState {
  failures: number;
  /** ms since epoch before which the key is refused. */
  blockedUntil: number;
}

interface WindowState {
  /** Start of the current fixed window, ms since epoch. */
  windowStart: number;
  current: number;
  previous: number;
}

/**
 * One object per rate-limit key (e.g. `login:ip:203.0.113.7`), so counts are exact across
 * isolates and data centres. Sliding-window counter: the previous window's count is weighted by
 * how much of it still overlaps the sliding window, which avoids the double burst a fixed window
 * allows at its boundary, in O(1) storage.
 *
 * The clock is injectable: each method takes `now` (ms since epoch) as its last argument,
 * `Date.now()` when left out. Only tests pass it; the Worker's calls (middleware/rate-limit.ts)
 * never do, and the object is reachable only through the Worker's own binding, so no client can
 * choose the time. The limits themselves are the rows of `lib/rate-limits.ts`.
 */
export class RateLimiter extends DurableObject<Env> {
  async hit(limit: number, windowSeconds: number, now = Date.now()): Promise<RateLimitDecision> {
    const windowMs = windowSeconds * 1000;
    const stored = await this.ctx.storage.get<WindowState>("window");
    const state = advance(stored, windowMs, now);
    const elapsed = now - state.windowStart;
    const weight = 1 - elapsed / windowMs;
    const estimate = state.previous * weight + state.current;
    if (estimate + 1 <= limit) {
      state.current += 1;
      await this.ctx.storage.put("window", state);
      // Forget idle keys: after two windows without traffic the state is worthless. Moved once
      // per window, not on every hit: one storage write per request is enough.
      if (stored?.windowStart !== state.windowStart)
        await this.ctx.storage.setAlarm(state.windowStart + 2 * windowMs);
      return {
        allowed: true,
        limit,
        remaining: Math.max(0, Math.floor(limit - estimate - 1)),
        retryAfterSeconds: 0,
      };
    }
    await this.ctx.storage.put("window", state);
    return {
      allowed: false,
      limit,
      remaining: 0,
      retryAfterSeconds: Math.max(1, Math.ceil(msUntilAllowed(state, limit, windowMs, elapsed) / 1000)),
    };
  }

  /** Whether the key may try now; counts nothing (a refused try is not a failure). */
  async checkFailures(now = Date.now()): Promise<FailureDecision> {
    const state = await this.ctx.storage.get<FailureState>("failures");
    return failureDecision(state, now);
  }

  /** Counts one failure and answers how long the key must now wait before its next try. */
  async recordFailure(policy: FailurePolicy, now = Date.now()): Promise<FailureDecision> {
    const stored = await this.ctx.storage.get<FailureState>("failures");
    const failures = (stored?.failures ?? 0) + 1;
    const beyond = failures - policy.freeFailures;
    const delayMs =
      beyond > 0 ? Math.min(policy.baseDelaySeconds * 2 ** (beyond - 1), policy.maxDelaySeconds) * 1000 : 0;
    const state: FailureState = {
      failures,
      blockedUntil: Math.max(stored?.blockedUntil ?? 0, now + delayMs),
    };
    await this.ctx.storage.put("failures", state);
    await this.ctx.storage.setAlarm(now + policy.forgetAfterSeconds * 1000);
    return failureDecision(state, now);
  }

  /** Forgets the failures (after a success: the right secret never counts against anyone). */
  async clearFailures(): Promise<void> {
    await this.ctx.storage.delete("failures");
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}

function failureDecision(state: FailureState | undefined, now: number): FailureDecision {
  const waitMs = state ? state.blockedUntil - now : 0;
  return {
    allowed: waitMs <= 0,
    failures: state?.failures ?? 0,
    retryAfterSeconds: waitMs > 0 ? Math.ceil(waitMs / 1000) : 0,
  };
}

function advance(stored: WindowState | undefined, windowMs: number, now: number): WindowState {
  const windowStart = now - (now % windowMs);
  if (!stored || stored.windowStart <= windowStart - 2 * windowMs) {
    return { windowStart, current: 0, previous: 0 };
  }
  if (stored.windowStart === windowStart) return { ...stored };
  // Exactly one window later: the current count becomes the previous one.
  return { windowStart, current: 0, previous: stored.current };
}

/** Time until `previous * weight + current + 1 <= limit` holds again. */
function msUntilAllowed(state: WindowState, limit: number, windowMs: number, elapsed: number): number {
  if (state.current + 1 <= limit && state.previous > 0) {
    // Within this window, once enough of the previous window has slid out.
    const neededWeight = (limit - state.current - 1) / state.previous;
    return Math.max(0, windowMs * (1 - neededWeight) - elapsed);
  }
  // Next window: today's count becomes the weighted previous one.
  const neededWeight = state.current > 0 ? (limit - 1) / state.current : 1;
  return windowMs - elapsed + Math.max(0, windowMs * (1 - neededWeight));
}
