import type { Database } from "../../../db/client";
import { deleteSession, findSession, insertSession, touchSession } from "../../../db/queries/sessions";
import { newIdSecretToken, parseIdSecretToken, secretMatchesHash } from "../../lib/id-secret-token";

/** A session ends after this long without use. */
export const SESSION_INACTIVITY_MS = 14 * 24 * 60 * 60 * 1000;
/** `last_seen_at` is written at most this often, so reads stay reads. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export interface ValidSession {
  id: string;
  userId: string;
  /** When the user signed in: sensitive changes ask for a recent one. */
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Creates a session and returns its token `<id>.<secret>`: the id finds the row, the 256-bit
 * secret proves possession; only its SHA-256 is stored.
 */
export async function createSession(
  db: Database,
  params: { userId: string; userAgent: string | null; ipAddress: string | null; now?: Date },
): Promise<{ token: string; session: ValidSession }> {
  const now = params.now ?? new Date();
  const { id, token, secretHash } = await newIdSecretToken();
  const expiresAt = new Date(now.getTime() + SESSION_INACTIVITY_MS);
  await insertSession(db, {
    id,
    userId: params.userId,
    secretHash,
    expiresAt,
    userAgent: params.userAgent?.slice(0, 300) ?? null,
    ipAddress: params.ipAddress,
  });
  return { token, session: { id, userId: params.userId, createdAt: now, expiresAt } };
}

/** The session a token stands for, or null (unknown, forged, truncated or expired). */
export async function validateSessionToken(
  db: Database,
  token: string,
  now = new Date(),
): Promise<ValidSession | null> {
  const parsed = parseIdSecretToken(token);
  if (!parsed) return null;
  const { id, secret } = parsed;
  const session = await findSession(db, id);
  if (!session) return null;
  if (!(await secretMatchesHash(secret, session.secretHash))) return null;
  if (session.expiresAt.getTime() <= now.getTime()) {
    await deleteSession(db, id);
    return null;
  }
  let expiresAt = session.expiresAt;
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    expiresAt = new Date(now.getTime() + SESSION_INACTIVITY_MS);
    await touchSession(db, id, now, expiresAt);
  }
  return { id, userId: session.userId, createdAt: session.createdAt, expiresAt };
}
