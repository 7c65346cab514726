import { describe, expect, it } from "vitest";
import { RATE_LIMITS, subjectOf } from "./rate-limits";

const rows = Object.entries(RATE_LIMITS);

describe("the rate limit table", () => {
  it("gives every row its own counters: no two rows share a rate limiter object", () => {
    // Window rows are named <name>:<key>:..., failure rows <name>:<account>:...|ip:... and <name>:ip:...
    const prefixes = rows.flatMap(([, rule]) =>
      rule.kind === "window"
        ? [`${rule.name}:${rule.key}`]
        : [`${rule.name}:${rule.account}`, `${rule.name}:ip`],
    );
    expect(new Set(prefixes).size).toBe(prefixes.length);
    const guessNames = rows.flatMap(([, rule]) => (rule.kind === "failures" ? [rule.name] : []));
    const windowNames: string[] = rows.flatMap(([, rule]) => (rule.kind === "window" ? [rule.name] : []));
    expect(guessNames.filter((name) => windowNames.includes(name))).toEqual([]);
  });

  it.each(rows)("%s: a positive whole limit and window, and a reason", (_, rule) => {
    expect(rule.why.length).toBeGreaterThan(20);
    if (rule.kind === "window") {
      expect(Number.isInteger(rule.limit) && rule.limit > 0).toBe(true);
      expect(Number.isInteger(rule.windowSeconds) && rule.windowSeconds > 0).toBe(true);
    } else {
      // The address counter adds up every account's failures: it must be the more generous one.
      expect(rule.perAddress.freeFailures).toBeGreaterThan(rule.perAccountAndAddress.freeFailures);
      for (const policy of [rule.perAccountAndAddress, rule.perAddress]) {
        expect(policy.baseDelaySeconds).toBeGreaterThan(0);
        expect(policy.maxDelaySeconds).toBeGreaterThanOrEqual(policy.baseDelaySeconds);
        expect(policy.forgetAfterSeconds).toBeGreaterThanOrEqual(policy.maxDelaySeconds);
      }
    }
  });
});

describe("subjectOf", () => {
  it("prefixes the key, and counts an email in any case as one mailbox", () => {
    expect(subjectOf("email", "Ann@Example.COM")).toBe("email:ann@example.com");
    expect(subjectOf("user", "Ab12")).toBe("user:Ab12");
    expect(subjectOf("ip", "203.0.113.7")).toBe("ip:203.0.113.7");
  });
});
