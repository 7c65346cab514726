import { describe, expect, it } from "vitest";
import { constantTimeEqualString, randomId, randomSecret, sha256Hex } from "./crypto";

describe("constantTimeEqualString", () => {
  it("accepts equal strings and refuses different ones of the same or other length", () => {
    expect(constantTimeEqualString("abc", "abc")).toBe(true);
    expect(constantTimeEqualString("abc", "abd")).toBe(false);
    expect(constantTimeEqualString("abc", "ab")).toBe(false);
    expect(constantTimeEqualString("", "a")).toBe(false);
  });
});

describe("random values", () => {
  it("are long enough and never repeat", () => {
    expect(randomSecret()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomId()).toMatch(/^[a-z2-7]{24}$/);
    expect(new Set(Array.from({ length: 100 }, () => randomSecret())).size).toBe(100);
  });
});

describe("sha256Hex", () => {
  it("matches the known digest", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
