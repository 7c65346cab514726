import * as z from "zod";
import { errorResponse, noContent, type RouteContract, rateLimited } from "../../lib/contract";
import { userResponse } from "../auth/schemas";
import { isRecoveryCodeShape, normaliseRecoveryCode, TOTP_CODE_PATTERN } from "./two-factor";

const withoutSpaces = (value: string) => value.replace(/\s/g, "");

/** Six digits; spaces (as apps display "123 456") are ignored. */
export const totpCode = z
  .string()
  .max(32)
  .transform(withoutSpaces)
  .pipe(z.string().regex(TOTP_CODE_PATTERN, { message: "Enter the 6-digit code from your app." }));

/** `XXXX-XXXX-XX`, any case, dashes and spaces optional; normalised to upper case, no dashes. */
export const recoveryCode = z
  .string()
  .max(64)
  .refine(isRecoveryCodeShape, { message: "Enter one of your recovery codes (XXXX-XXXX-XX)." })
  .transform(normaliseRecoveryCode);

/** Either kind, for turning 2FA off when the phone is gone. */
export const totpOrRecoveryCode = z
  .string()
  .max(64)
  .transform(withoutSpaces)
  .refine((value) => TOTP_CODE_PATTERN.test(value) || isRecoveryCodeShape(value), {
    message: "Enter the 6-digit code from your app or a recovery code.",
  });

export const totpCodeBody = z.object({ code: totpCode });

export const recoveryCodeBody = z.object({ code: recoveryCode });

export const disableBody = z.object({
  // Required when the account has a password; OAuth-only accounts have none to give.
  password: z.string().min(1).max(256).optional(),
  code: totpOrRecoveryCode,
});

// ---- Answers ----

export const twoFactorStatusResponse = z.strictObject({
  enabled: z.boolean(),
  recoveryCodesRemaining: z.number().int(),
});

/** The secret, its otpauth:// URI and a QR code of it (SVG); 2FA is on once `enable` gets a code. */
export const totpSetupResponse = z.strictObject({
  secret: z.string(),
  otpauthUri: z.string(),
  qrSvg: z.string(),
});

/** Shown once: only hashes are kept. */
export const recoveryCodesResponse = z.strictObject({ recoveryCodes: z.array(z.string()) });

export type TwoFactorStatus = z.output<typeof twoFactorStatusResponse>;
export type TotpSetup = z.output<typeof totpSetupResponse>;
export type RecoveryCodes = z.output<typeof recoveryCodesResponse>;

const tag = "Two-factor authentication";
const wrongCode = errorResponse("The code is wrong or already used.");

export const twoFactorContract: RouteContract[] = [
  {
    method: "POST",
    path: "/api/auth/2fa/verify",
    tag,
    summary: "Finish a sign-in with a TOTP code",
    description: "Needs the pre-auth cookie the password step (or OAuth) set.",
    security: "public",
    request: { body: totpCodeBody },
    responses: {
      200: { description: "Signed in (session cookie set).", body: userResponse },
      400: wrongCode,
      401: errorResponse("No live sign-in waiting for a code; sign in again."),
      429: rateLimited("Too many wrong codes; wait before trying again."),
    },
  },
  {
    method: "POST",
    path: "/api/auth/2fa/recovery",
    tag,
    summary: "Finish a sign-in with a recovery code",
    security: "public",
    request: { body: recoveryCodeBody },
    responses: {
      200: { description: "Signed in (session cookie set).", body: userResponse },
      400: wrongCode,
      401: errorResponse("No live sign-in waiting for a code; sign in again."),
      429: rateLimited("Too many wrong codes; wait before trying again."),
    },
  },
  {
    method: "GET",
    path: "/api/auth/2fa",
    tag,
    summary: "Whether 2FA is on",
    security: "session",
    responses: { 200: { description: "The status.", body: twoFactorStatusResponse } },
  },
  {
    method: "POST",
    path: "/api/auth/2fa/setup",
    tag,
    summary: "Offer a new TOTP secret",
    security: "session",
    responses: {
      200: { description: "The secret to confirm with `enable`.", body: totpSetupResponse },
      409: errorResponse("2FA is already on."),
      429: rateLimited("Too many setups."),
    },
  },
  {
    method: "POST",
    path: "/api/auth/2fa/enable",
    tag,
    summary: "Turn 2FA on with a code from the new secret",
    security: "session",
    request: { body: totpCodeBody },
    responses: {
      200: { description: "The first recovery codes (shown once).", body: recoveryCodesResponse },
      400: wrongCode,
      409: errorResponse("2FA is already on, or no setup is pending."),
      429: rateLimited("Too many attempts."),
    },
  },
  {
    method: "POST",
    path: "/api/auth/2fa/disable",
    tag,
    summary: "Turn 2FA off",
    security: "session",
    request: { body: disableBody },
    responses: {
      204: noContent,
      400: errorResponse("A wrong code or password."),
      409: errorResponse("2FA is off."),
      429: rateLimited("Too many attempts."),
    },
  },
  {
    method: "POST",
    path: "/api/auth/2fa/recovery-codes",
    tag,
    summary: "Replace the recovery codes",
    security: "session",
    request: { body: totpCodeBody },
    responses: {
      200: {
        description: "New recovery codes (shown once); the old ones stop working.",
        body: recoveryCodesResponse,
      },
      400: wrongCode,
      409: errorResponse("2FA is off."),
      429: rateLimited("Too many attempts."),
    },
  },
];
