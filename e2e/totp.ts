// TOTP (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits) computed in the test process, the way an
// authenticator app would, from the setup key the page shows.
import { createHmac } from "node:crypto";

export const STEP_MS = 30_000;

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=-]/g, "").toUpperCase();
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of clean) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

export function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac("sha1", key).update(message).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const binary = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

export const stepAt = (ms: number) => Math.floor(ms / STEP_MS);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A code for the current step, once the step is later than `after` (the server refuses a
 * second code from a step it already accepted) and at least `minRemainingMs` from its end (so
 * that it is still current when it reaches the server).
 */
export async function freshCode(
  secret: string,
  options: { after?: number; minRemainingMs?: number } = {},
): Promise<{ code: string; step: number }> {
  const { after, minRemainingMs = 3000 } = options;
  const key = base32Decode(secret);
  for (;;) {
    const now = Date.now();
    const step = stepAt(now);
    const nextStepAt = (step + 1) * STEP_MS;
    if ((after === undefined || step > after) && nextStepAt - now >= minRemainingMs) {
      return { code: hotp(key, step), step };
    }
    await sleep(nextStepAt - now + 50);
  }
}
