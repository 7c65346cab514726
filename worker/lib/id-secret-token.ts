// Tokens `<id>.<secret>` (sessions, sign-in challenges): the id finds the row, the 256-bit
// secret proves possession, and only the secret's SHA-256 is stored, so a copy of the table
// signs no one in.
import { constantTimeEqualString, randomId, randomSecret, sha256Hex } from "./crypto";

/** `randomId()` + "." + `randomSecret()` (base32 lower case, base64url), with room to spare. */
const ID_SECRET_SHAPE = /^([a-z2-7]{1,64})\.([A-Za-z0-9_-]{1,128})$/;

/** A new token, and the hash to store beside its id. */
export async function newIdSecretToken(): Promise<{ id: string; token: string; secretHash: string }> {
  const id = randomId();
  const secret = randomSecret();
  return { id, token: `${id}.${secret}`, secretHash: await sha256Hex(secret) };
}

/** The id and secret of a token of the shape we issue; null for anything else, without a query. */
export function parseIdSecretToken(token: string): { id: string; secret: string } | null {
  const [, id, secret] = ID_SECRET_SHAPE.exec(token) ?? [];
  return id && secret ? { id, secret } : null;
}

/** Whether `secret` is the one whose hash was stored; compared in constant time. */
export async function secretMatchesHash(secret: string, secretHash: string): Promise<boolean> {
  return constantTimeEqualString(await sha256Hex(secret), secretHash);
}
