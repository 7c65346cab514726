import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { FailurePolicy } from "./rate-limiter";

const policy: FailurePolicy = {
  freeFailures: 2,
  baseDelaySeconds: 1,
  maxDelaySeconds: 8,
  forgetAfterSeconds: 60,
};
const freshStub = () =>
  env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`test-failures:${crypto.randomUUID()}`));

describe("RateLimiter failures", () => {
  it("lets the free failures through, then doubles the wait per failure up to the cap", async () => {
    const stub = freshStub();
    // A clock near the real one: the forgetting alarm is set from it, and one in the past fires at once.
    const t = Date.now();
    expect(await stub.checkFailures(t)).toEqual({ allowed: true, failures: 0, retryAfterSeconds: 0 });
    expect((await stub.recordFailure(policy, t)).allowed).toBe(true);
    expect((await stub.recordFailure(policy, t)).allowed).toBe(true);
    expect(await stub.recordFailure(policy, t)).toEqual({
      allowed: false,
      failures: 3,
      retryAfterSeconds: 1,
    });
    expect((await stub.checkFailures(t + 999)).allowed).toBe(false);
    expect((await stub.checkFailures(t + 1000)).allowed).toBe(true);
    // A check counts nothing: the next failure is the fourth.
    const waits: number[] = [];
    let now = t + 1000;
    for (let i = 0; i < 5; i++) {
      const decision = await stub.recordFailure(policy, now);
      waits.push(decision.retryAfterSeconds);
      now += decision.retryAfterSeconds * 1000;
    }
    expect(waits).toEqual([2, 4, 8, 8, 8]);
  });

  it("forgets the failures after a success, and after the idle period (alarm)", async () => {
    const stub = freshStub();
    const t = Date.now();
    for (let i = 0; i < 3; i++) await stub.recordFailure(policy, t);
    expect((await stub.checkFailures(t)).allowed).toBe(false);
    await stub.clearFailures();
    expect(await stub.checkFailures(t)).toEqual({ allowed: true, failures: 0, retryAfterSeconds: 0 });

    for (let i = 0; i < 3; i++) await stub.recordFailure(policy, Date.now());
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await stub.checkFailures()).failures).toBe(0);
  });
});
