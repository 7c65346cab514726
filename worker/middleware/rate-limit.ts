import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { FailurePolicy } from "../durable-objects/rate-limiter";
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

// ---- Guessing a secret: only failures count ----

/** One counter of failures: `name` and `subject` pick the rate limiter object. */
export interface FailureLimit {
  name: string;
  subject: string;
  policy: FailurePolicy;
}

/**
 * For one account from one address: five free failures, then 1 s, 2 s, 4 s ... up to 15 minutes
 * between tries, forgotten an hour after the last failure.
 */
export const PER_ACCOUNT_AND_ADDRESS: FailurePolicy = {
  freeFailures: 5,
  baseDelaySeconds: 1,
  maxDelaySeconds: 15 * 60,
  forgetAfterSeconds: 60 * 60,
};

/** For one address, whatever the account (password spraying): generous, then the same delays. */
export const PER_ADDRESS: FailurePolicy = {
  freeFailures: 20,
  baseDelaySeconds: 1,
  maxDelaySeconds: 15 * 60,
  forgetAfterSeconds: 60 * 60,
};

/**
 * The failure counters of a secret (`name`: "login", "2fa-login") guessed for `account` from the
 * caller's address: per account and address, then per address. Nothing is counted per account
 * alone: a stranger's wrong guesses from elsewhere must never lock the owner out.
 */
export function guessLimits(c: Context<AppEnv>, name: string, account: string): [FailureLimit, FailureLimit] {
  const address = `ip:${clientIp(c)}`;
  return [
    { name: `${name}-failures`, subject: `${account}|${address}`, policy: PER_ACCOUNT_AND_ADDRESS },
    { name: `${name}-failures`, subject: address, policy: PER_ADDRESS },
  ];
}

const failureStub = (c: Context<AppEnv>, limit: FailureLimit) =>
  c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(`${limit.name}:${limit.subject}`));

/** 429 with Retry-After while any of `limits` makes the caller wait; counts nothing. Call before verifying. */
export async function enforceFailureLimits(c: Context<AppEnv>, limits: FailureLimit[]): Promise<void> {
  const decisions = await Promise.all(limits.map((limit) => failureStub(c, limit).checkFailures()));
  const wait = Math.max(0, ...decisions.map((decision) => decision.retryAfterSeconds));
  if (decisions.some((decision) => !decision.allowed)) {
    throw new ApiError("RATE_LIMITED", "Too many failed attempts; try again later.", {
      headers: { "Retry-After": String(Math.max(1, wait)) },
    });
  }
}

/** Counts a failed guess on every one of `limits`. */
export async function recordFailure(c: Context<AppEnv>, limits: FailureLimit[]): Promise<void> {
  await Promise.all(limits.map((limit) => failureStub(c, limit).recordFailure(limit.policy)));
}

/** After a right guess: this account and address start afresh (the address's own count stays). */
export async function clearFailures(c: Context<AppEnv>, limit: FailureLimit): Promise<void> {
  await failureStub(c, limit).clearFailures();
}
