import * as z from "zod";
import { userLocales } from "../../../db/schema/users";
import { errorResponse, noContent, type RouteContract, rateLimited, timestamp } from "../../lib/contract";
import {
  EMAIL_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  TOKEN_NAME_MAX_LENGTH,
  USER_NAME_MAX_LENGTH,
} from "../../lib/field-limits";
import commonPasswords from "./common-passwords.json";

const common = new Set<string>(commonPasswords);

export const email = z
  .string()
  .trim()
  .max(EMAIL_MAX_LENGTH)
  .pipe(z.email({ message: "Enter a valid email address." }));

export const newPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { message: `Use at least ${PASSWORD_MIN_LENGTH} characters.` })
  .max(PASSWORD_MAX_LENGTH, { message: `Use at most ${PASSWORD_MAX_LENGTH} characters.` })
  .refine((value) => !common.has(value.toLowerCase()), {
    message: "This password is too common; choose another.",
  });

export const name = z
  .string()
  .trim()
  .max(USER_NAME_MAX_LENGTH, { message: `Use at most ${USER_NAME_MAX_LENGTH} characters.` });
export const locale = z.enum(userLocales);

export const signupBody = z.object({
  email,
  password: newPassword,
  name: name.optional(),
  locale: locale.optional(),
});

export const loginBody = z.object({
  email,
  // Any length: the login answer must not reveal the password rules.
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

export const updateMeBody = z
  .object({ name: name.optional(), locale: locale.optional() })
  .refine((body) => body.name !== undefined || body.locale !== undefined, {
    message: "Send name or locale.",
  });

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH).optional(),
  newPassword,
});

export const createTokenBody = z.object({
  name: z.string().trim().min(1).max(TOKEN_NAME_MAX_LENGTH),
  expiresInDays: z.number().int().min(1).max(365).optional(),
});

/** A mailed link's token, as the page read it from its address; any string is checked, not refused. */
const accountToken = z.string().min(1).max(512);

export const verifyEmailBody = z.object({ token: accountToken });

export const forgotPasswordBody = z.object({ email });

export const resetPasswordBody = z.object({ token: accountToken, password: newPassword });

export const idParam = z.object({ id: z.string().min(1).max(64) });

// ---- Answers ----

export const userSchema = z.strictObject({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  locale,
  emailVerified: z
    .boolean()
    .describe("Whether the owner proved the address (a mailed link, a reset, or a provider)."),
  twoFactorEnabled: z.boolean(),
  hasPassword: z.boolean(),
  linkedProviders: z
    .array(z.string())
    .describe("Names of the OAuth providers linked to the account (`github`, `google`)."),
});

export type UserView = z.output<typeof userSchema>;

export const userResponse = z.strictObject({ user: userSchema });

/**
 * Signup's answer when the address already has an account: no session, nothing said about the
 * account; its owner is mailed instead.
 */
export const signupCheckEmailResponse = z.strictObject({ checkEmail: z.literal(true) });

/** Accepted: a mail is (or, for an address without account, is not) on its way. */
export const acceptedResponse = z.strictObject({ accepted: z.literal(true) });

export const loginResponse = z.union([
  z.strictObject({ twoFactorRequired: z.literal(true) }),
  z.strictObject({ twoFactorRequired: z.literal(false), user: userSchema }),
]);

export const sessionsResponse = z.strictObject({
  sessions: z.array(
    z.strictObject({
      id: z.string(),
      createdAt: timestamp,
      lastSeenAt: timestamp,
      expiresAt: timestamp,
      userAgent: z.string().nullable(),
      ipAddress: z.string().nullable(),
      current: z.boolean().describe("The session this request came with."),
    }),
  ),
});

const tokenInfo = {
  id: z.string(),
  name: z.string(),
  displayPrefix: z.string(),
  createdAt: timestamp,
  expiresAt: timestamp.nullable(),
};

export const tokensResponse = z.strictObject({
  tokens: z.array(z.strictObject({ ...tokenInfo, lastUsedAt: timestamp.nullable() })),
});

/** The token is shown once: only a hash is kept. */
export const createdTokenResponse = z.strictObject({
  token: z.string(),
  tokenInfo: z.strictObject(tokenInfo),
});

const tag = "Auth";

