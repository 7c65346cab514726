// For tests only: RFC 6238 (TOTP, HMAC-SHA-1) written from the RFC with WebCrypto, sharing no
// code with the product's generator (@oslojs/otp), so the two can check each other. No imports:
// the Worker tests (inside workerd) and the browser tests' authenticator (Node) both use it.

const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** A base32 key as authenticator apps take it: case, spaces, hyphens and padding ignored. */
export function decodeBase32(text: string): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const symbol of text.replace(/[\s=-]/g, "").toUpperCase()) {
    const value = BASE32_ALPHABET.indexOf(symbol);
    if (value === -1) throw new Error(`not base32: ${symbol}`);
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return new Uint8Array(bytes);
}

/** The TOTP value at `unixSeconds`: HOTP (RFC 4226) of the 30-second counter. */
export async function referenceTotp(key: Uint8Array, unixSeconds: number, digits = 6): Promise<string> {
  const counter = new Uint8Array(8);
  new DataView(counter.buffer).setBigUint64(0, BigInt(Math.floor(unixSeconds / 30)));
  // WebCrypto's types take a view of a plain ArrayBuffer only, and `key` may view any: a copy.
  const keyData = new Uint8Array(key);
  const hmac = { name: "HMAC", hash: "SHA-1" };
  const hmacKey = await crypto.subtle.importKey("raw", keyData, hmac, false, ["sign"]);
  const mac = new DataView(await crypto.subtle.sign("HMAC", hmacKey, counter));
  // Dynamic truncation: the low 4 bits of the last byte pick 4 bytes; the top bit is dropped.
  const offset = mac.getUint8(mac.byteLength - 1) & 0x0f;
  const binary = mac.getUint32(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** The code for TOTP step `step` of a base32 secret, as an authenticator app would show it. */
export function referenceTotpForStep(secretBase32: string, step: number): Promise<string> {
  return referenceTotp(decodeBase32(secretBase32), step * 30);
}
