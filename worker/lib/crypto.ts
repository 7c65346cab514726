import { constantTimeEqual } from "@oslojs/crypto/subtle";
import {
  encodeBase32LowerCaseNoPadding,
  encodeBase64urlNoPadding,
  encodeHexLowerCase,
} from "@oslojs/encoding";

const encoder = new TextEncoder();

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** A random identifier safe in URLs, cookies and file names (base32, lower case). */
export function randomId(bytes = 15): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(bytes));
}

/** A random secret of `bytes` bytes (default 32 = 256 bits), base64url. */
export function randomSecret(bytes = 32): string {
  return encodeBase64urlNoPadding(randomBytes(bytes));
}

export async function sha256Hex(value: string): Promise<string> {
  return encodeHexLowerCase(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(value))));
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqualString(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  if (left.byteLength !== right.byteLength) return false;
  return constantTimeEqual(left, right);
}
