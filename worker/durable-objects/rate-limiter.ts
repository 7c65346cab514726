import { DurableObject } from "cloudflare:workers";

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until a request would be allowed again (0 when allowed). */
  retryAfterSeconds: number;
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

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
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
