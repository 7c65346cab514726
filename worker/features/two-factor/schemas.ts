import * as z from "zod";
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
