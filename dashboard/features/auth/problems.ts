// What the user reads when something goes wrong: API error codes, the server's field errors
// and the forms' own checks all become a translation key (plus values), chosen here so that
// the mapping is tested without a browser. The server's messages are English only and never
// shown as such.
import type { ErrorCode } from "../../../worker/lib/errors";
import type en from "../../i18n/locales/en.json";
import type { ApiFailure } from "../../lib/api-client";

export type ErrorKey = keyof typeof en.auth.errors;
export type FieldErrorKey = keyof typeof en.auth.fieldErrors;

export type Problem =
  | { key: `auth.errors.${ErrorKey}`; values?: Record<string, string | number> }
  | { key: `auth.fieldErrors.${FieldErrorKey}`; values?: Record<string, string | number> };

export type FieldProblems<Field extends string> = Partial<Record<Field, Problem>>;

const errorKeys = new Set<string>([
  "INVALID_CREDENTIALS",
  "EMAIL_TAKEN",
  "VALIDATION_FAILED",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "REAUTH_REQUIRED",
  "NOT_FOUND",
  "CONFLICT",
  "NETWORK",
  "INVALID_CODE",
  "TWO_FACTOR_ALREADY_ENABLED",
  "TWO_FACTOR_NOT_ENABLED",
  "LAST_SIGN_IN_METHOD",
] satisfies (ErrorCode | "NETWORK")[]);

export const errorProblem = (key: ErrorKey, values?: Record<string, string | number>): Problem => ({
  key: `auth.errors.${key}`,
  values,
});

export const fieldProblem = (key: FieldErrorKey, values?: Record<string, string | number>): Problem => ({
  key: `auth.fieldErrors.${key}`,
  values,
});

/** The form-level message for a failed request. */
export function problemForFailure(failure: ApiFailure): Problem {
  if (failure.code === "RATE_LIMITED") {
    return failure.retryAfterSeconds !== null && failure.retryAfterSeconds > 0
      ? errorProblem("RATE_LIMITED", { seconds: failure.retryAfterSeconds })
      : errorProblem("RATE_LIMITED_LATER");
  }
  if (errorKeys.has(failure.code)) return errorProblem(failure.code as ErrorKey);
  if (failure.status >= 500) return errorProblem("SERVER");
  return errorProblem("UNKNOWN");
}

/**
 * The codes OAuth callbacks redirect to `/signin/?error=` with (worker/features/oauth/oauth.ts),
 * plus the dashboard's own TWO_FACTOR_EXPIRED.
 */
const signInErrorCodes = new Set<string>([
  "OAUTH_STATE_MISMATCH",
  "OAUTH_CANCELLED",
  "OAUTH_EMAIL_UNVERIFIED",
  "OAUTH_ACCOUNT_IN_USE",
  "OAUTH_PROVIDER_ALREADY_LINKED",
  "OAUTH_LINK_REQUIRES_SIGNIN",
  "OAUTH_ACCOUNT_EXISTS",
  "OAUTH_FAILED",
  "PROVIDER_DISABLED",
  "TWO_FACTOR_EXPIRED",
  "UNAUTHENTICATED",
]);

/** The message for `?error=CODE` on the sign-in page: only known codes, never the raw text. */
export function problemForSignInError(code: string | null): Problem | null {
  if (!code) return null;
  if (code === "RATE_LIMITED") return errorProblem("RATE_LIMITED_LATER");
  return signInErrorCodes.has(code) ? errorProblem(code as ErrorKey) : errorProblem("OAUTH_FAILED");
}

/**
 * One of the server's field errors, by what the message says (worker/features/auth/schemas.ts
 * and zod's defaults). Unknown messages get a generic "not valid".
 */
export function problemForServerField(code: string, field: string, message: string): Problem {
  if (code === "EMAIL_TAKEN" && field === "email") return fieldProblem("emailTaken");
  if (/password/i.test(field) && /wrong|incorrect/i.test(message)) {
    return fieldProblem(field === "currentPassword" ? "currentPasswordWrong" : "passwordWrong");
  }
  if (/password/i.test(field) && /^enter your password/i.test(message)) return fieldProblem("required");
  if (/too common/i.test(message)) return fieldProblem("passwordCommon");
  if (/valid email|invalid email/i.test(message)) return fieldProblem("emailInvalid");
  if (/code/i.test(field) && code !== "VALIDATION_FAILED") return fieldProblem("codeInvalid");
  const atLeast = /(?:at least|>=)\s*(\d+)/i.exec(message);
  if (atLeast) {
    const min = Number(atLeast[1]);
    if (min <= 1) return fieldProblem("required");
    return /password/i.test(field) && min === 10
      ? fieldProblem("passwordTooShort")
      : fieldProblem("tooShort", { min });
  }
  const atMost = /(?:at most|<=)\s*(\d+)/i.exec(message);
  if (atMost) return fieldProblem("tooLong", { max: Number(atMost[1]) });
  return fieldProblem("invalid");
}

export interface FailureProblems<Field extends string> {
  /** Shown above the form; null when every problem sits next to its field. */
  form: Problem | null;
  fields: FieldProblems<Field>;
}

/**
 * Splits a failure into messages next to the form's own fields and one message for the form.
 * Field errors about fields the form does not show (`body`) fall back to the form message.
 */
export function problemsForFailure<Field extends string>(
  failure: ApiFailure,
  formFields: readonly Field[],
): FailureProblems<Field> {
  const fields: FieldProblems<Field> = {};
  let unplaced = false;
  for (const { field, message } of failure.fields) {
    if ((formFields as readonly string[]).includes(field)) {
      fields[field as Field] ??= problemForServerField(failure.code, field, message);
    } else {
      unplaced = true;
    }
  }
  const placed = Object.keys(fields).length > 0;
  if (placed && !unplaced) return { form: null, fields };
  return { form: problemForFailure(failure), fields };
}

/**
 * What a failed second-factor check means for the user. The pending sign-in itself has ended
 * (401 other than a wrong code: expired, used up, or never started): only a new sign-in helps.
 * Anything else about the code is one generic "not valid", whichever rule it broke.
 */
export function challengeOutcome(
  failure: ApiFailure,
): { kind: "restart" } | { kind: "retry"; problems: FailureProblems<"code"> } {
  if (failure.status === 401 && failure.code !== "INVALID_CODE") return { kind: "restart" };
  if (failure.code === "RATE_LIMITED" || failure.status === 0 || failure.status >= 500) {
    return { kind: "retry", problems: { form: problemForFailure(failure), fields: {} } };
  }
  return { kind: "retry", problems: { form: null, fields: { code: fieldProblem("codeInvalid") } } };
}
