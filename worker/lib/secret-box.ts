import {
  decodeBase64,
  decodeBase64urlIgnorePadding,
  encodeBase64urlNoPadding,
  encodeHexLowerCase,
} from "@oslojs/encoding";
import { randomBytes } from "./crypto";

/**
 * Encryption at rest for secrets we must read back (TOTP secrets, HMAC secrets, webhooks):
 * AES-256-GCM, a fresh 96-bit IV per value, and the key version in the output so keys can be
 * rotated: `v<version>.<iv>.<ciphertext>` (base64url).
 *
 * Keyed hashes for secrets we only compare (recovery codes): HMAC-SHA-256 under a key derived
 * (HKDF-SHA-256, one key per purpose) from an encryption key, so a leaked table cannot be
 * brute-forced without the secret: `hmac-v<version>:<hex>`.
 *
 * Keys come from the `ENCRYPTION_KEYS` secret: `<version>:<base64 32 bytes>[,<version>:...]`.
 * The highest version encrypts and hashes; every listed version decrypts and verifies.
 */
export interface SecretBox {
  encrypt(plaintext: string, context: string): Promise<string>;
  decrypt(ciphertext: string, context: string): Promise<string>;
  /** The keyed hash of `message` for `purpose`, under the current key version. */
  keyedHash(message: string, purpose: string): Promise<string>;
  /** The keyed hashes of `message` under every listed key version, newest first: what to look up. */
  keyedHashCandidates(message: string, purpose: string): Promise<string[]>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function parseEncryptionKeys(value: string | undefined): Map<number, Uint8Array<ArrayBuffer>> {
  const keys = new Map<number, Uint8Array<ArrayBuffer>>();
  for (const entry of (value ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(":");
    const version = Number(entry.slice(0, separator));
    const key = Uint8Array.from(decodeBase64(entry.slice(separator + 1)));
    if (!Number.isSafeInteger(version) || version < 1 || key.byteLength !== 32) {
      throw new Error("ENCRYPTION_KEYS must be '<version>:<base64 of 32 bytes>', comma separated");
    }
    keys.set(version, key);
  }
  if (keys.size === 0) throw new Error("ENCRYPTION_KEYS is not set");
  return keys;
}

const cache = new Map<string, SecretBox>();

export function secretBox(encryptionKeys: string | undefined): SecretBox {
  const cacheKey = encryptionKeys ?? "";
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const keys = parseEncryptionKeys(encryptionKeys);
  const currentVersion = Math.max(...keys.keys());
  const imported = new Map<number, Promise<CryptoKey>>();
  const key = (version: number) => {
    const raw = keys.get(version);
    if (!raw) throw new Error(`no encryption key version ${version}`);
    let promise = imported.get(version);
    if (!promise) {
      promise = crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
      imported.set(version, promise);
    }
    return promise;
  };
  const hmacKeys = new Map<string, Promise<CryptoKey>>();
  const hmacKey = (version: number, purpose: string) => {
    const raw = keys.get(version);
    if (!raw) throw new Error(`no encryption key version ${version}`);
    const cacheKey = `${version}:${purpose}`;
    let promise = hmacKeys.get(cacheKey);
    if (!promise) {
      // HKDF keeps the HMAC key apart from the AES key made of the same bytes, and one purpose's
      // hashes apart from another's.
      promise = crypto.subtle.importKey("raw", raw, "HKDF", false, ["deriveKey"]).then((base) =>
        crypto.subtle.deriveKey(
          {
            name: "HKDF",
            hash: "SHA-256",
            salt: new Uint8Array(0),
            info: encoder.encode(`seqpulse:${purpose}`),
          },
          base,
          { name: "HMAC", hash: "SHA-256", length: 256 },
          false,
          ["sign"],
        ),
      );
      hmacKeys.set(cacheKey, promise);
    }
    return promise;
  };
  const keyedHashWith = async (version: number, message: string, purpose: string) => {
    const mac = await crypto.subtle.sign("HMAC", await hmacKey(version, purpose), encoder.encode(message));
    return `hmac-v${version}:${encodeHexLowerCase(new Uint8Array(mac))}`;
  };
  const versionsNewestFirst = [...keys.keys()].sort((a, b) => b - a);
  const box: SecretBox = {
    keyedHash: (message, purpose) => keyedHashWith(currentVersion, message, purpose),
    keyedHashCandidates: (message, purpose) =>
      Promise.all(versionsNewestFirst.map((version) => keyedHashWith(version, message, purpose))),
    // `context` (e.g. "totp:<user id>") is bound as additional data: a ciphertext copied to
    // another row or purpose does not decrypt.
    async encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const ciphertext = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: encoder.encode(context) },
        await key(currentVersion),
        encoder.encode(plaintext),
      );
      return `v${currentVersion}.${encodeBase64urlNoPadding(iv)}.${encodeBase64urlNoPadding(new Uint8Array(ciphertext))}`;
    },
    async decrypt(value, context) {
      const [versionText, ivText, ciphertextText] = value.split(".");
      if (!versionText?.startsWith("v") || !ivText || !ciphertextText)
        throw new Error("malformed ciphertext");
      const plaintext = await crypto.subtle.decrypt(
        {
          name: "AES-GCM",
          iv: Uint8Array.from(decodeBase64urlIgnorePadding(ivText)),
          additionalData: encoder.encode(context),
        },
        await key(Number(versionText.slice(1))),
        Uint8Array.from(decodeBase64urlIgnorePadding(ciphertextText)),
      );
      return decoder.decode(plaintext);
    },
  };
  cache.set(cacheKey, box);
  return box;
}
