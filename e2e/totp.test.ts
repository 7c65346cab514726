import { describe, expect, it } from "vitest";
import { decodeBase32, referenceTotp } from "../test/totp-reference";
import { stepAt } from "./totp";

// The test's own authenticator must be right before it can judge the server's: the reference is
// checked inside workerd by the Worker tests, and here in Node, where the browser tests run it.
describe("the e2e TOTP helper", () => {
  const key = new TextEncoder().encode("12345678901234567890");

  it("matches the RFC 6238 SHA-1 vectors", async () => {
    expect(stepAt(59_000)).toBe(1);
    expect(await referenceTotp(key, 59, 8)).toBe("94287082");
    expect(await referenceTotp(key, 1_111_111_109, 8)).toBe("07081804");
    expect(await referenceTotp(key, 20_000_000_000, 8)).toBe("65353130");
  });

  it("decodes base32 keys as apps do", () => {
    expect(decodeBase32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")).toEqual(key);
    expect(decodeBase32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq")).toEqual(key);
  });
});
