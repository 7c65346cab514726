import type * as z from "zod";
import type { Database } from "../../../db/client";
import { deleteApiTokensOfUser } from "../../../db/queries/api-tokens";
import {
  deleteOtherSessions,
  deleteSession,
  deleteUserSession,
  listUserSessions,
} from "../../../db/queries/sessions";
import {
  findUserById,
  findUserCredentialsByEmail,
  getPasswordHash,
  insertUser,
  setPasswordHash,
  type UserSummary,
  updateUserProfile,
} from "../../../db/queries/users";
import { ApiError } from "../../lib/errors";
import { dummyPasswordHash, hashPassword, verifyPassword } from "../../lib/password";
import { queueAccountCreatedEmails } from "../email/account-emails";
import type { changePasswordBody, signupBody, updateMeBody } from "./schemas";

// An account's own flows: sign-up, password check, profile, password change and sessions. The
// caller has authenticated the user (and rate limited the request) where one is needed.

/** How recent a sign-in must be to set a first password. */
export const RECENT_SIGN_IN_MS = 15 * 60 * 1000;

/** A new account with a password; EMAIL_TAKEN when the email (in any case) has one. */
export async function signUp(db: Database, body: z.infer<typeof signupBody>): Promise<UserSummary> {
  const user = await insertUser(db, {
    email: body.email,
    name: body.name ?? "",
    locale: body.locale ?? "en",
    passwordHash: await hashPassword(body.password),
  });
  if (!user) {
    throw new ApiError("EMAIL_TAKEN", "An account with this email already exists.", {
      fields: [{ field: "email", message: "An account with this email already exists." }],
    });
  }
  await queueAccountCreatedEmails(db, user.id, new Date());
  return user;
}

/**
 * The account whose password this is, or null for a wrong email or password alike. The same
 * work is done whether or not the account exists, so timing does not reveal accounts.
 */
export async function checkPassword(db: Database, email: string, password: string) {
  const user = await findUserCredentialsByEmail(db, email);
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
  return user?.passwordHash && valid ? user : null;
}

/** The user's account, or null when it no longer exists. */
export function findAccount(db: Database, userId: string): Promise<UserSummary | null> {
  return findUserById(db, userId);
}

/** The signed-in user's account; UNAUTHENTICATED when it no longer exists. */
export async function getAccount(db: Database, userId: string): Promise<UserSummary> {
  const user = await findUserById(db, userId);
  if (!user) throw new ApiError("UNAUTHENTICATED", "Sign in to continue.");
  return user;
}

export async function updateAccount(
  db: Database,
  userId: string,
  changes: z.infer<typeof updateMeBody>,
): Promise<UserSummary> {
  const user = await updateUserProfile(db, userId, changes);
  if (!user) throw new ApiError("UNAUTHENTICATED", "Sign in to continue.");
  return user;
}

/**
 * Changes the password, or sets a first one on an OAuth-only account, ends every other session
 * and revokes every personal API token (neither a stolen session nor a leaked token may outlive
 * the password change).
 */
export async function changePassword(
  db: Database,
  params: {
    userId: string;
    /** The session asking, which stays signed in. */
    sessionId: string | null;
    /** When that session signed in. */
    sessionCreatedAt: Date | null;
    body: z.infer<typeof changePasswordBody>;
    now: Date;
  },
): Promise<void> {
  const { userId, body } = params;
  const currentHash = await getPasswordHash(db, userId);
  const signedInRecently =
    params.sessionCreatedAt !== null &&
    params.now.getTime() - params.sessionCreatedAt.getTime() < RECENT_SIGN_IN_MS;
  if (!currentHash && !signedInRecently) {
    // A first password proves nothing about who asks: only a fresh sign-in (through the
    // provider) may set it, so a stolen old session cannot take the account over.
    throw new ApiError("REAUTH_REQUIRED", "Sign in again to set a password.");
  }
  if (currentHash) {
    const currentValid = body.currentPassword
      ? await verifyPassword(currentHash, body.currentPassword)
      : false;
    if (!currentValid) {
      throw new ApiError("VALIDATION_FAILED", "The current password is wrong.", {
        fields: [{ field: "currentPassword", message: "The current password is wrong." }],
      });
    }
  }
  await setPasswordHash(db, userId, await hashPassword(body.newPassword));
  await deleteOtherSessions(db, userId, params.sessionId);
  await deleteApiTokensOfUser(db, userId);
}

/** Ends a session on the server: its token stops working at once. */
export async function signOut(db: Database, sessionId: string): Promise<void> {
  await deleteSession(db, sessionId);
}

/** The user's live sessions, the one asking marked `current`. */
export async function listSessions(db: Database, userId: string, currentSessionId: string | null, now: Date) {
  const rows = await listUserSessions(db, userId, now);
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    userAgent: row.userAgent,
    ipAddress: row.ipAddress,
    current: row.id === currentSessionId,
  }));
}

/** Ends one of the user's sessions; NOT_FOUND for another user's or an unknown one. */
export async function revokeSession(db: Database, userId: string, sessionId: string): Promise<void> {
  if (!(await deleteUserSession(db, userId, sessionId))) throw new ApiError("NOT_FOUND", "No such session.");
}
