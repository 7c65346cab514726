import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
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
const windowStub = () =>
  env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`test-window:${crypto.randomUUID()}`));

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * The start of a fixed window a minute or two ahead of the real clock. Every method takes the
 * clock as its last argument; the idle alarm is set from it (two windows later), so it stays in
 * the future and never fires in the middle of a test, while the window maths sees exact offsets.
 */
function windowStart(): number {
  return Math.ceil(Date.now() / MINUTE) * MINUTE + MINUTE;
}

const alarmOf = (stub: ReturnType<typeof windowStub>) =>
  runInDurableObject(stub, (_, state) => state.storage.getAlarm());

describe("RateLimiter window", () => {
  it("slides: two allowed at t and t+30 s, the third refused at t+61 s until half a window has slid out", async () => {
    const stub = windowStub();
    const t = windowStart();
    expect(await stub.hit(2, 60, t)).toEqual({ allowed: true, limit: 2, remaining: 1, retryAfterSeconds: 0 });
    expect(await stub.hit(2, 60, t + 30 * SECOND)).toEqual({
      allowed: true,
      limit: 2,
      remaining: 0,
      retryAfterSeconds: 0,
    });
    // The fixed window turned at t+60 s, but the previous one still weighs 59/60: 2 × 59/60 + 1 > 2.
    // It weighs 1/2 at t+90 s, and then one more request fits.
    expect(await stub.hit(2, 60, t + 61 * SECOND)).toEqual({
      allowed: false,
      limit: 2,
      remaining: 0,
      retryAfterSeconds: 29,
    });
    expect(await stub.hit(2, 60, t + 89 * SECOND)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    // The refused requests counted nothing: this one fits.
    expect(await stub.hit(2, 60, t + 90 * SECOND)).toMatchObject({ allowed: true, remaining: 0 });
    expect((await stub.hit(2, 60, t + 90 * SECOND)).allowed).toBe(false);
  });

  it("refuses the burst a fixed window would allow at its boundary", async () => {
    const stub = windowStub();
    const t = windowStart();
    expect((await stub.hit(2, 60, t + 58 * SECOND)).allowed).toBe(true);
    expect((await stub.hit(2, 60, t + 59 * SECOND)).allowed).toBe(true);
    expect((await stub.hit(2, 60, t + 61 * SECOND)).allowed).toBe(false);
  });

  it("forgets the count once the window it fell in has fully slid out", async () => {
    const stub = windowStub();
    const t = windowStart();
    await stub.hit(2, 60, t);
    await stub.hit(2, 60, t + SECOND);
    expect((await stub.hit(2, 60, t + 2 * SECOND)).allowed).toBe(false);
    expect(await stub.hit(2, 60, t + 120 * SECOND)).toEqual({
      allowed: true,
      limit: 2,
      remaining: 1,
      retryAfterSeconds: 0,
    });
    expect((await stub.hit(2, 60, t + 120 * SECOND)).allowed).toBe(true);
    expect((await stub.hit(2, 60, t + 120 * SECOND)).allowed).toBe(false);
  });

  it.each([
    { limit: 2, windowSeconds: 60, hits: [0, 30], refusedAt: 45, retryAfter: 45 },
    { limit: 2, windowSeconds: 60, hits: [0, 30], refusedAt: 61, retryAfter: 29 },
    { limit: 5, windowSeconds: 60, hits: [10, 20, 30, 40, 50], refusedAt: 55, retryAfter: 17 },
    { limit: 3, windowSeconds: 10, hits: [0, 1, 2], refusedAt: 3, retryAfter: 11 },
  ])(
    "$limit per $windowSeconds s, hits at $hits s, refused at $refusedAt s: Retry-After $retryAfter is the first whole second that lets one through",
    async ({ limit, windowSeconds, hits, refusedAt, retryAfter }) => {
      const t = windowStart();
      const at = (seconds: number) => t + seconds * SECOND;
      // The same history on a fresh key for each probe: an allowed probe would count.
      const replay = async () => {
        const stub = windowStub();
        for (const offset of hits)
          expect((await stub.hit(limit, windowSeconds, at(offset))).allowed).toBe(true);
        return stub;
      };
      expect(await (await replay()).hit(limit, windowSeconds, at(refusedAt))).toEqual({
        allowed: false,
        limit,
        remaining: 0,
        retryAfterSeconds: retryAfter,
      });
      const tooEarly = await (await replay()).hit(limit, windowSeconds, at(refusedAt + retryAfter - 1));
      expect(tooEarly.allowed).toBe(false);
      const onTime = await (await replay()).hit(limit, windowSeconds, at(refusedAt + retryAfter));
      expect(onTime.allowed).toBe(true);
    },
  );

  it("keeps one count per key: a full key does not slow another down", async () => {
    const full = windowStub();
    const other = windowStub();
    const t = windowStart();
    await full.hit(2, 60, t);
    await full.hit(2, 60, t);
    expect((await full.hit(2, 60, t)).allowed).toBe(false);
    expect(await other.hit(2, 60, t)).toEqual({
      allowed: true,
      limit: 2,
      remaining: 1,
      retryAfterSeconds: 0,
    });
  });

  it("sets its alarm two windows ahead, moves it with the window, and forgets everything when it fires", async () => {
    const stub = windowStub();
    const t = windowStart();
    expect(await alarmOf(stub)).toBeNull();
    await stub.hit(2, 60, t);
    expect(await alarmOf(stub)).toBe(t + 2 * MINUTE);
    await stub.hit(2, 60, t + 61 * SECOND);
    expect(await alarmOf(stub)).toBe(t + 3 * MINUTE);
    // Without the alarm, 1 × 58/60 + 1 + 1 > 2 would refuse this; after it, the key is new.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await runInDurableObject(stub, async (_, state) => (await state.storage.list()).size)).toBe(0);
    expect(await stub.hit(2, 60, t + 62 * SECOND)).toMatchObject({ allowed: true, remaining: 1 });
  });
});

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
