import { constantTimeEqualString } from "../../lib/crypto";
import { secretBox } from "../../lib/secret-box";
import { type OptionalEmailCategory, optionalEmailCategories } from "./types";

const PURPOSE = "email-unsubscribe";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A link that turns one category of mail off for one user, without a session and without a
 * stored secret: `<user id>.<category>.<key version>.<HMAC-SHA-256 hex>`, keyed by a key derived
 * from ENCRYPTION_KEYS (worker/lib/secret-box.ts). It does not expire (mail is read late), and
 * all it can do is switch a category off.
 */
export async function unsubscribeToken(
  encryptionKeys: string | undefined,
  userId: string,
  category: OptionalEmailCategory,
): Promise<string> {
  const hash = await secretBox(encryptionKeys).keyedHash(`${userId}:${category}`, PURPOSE);
  const match = /^hmac-v(\d+):([0-9a-f]+)$/.exec(hash);
  if (!match) throw new Error("unexpected keyed hash format");
  return `${userId}.${category}.${match[1]}.${match[2]}`;
}

/** The user and category a token names, or null for anything forged, altered or malformed. */
export async function verifyUnsubscribeToken(
  encryptionKeys: string | undefined,
  token: string,
): Promise<{ userId: string; category: OptionalEmailCategory } | null> {
  if (token.length > 200) return null;
  const [userId, category, version, mac, ...rest] = token.split(".");
  if (rest.length > 0 || !userId || !category || !version || !mac) return null;
  if (!UUID.test(userId) || !/^\d{1,6}$/.test(version) || !/^[0-9a-f]{64}$/.test(mac)) return null;
  if (!(optionalEmailCategories as readonly string[]).includes(category)) return null;
  const presented = `hmac-v${version}:${mac}`;
  const candidates = await secretBox(encryptionKeys).keyedHashCandidates(`${userId}:${category}`, PURPOSE);
  // Every candidate is compared (no early exit), each in constant time.
  let valid = false;
  for (const candidate of candidates) valid = constantTimeEqualString(candidate, presented) || valid;
  return valid ? { userId, category: category as OptionalEmailCategory } : null;
}
