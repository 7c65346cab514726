import { describe, expect, it } from "vitest";
import { secretBox } from "./secret-box";

const KEY_1 = `1:${btoa(String.fromCharCode(...new Uint8Array(32).fill(1)))}`;
const KEY_2 = `2:${btoa(String.fromCharCode(...new Uint8Array(32).fill(2)))}`;

describe("keyed hashes", () => {
  it("are HMACs named by key version, stable for one key, and differ by key and purpose", async () => {
    const box = secretBox(KEY_1);
    const hash = await box.keyedHash("user:ABCDEFGHJK", "recovery-code");
    expect(hash).toMatch(/^hmac-v1:[0-9a-f]{64}$/);
    expect(await box.keyedHash("user:ABCDEFGHJK", "recovery-code")).toBe(hash);
    expect(await box.keyedHash("user:ABCDEFGHJK", "another-purpose")).not.toBe(hash);
    expect(await box.keyedHash("user:ABCDEFGHJL", "recovery-code")).not.toBe(hash);
    const otherKey = secretBox(`1:${btoa(String.fromCharCode(...new Uint8Array(32).fill(3)))}`);
    expect(await otherKey.keyedHash("user:ABCDEFGHJK", "recovery-code")).not.toBe(hash);
  });

  it("survive a key rotation: the new key hashes, every listed key is a candidate", async () => {
    const before = await secretBox(KEY_1).keyedHash("m", "recovery-code");
    const rotated = secretBox(`${KEY_1},${KEY_2}`);
    const after = await rotated.keyedHash("m", "recovery-code");
    expect(after).toMatch(/^hmac-v2:/);
    expect(await rotated.keyedHashCandidates("m", "recovery-code")).toEqual([after, before]);
  });
});
