import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { describe, expect, it } from "vitest";
import { decodeBase32, referenceTotp } from "../../../test/totp-reference";
import {
  generateRecoveryCode,
  isRecoveryCodeShape,
  matchingTotpStep,
  normaliseRecoveryCode,
  RECOVERY_CODE_ALPHABET,
  totpCodeForStep,
  totpStepAt,
} from "./two-factor";

// RFC 6238 Appendix B, SHA-1 rows: the ASCII secret "12345678901234567890", 8 digits.
const RFC_SECRET = new TextEncoder().encode("12345678901234567890");
const RFC_VECTORS: Array<[number, string]> = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("TOTP generation", () => {
  it.each(RFC_VECTORS)("matches RFC 6238 Appendix B at T=%i (8 digits)", async (time, expected) => {
    const step = totpStepAt(new Date(time * 1000));
    expect(totpCodeForStep(RFC_SECRET, step, 8)).toBe(expected);
    // The reference used by the route tests agrees with the RFC too.
    expect(await referenceTotp(RFC_SECRET, time, 8)).toBe(expected);
    // Our 6-digit codes are the same value modulo 10^6.
    expect(totpCodeForStep(RFC_SECRET, step)).toBe(expected.slice(2));
  });

  it("decodes base32 the way the otpauth URI encodes it", () => {
    const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    expect(decodeBase32(secret)).toEqual(RFC_SECRET);
    expect(decodeBase32IgnorePadding(secret)).toEqual(RFC_SECRET);
  });
});

describe("matchingTotpStep", () => {
  const now = new Date(1_700_000_015_000);
  const step = totpStepAt(now);

  it("answers the step of a code within one step of now", () => {
    for (const offset of [-1, 0, 1]) {
      expect(matchingTotpStep(RFC_SECRET, totpCodeForStep(RFC_SECRET, step + offset), now)).toBe(
        step + offset,
      );
    }
  });

  it("refuses codes two steps away, wrong codes and codes of another length", () => {
    expect(matchingTotpStep(RFC_SECRET, totpCodeForStep(RFC_SECRET, step - 2), now)).toBeNull();
    expect(matchingTotpStep(RFC_SECRET, totpCodeForStep(RFC_SECRET, step + 2), now)).toBeNull();
    const valid = new Set([-1, 0, 1].map((offset) => totpCodeForStep(RFC_SECRET, step + offset)));
    const wrong = ["000000", "111111", "123456", "999999"].find((code) => !valid.has(code))!;
    expect(matchingTotpStep(RFC_SECRET, wrong, now)).toBeNull();
    const right = totpCodeForStep(RFC_SECRET, step);
    expect(matchingTotpStep(RFC_SECRET, right.slice(0, 5), now)).toBeNull();
    expect(matchingTotpStep(RFC_SECRET, `${right}0`, now)).toBeNull();
    expect(matchingTotpStep(RFC_SECRET, "", now)).toBeNull();
  });
});

describe("recovery codes", () => {
  it("look like XXXX-XXXX-XX from the unambiguous alphabet, and do not repeat", () => {
    const codes = Array.from({ length: 2000 }, generateRecoveryCode);
    for (const code of codes) {
      expect(code).toMatch(/^[23456789A-HJ-NP-Z]{4}-[23456789A-HJ-NP-Z]{4}-[23456789A-HJ-NP-Z]{2}$/);
    }
    expect(new Set(codes).size).toBe(codes.length);
    // Every symbol shows up: no symbol of the 32 is unreachable.
    expect(new Set(codes.join("").replace(/-/g, "")).size).toBe(RECOVERY_CODE_ALPHABET.length);
    expect(RECOVERY_CODE_ALPHABET).toHaveLength(32);
  });

  it("normalise case, spaces and dashes, and refuse other shapes", () => {
    expect(normaliseRecoveryCode(" abcd-efgh-jk ")).toBe("ABCDEFGHJK");
    expect(isRecoveryCodeShape("abcd efgh jk")).toBe(true);
    expect(isRecoveryCodeShape("ABCDEFGHJK")).toBe(true);
    expect(isRecoveryCodeShape("ABCD-EFGH-J")).toBe(false);
    expect(isRecoveryCodeShape("ABCD-EFGH-JKL")).toBe(false);
    // 0, 1, I and O are not in the alphabet.
    expect(isRecoveryCodeShape("ABCD-EFGH-J0")).toBe(false);
    expect(isRecoveryCodeShape("ABCD-EFGH-JI")).toBe(false);
    expect(isRecoveryCodeShape("123456")).toBe(false);
  });
});