export const authContract: RouteContract[] = [
  {
    method: "POST",
    path: "/api/auth/signup",
    tag,
    summary: "Create an account and sign in",
    description:
      "A new address is signed in at once and mailed a verification link. An address that already " +
      "has an account gets 202 `{checkEmail: true}` and no session; its owner is mailed (with a " +
      "link to reset the password). No answer says the address is taken.",
    security: "public",
    request: { body: signupBody },
    responses: {
      201: { description: "Signed in (session cookie set).", body: userResponse },
      202: { description: "Nothing to sign in: check your mail.", body: signupCheckEmailResponse },
      429: rateLimited("Too many signups from this address or for this email."),
    },
  },
  {
    method: "POST",
    path: "/api/auth/email/verification",
    tag,
    summary: "Mail a new verification link",
    description: "The link is valid 24 hours and replaces any earlier one.",
    security: "session",
    responses: {
      202: { description: "A link is on its way.", body: acceptedResponse },
      409: errorResponse("The address is already verified (`EMAIL_ALREADY_VERIFIED`)."),
      429: rateLimited("Too many links asked for."),
    },
  },
  {
    method: "POST",
    path: "/api/auth/email/verify",
    tag,
    summary: "Verify the address with a mailed link's token",
    security: "public",
    request: { body: verifyEmailBody },
    responses: {
      204: noContent,
      400: errorResponse("`TOKEN_INVALID`, `TOKEN_EXPIRED` or `TOKEN_USED` (or a malformed body)."),
      429: rateLimited("Too many tries from this address."),
    },
  },
  {
    method: "POST",
    path: "/api/auth/password/forgot",
    tag,
    summary: "Mail a password reset link",
    description:
      "Always 202 with the same body, whether or not an account has this address; the lookup " +
      "and the mail happen after the answer. The link is valid 30 minutes, once.",
    security: "public",
    request: { body: forgotPasswordBody },
    responses: {
      202: { description: "If an account has this address, a link is on its way.", body: acceptedResponse },
      429: rateLimited("Too many requests from this address or for this email."),
    },
  },
  {
    method: "POST",
    path: "/api/auth/password/reset",
    tag,
    summary: "Set a new password with a mailed link's token",
    description:
      "Single use. Ends every session, pending 2FA sign-in and personal API token of the account, " +
      "and marks the address verified. 2FA stays on for an address verified before (the next " +
      "sign-in asks for the code); on an address nobody had verified, 2FA and linked identities end.",
    security: "public",
    request: { body: resetPasswordBody },
    responses: {
      204: noContent,
      400: errorResponse("`TOKEN_INVALID`, `TOKEN_EXPIRED` or `TOKEN_USED`, or a password the rules refuse."),
      429: rateLimited("Too many tries from this address."),
    },
  },
  {
    method: "POST",
    path: "/api/auth/login",
    tag,
    summary: "Sign in with email and password",
    description: "With 2FA on, the answer asks for the second factor (`/api/auth/2fa/verify`).",
    security: "public",
    request: { body: loginBody },
    responses: {
      200: { description: "Signed in, or waiting for the second factor.", body: loginResponse },
      401: errorResponse("Wrong email or password."),
      429: rateLimited("Too many wrong passwords; wait before trying again."),
    },
  },
  {
    method: "POST",
    path: "/api/auth/logout",
    tag,
    summary: "Sign out (ends this session)",
    security: "user",
    responses: { 204: noContent },
  },
  {
    method: "GET",
    path: "/api/auth/me",
    tag,
    summary: "The signed-in user",
    security: "user",
    responses: { 200: { description: "The user.", body: userResponse } },
  },
  {
    method: "PATCH",
    path: "/api/auth/me",
    tag,
    summary: "Change name or locale",
    security: "user",
    request: { body: updateMeBody },
    responses: { 200: { description: "The user.", body: userResponse } },
  },
  {
    method: "POST",
    path: "/api/auth/password",
    tag,
    summary: "Change (or set a first) password",
    description: "Ends every other session and revokes every personal API token.",
    security: "session",
    request: { body: changePasswordBody },
    responses: {
      204: noContent,
      403: errorResponse("Setting a first password needs a recent sign-in, or a session."),
      429: rateLimited("Too many password changes."),
    },
  },
  {
    method: "GET",
    path: "/api/auth/sessions",
    tag,
    summary: "The user's sessions",
    security: "session",
    responses: { 200: { description: "Live sessions.", body: sessionsResponse } },
  },
  {
    method: "DELETE",
    path: "/api/auth/sessions/:id",
    tag,
    summary: "End a session",
    security: "session",
    request: { params: idParam },
    responses: { 204: noContent, 404: errorResponse("No such session.") },
  },
  {
    method: "GET",
    path: "/api/auth/tokens",
    tag,
    summary: "The user's personal API tokens",
    security: "session",
    responses: { 200: { description: "Tokens (never their secret).", body: tokensResponse } },
  },
  {
    method: "POST",
    path: "/api/auth/tokens",
    tag,
    summary: "Create a personal API token",
    security: "session",
    request: { body: createTokenBody },
    responses: { 201: { description: "The token (shown once) and its record.", body: createdTokenResponse } },
  },
  {
    method: "DELETE",
    path: "/api/auth/tokens/:id",
    tag,
    summary: "Revoke a personal API token",
    description: "From a session, or by the token itself.",
    security: "user",
    request: { params: idParam },
    responses: {
      204: noContent,
      403: errorResponse("A token may revoke only itself."),
      404: errorResponse("No such token."),
    },
  },
];
