import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";

export interface RateLimitRule {
  /** Names the limit; keys of different rules never share a counter. */
  name: string;
  limit: number;
  windowSeconds: number;
  /** The subject being limited (client IP, email, user id); null skips the limit. */
  key: (c: Context<AppEnv>) => string | null | Promise<string | null>;
}

/** Calls the rate limiter Durable Object for `rule` and answers 429 when over the limit. */
export async function enforceRateLimit(c: Context<AppEnv>, rule: RateLimitRule): Promise<void> {
  const subject = await rule.key(c);
  if (subject === null) return;
  const stub = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(`${rule.name}:${subject}`));
  const decision = await stub.hit(rule.limit, rule.windowSeconds);
  if (!decision.allowed) {
    throw new ApiError("RATE_LIMITED", "Too many requests; try again later.", {
      headers: { "Retry-After": String(decision.retryAfterSeconds) },
    });
  }
}

export const rateLimit = (rule: RateLimitRule) =>
  createMiddleware<AppEnv>(async (c, next) => {
    await enforceRateLimit(c, rule);
    await next();
  });

/**
 * The client's address as Cloudflare saw it. Cloudflare sets this header itself (a client
 * cannot forge it in production); locally wrangler sets it to the loopback address.
 */
export function clientIp(c: Context<AppEnv>): string {
  return c.req.header("CF-Connecting-IP") ?? "unknown";
}
