import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { type Context, Hono } from "hono";
import { describe, expect, it } from "vitest";
import { uniqueClientIp } from "../../test/helpers";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import { RATE_LIMITS } from "../lib/rate-limits";
import { enforceFailureLimits, enforceRateLimit, guessLimits, rateLimit } from "./rate-limit";

// The limiter functions alone, on a bare app: the routes' own tests show each limit in place.
const app = new Hono<AppEnv>();
app.onError((error, c) =>
  error instanceof ApiError
    ? c.json({ code: error.code }, error.status, error.headers)
    : c.json({ code: "INTERNAL" }, 500),
);
app.post("/per-address", rateLimit(RATE_LIMITS.signupPerIp), (c) => c.text("ok"));
app.post("/per-email/:email", async (c) => {
  await enforceRateLimit(c, RATE_LIMITS.signupPerEmail, c.req.param("email"));
  return c.text("ok");
});
app.get("/guesses/:email", (c) => {
  const limits = guessLimits(c, RATE_LIMITS.loginGuesses, c.req.param("email"));
  return c.json(limits.map(({ name, subject, policy }) => ({ name, subject, policy })));
});

const post = (path: string, ip: string) =>
  app.request(path, { method: "POST", headers: { "CF-Connecting-IP": ip } }, env);

const countOf = (objectName: string) =>
  runInDurableObject(env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(objectName)), (_, state) =>
    state.storage.get<{ current: number }>("window"),
  );

describe("enforceRateLimit", () => {
  it("counts an address rule per client address: 429 with Retry-After past its limit, other addresses unaffected", async () => {
    const ip = uniqueClientIp();
    const { limit } = RATE_LIMITS.signupPerIp;
    for (let i = 0; i < limit; i++) expect((await post("/per-address", ip)).status).toBe(200);
    const refused = await post("/per-address", ip);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ code: "RATE_LIMITED" });
    const retryAfter = Number(refused.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2 * RATE_LIMITS.signupPerIp.windowSeconds);
    expect((await post("/per-address", uniqueClientIp())).status).toBe(200);
  });

  it("keeps each counter in the object named <rule>:<key>:<subject>, emails in lower case", async () => {
    const mailbox = `${crypto.randomUUID()}@example.com`;
    await post(`/per-email/${encodeURIComponent(mailbox.toUpperCase())}`, uniqueClientIp());
    await post(`/per-email/${encodeURIComponent(mailbox)}`, uniqueClientIp());
    expect((await countOf(`signup:email:${mailbox}`))?.current).toBe(2);
    // Same rule name, other key: its own counter, untouched.
    const ip = uniqueClientIp();
    await post("/per-address", ip);
    expect((await countOf(`signup:ip:${ip}`))?.current).toBe(1);
  });
});

describe("guessLimits", () => {
  it("names the counters per account and address, and per address, with the row's policies", async () => {
    const ip = uniqueClientIp();
    const response = await app.request(
      "/guesses/Ann@Example.com",
      { headers: { "CF-Connecting-IP": ip } },
      env,
    );
    expect(await response.json()).toEqual([
      {
        name: "login-failures",
        subject: `email:ann@example.com|ip:${ip}`,
        policy: RATE_LIMITS.loginGuesses.perAccountAndAddress,
      },
      { name: "login-failures", subject: `ip:${ip}`, policy: RATE_LIMITS.loginGuesses.perAddress },
    ]);
  });
});

/**
 * Never called: `npm run typecheck` holds these lines. The limiter takes only rows of the table,
 * so a limit cannot be written at a call site; each `@ts-expect-error` fails the typecheck the
 * day the line it guards compiles.
 */
async function _onlyTableRowsCompile(c: Context<AppEnv>) {
  const inline = {
    kind: "window",
    name: "signup",
    limit: 50,
    windowSeconds: 60,
    key: "ip",
    why: "",
  } as const;
  const loosened = { ...RATE_LIMITS.signupPerIp, limit: 50 };
  const forged = [
    { name: "login-failures", subject: "ip:203.0.113.7", policy: RATE_LIMITS.loginGuesses.perAddress },
  ];
  // @ts-expect-error a rule written at the call site is not a row of the table
  await enforceRateLimit(c, inline);
  // @ts-expect-error a row's numbers cannot be changed on the way
  await enforceRateLimit(c, loosened);
  // @ts-expect-error a per-user row needs the user
  await enforceRateLimit(c, RATE_LIMITS.backtestPerUser);
  // @ts-expect-error a per-address row reads the address itself
  await enforceRateLimit(c, RATE_LIMITS.healthPerIp, "203.0.113.7");
  // @ts-expect-error a guessed secret is not a window rule
  await enforceRateLimit(c, RATE_LIMITS.loginGuesses, "ann@example.com");
  // @ts-expect-error failure counters come from guessLimits only
  await enforceFailureLimits(c, forged);
}
