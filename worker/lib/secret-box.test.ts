import { describe, expect, it } from "vitest";
import { parseEncryptionKeys, secretBox } from "./secret-box";

const KEY_1 = `1:${btoa(String.fromCharCode(...new Uint8Array(32).fill(1)))}`;
const KEY_2 = `2:${btoa(String.fromCharCode(...new Uint8Array(32).fill(2)))}`;

/** `v<version>.<iv>.<ciphertext>` with one character of the named part changed. */
function tamperedPart(value: string, part: 1 | 2): string {
  const parts = value.split(".");
  const text = parts[part]!;
  parts[part] = `${text.slice(0, -2)}${text.at(-2) === "A" ? "B" : "A"}${text.slice(-1)}`;
  return parts.join(".");
}

describe("encryption", () => {
  it("decrypts what it encrypted, with the same context, and never repeats a ciphertext", async () => {
    const box = secretBox(KEY_1);
    const sealed = await box.encrypt("JBSWY3DPEHPK3PXP", "totp:user-a");
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(await box.encrypt("JBSWY3DPEHPK3PXP", "totp:user-a")).not.toBe(sealed);
    expect(await box.decrypt(sealed, "totp:user-a")).toBe("JBSWY3DPEHPK3PXP");
  });

  it("refuses a ciphertext under another context: copied to another row or purpose, it does not decrypt", async () => {
    const box = secretBox(KEY_1);
    const sealed = await box.encrypt("secret", "totp:user-a");
    await expect(box.decrypt(sealed, "totp:user-b")).rejects.toThrow();
    await expect(box.decrypt(sealed, "hmac:user-a")).rejects.toThrow();
    await expect(box.decrypt(sealed, "")).rejects.toThrow();
    expect(await box.decrypt(sealed, "totp:user-a")).toBe("secret");
  });

  it("refuses a tampered ciphertext, IV or key version, and a malformed value", async () => {
    const box = secretBox(`${KEY_1},${KEY_2}`);
    const sealed = await box.encrypt("secret", "hmac:project");
    await expect(box.decrypt(tamperedPart(sealed, 2), "hmac:project")).rejects.toThrow();
    await expect(box.decrypt(tamperedPart(sealed, 1), "hmac:project")).rejects.toThrow();
    // Claimed under the other listed key: the tag does not verify.
    await expect(box.decrypt(sealed.replace(/^v2\./, "v1."), "hmac:project")).rejects.toThrow();
    const [version, iv, ciphertext] = sealed.split(".");
    await expect(
      box.decrypt(`${version}.${iv}.${ciphertext!.slice(0, -4)}`, "hmac:project"),
    ).rejects.toThrow();
    for (const malformed of [
      "",
      "secret",
      `${iv}.${ciphertext}`,
      `x2.${iv}.${ciphertext}`,
      `${version}..${ciphertext}`,
    ]) {
      await expect(box.decrypt(malformed, "hmac:project"), malformed).rejects.toThrow("malformed ciphertext");
    }
    expect(await box.decrypt(sealed, "hmac:project")).toBe("secret");
  });

  it("survives a key rotation: old values still decrypt, new ones use the highest version", async () => {
    const old = await secretBox(KEY_1).encrypt("before rotation", "totp:user-a");
    // Listed in any order, the highest version encrypts.
    for (const keys of [`${KEY_1},${KEY_2}`, `${KEY_2},${KEY_1}`]) {
      const rotated = secretBox(keys);
      expect(await rotated.decrypt(old, "totp:user-a")).toBe("before rotation");
      const fresh = await rotated.encrypt("after rotation", "totp:user-a");
      expect(fresh).toMatch(/^v2\./);
      expect(await rotated.decrypt(fresh, "totp:user-a")).toBe("after rotation");
    }
  });

  it("refuses, by name, a value under a key version no longer listed (or not yet known)", async () => {
    const old = await secretBox(KEY_1).encrypt("before rotation", "totp:user-a");
    await expect(secretBox(KEY_2).decrypt(old, "totp:user-a")).rejects.toThrow("no encryption key version 1");
    const fresh = await secretBox(`${KEY_1},${KEY_2}`).encrypt("after rotation", "totp:user-a");
    await expect(secretBox(KEY_1).decrypt(fresh, "totp:user-a")).rejects.toThrow(
      "no encryption key version 2",
    );
  });
});

describe("ENCRYPTION_KEYS", () => {
  it("lists versions and 32-byte keys, and refuses anything else", () => {
    expect([...parseEncryptionKeys(` ${KEY_1} , ${KEY_2} `).keys()]).toEqual([1, 2]);
    const short = btoa(String.fromCharCode(...new Uint8Array(16)));
    const full = KEY_1.slice(2);
    for (const bad of [`1:${short}`, `0:${full}`, `-1:${full}`, `x:${full}`, `1.5:${full}`, full]) {
      expect(() => parseEncryptionKeys(bad), bad).toThrow("ENCRYPTION_KEYS must be");
    }
    expect(() => parseEncryptionKeys(undefined)).toThrow("ENCRYPTION_KEYS is not set");
    expect(() => parseEncryptionKeys(" , ")).toThrow("ENCRYPTION_KEYS is not set");
  });
});

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
