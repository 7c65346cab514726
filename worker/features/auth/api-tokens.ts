import type { Database } from "../../../db/client";
import {
  deleteApiToken,
  findActiveApiToken,
  insertApiToken,
  listApiTokens,
  touchApiToken,
} from "../../../db/queries/api-tokens";
import { randomId, randomSecret, sha256Hex } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { secretMatchesHash } from "../../lib/id-secret-token";

/** Personal API tokens look like `spt_<id>_<secret>`: recognisable in logs and secret scanners. */
const TOKEN_PREFIX = "spt_";
const TOUCH_INTERVAL_MS = 60 * 1000;

/** `spt_` + `randomId(10)` (base32, lower case) + `_` + `randomSecret()` (base64url). */
const API_TOKEN_SHAPE = /^spt_([a-z2-7]{1,64})_([A-Za-z0-9_-]{1,128})$/;

export function isApiToken(token: string): boolean {
  return token.startsWith(TOKEN_PREFIX);
}

export async function createApiToken(
  db: Database,
  params: { userId: string; name: string; expiresAt: Date | null },
) {
  const id = randomId(10);
  const secret = randomSecret();
  const token = `${TOKEN_PREFIX}${id}_${secret}`;
  const record = await insertApiToken(db, {
    id,
    userId: params.userId,
    name: params.name,
    secretHash: await sha256Hex(secret),
    displayPrefix: token.slice(0, TOKEN_PREFIX.length + id.length + 5),
    expiresAt: params.expiresAt,
  });
  return { token, record };
}

/** The owner of a valid, unexpired token, or null. */
export async function validateApiToken(
  db: Database,
  token: string,
  now = new Date(),
): Promise<{ userId: string; tokenId: string } | null> {
  // Anything but the shape we issue is refused without a query.
  const [, id, secret] = API_TOKEN_SHAPE.exec(token) ?? [];
  if (!id || !secret) return null;
  const record = await findActiveApiToken(db, id, now);
  if (!record) return null;
  if (!(await secretMatchesHash(secret, record.secretHash))) return null;
  if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    await touchApiToken(db, id, now);
  }
  return { userId: record.userId, tokenId: record.id };
}

/** A new personal API token for the user: the token is returned once, only a hash is kept. */
export async function issueApiToken(
  db: Database,
  params: { userId: string; name: string; expiresInDays?: number; now: Date },
) {
  const expiresAt = params.expiresInDays
    ? new Date(params.now.getTime() + params.expiresInDays * 86_400_000)
    : null;
  const { token, record } = await createApiToken(db, { userId: params.userId, name: params.name, expiresAt });
  return {
    token,
    tokenInfo: {
      id: record.id,
      name: record.name,
      displayPrefix: record.displayPrefix,
      createdAt: record.createdAt.toISOString(),
      expiresAt: record.expiresAt?.toISOString() ?? null,
    },
  };
}

/** The user's personal API tokens (never their secrets). */
export async function listUserApiTokens(db: Database, userId: string) {
  const rows = await listApiTokens(db, userId);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    displayPrefix: row.displayPrefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  }));
}

/** Revokes one of the user's tokens; NOT_FOUND for another user's or an unknown one. */
export async function revokeApiToken(db: Database, userId: string, id: string): Promise<void> {
  if (!(await deleteApiToken(db, userId, id))) throw new ApiError("NOT_FOUND", "No such token.");
}
