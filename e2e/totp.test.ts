import { describe, expect, it } from "vitest";
import { base32Decode, hotp, stepAt } from "./totp";

// The test's own authenticator must be right before it can judge the server's.
describe("the e2e TOTP helper", () => {
  it("matches the RFC 6238 SHA-1 vectors", () => {
    const key = Buffer.from("12345678901234567890", "ascii");
    expect(hotp(key, stepAt(59_000), 8)).toBe("94287082");
    expect(hotp(key, stepAt(1_111_111_109_000), 8)).toBe("07081804");
    expect(hotp(key, stepAt(20_000_000_000_000), 8)).toBe("65353130");
  });

  it("decodes base32 keys as apps do", () => {
    expect(base32Decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").toString("ascii")).toBe("12345678901234567890");
    expect(base32Decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").toString("ascii")).toBe(
      "12345678901234567890",
    );
  });
});
