import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { FailurePolicy } from "../durable-objects/rate-limiter";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import type { GuessCounter } from "../lib/guess-counter";
import {
  type AddressRule,
  type SubjectRule,
  subjectOf,
  type TableGuessRule,
  type TableWindowRule,
} from "../lib/rate-limits";

// The rules themselves (limits, windows, keys, reasons) are the rows of `lib/rate-limits.ts`;
// these functions accept only those rows.

/** Calls the rate limiter Durable Object for `rule` and answers 429 when over the limit. */
export async function enforceRateLimit(c: Context<AppEnv>, rule: AddressRule): Promise<void>;
export async function enforceRateLimit(c: Context<AppEnv>, rule: SubjectRule, subject: string): Promise<void>;
export async function enforceRateLimit(
  c: Context<AppEnv>,
  rule: TableWindowRule,
  subject?: string,
): Promise<void> {
  const value = rule.key === "ip" ? clientIp(c) : subject;
  if (value === undefined) throw new Error(`rate limit ${rule.name} needs a ${rule.key}`);
  const stub = c.env.RATE_LIMITER.get(
    c.env.RATE_LIMITER.idFromName(`${rule.name}:${subjectOf(rule.key, value)}`),
  );
  const decision = await stub.hit(rule.limit, rule.windowSeconds);
  if (!decision.allowed) {
    throw new ApiError("RATE_LIMITED", "Too many requests; try again later.", {
      headers: { "Retry-After": String(decision.retryAfterSeconds) },
    });
  }
}

/** `enforceRateLimit` as middleware, for rules counted per client address. */
export const rateLimit = (rule: AddressRule) =>
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

/** Only `guessLimits` makes a FailureLimit, so every failure counter comes from a table row. */
const fromTable = Symbol("rate limit table row");

/** One counter of failures: `name` and `subject` pick the rate limiter object. */
export interface FailureLimit {
  readonly name: string;
  readonly subject: string;
  readonly policy: FailurePolicy;
  readonly [fromTable]: true;
}

/**
 * The failure counters of a secret guessed for `account` (an email or a user id, as `rule`
 * says) from the caller's address: per account and address, then per address.
 */
export function guessLimits(
  c: Context<AppEnv>,
  rule: TableGuessRule,
  account: string,
): [FailureLimit, FailureLimit] {
  const address = subjectOf("ip", clientIp(c));
  return [
    {
      name: rule.name,
      subject: `${subjectOf(rule.account, account)}|${address}`,
      policy: rule.perAccountAndAddress,
      [fromTable]: true,
    },
    { name: rule.name, subject: address, policy: rule.perAddress, [fromTable]: true },
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

/** `guessLimits` for `rule` and `account`, behind the interface the sign-in flows take. */
export function guessCounter(c: Context<AppEnv>, rule: TableGuessRule, account: string): GuessCounter {
  const limits = guessLimits(c, rule, account);
  return {
    check: () => enforceFailureLimits(c, limits),
    recordFailure: () => recordFailure(c, limits),
    clear: () => clearFailures(c, limits[0]),
  };
}
