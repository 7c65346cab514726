import { scrypt } from "node:crypto";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { randomBytes } from "./crypto";

/**
 * scrypt with N=2^14, r=8, p=5: one of OWASP's listed settings (Password Storage Cheat Sheet).
 * workerd runs node:crypto's scrypt natively; PBKDF2 there is capped at 100,000 iterations,
 * below OWASP's 600,000 for PBKDF2-SHA256. The hash string names its parameters, so they can be
 * raised later and old hashes still verify (and can be re-hashed at the next login).
 */
export const PASSWORD_HASH_PARAMETERS = { N: 2 ** 14, r: 8, p: 5, keyLength: 32 } as const;

function derive(
  password: string,
  salt: Uint8Array,
  params: { N: number; r: number; p: number; keyLength: number },
) {
  return new Promise<Uint8Array>((resolve, reject) => {
    scrypt(
      password.normalize("NFKC"),
      salt,
      params.keyLength,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r },
      (error, key) => (error ? reject(error) : resolve(new Uint8Array(key))),
    );
  });
}

/** `scrypt$N=16384,r=8,p=5$<salt>$<key>` (base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PASSWORD_HASH_PARAMETERS);
  const { N, r, p } = PASSWORD_HASH_PARAMETERS;
  return `scrypt$N=${N},r=${r},p=${p}$${encodeBase64urlNoPadding(salt)}$${encodeBase64urlNoPadding(key)}`;
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  const [scheme, paramText, saltText, keyText] = hash.split("$");
  if (scheme !== "scrypt" || !paramText || !saltText || !keyText) return false;
  const params = Object.fromEntries(paramText.split(",").map((pair) => pair.split("=")));
  const N = Number(params.N);
  const r = Number(params.r);
  const p = Number(params.p);
  if (![N, r, p].every((value) => Number.isSafeInteger(value) && value > 0)) return false;
  const expected = decodeBase64urlIgnorePadding(keyText);
  const actual = await derive(password, decodeBase64urlIgnorePadding(saltText), {
    N,
    r,
    p,
    keyLength: expected.byteLength,
  });
  return constantTimeEqual(actual, expected);
}

/**
 * A valid hash of a random password, computed once per isolate: verifying against it when the
 * email is unknown makes "no such user" cost the same time as "wrong password".
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(encodeBase64urlNoPadding(randomBytes(16)));
  return dummyHash;
}
