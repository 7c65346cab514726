// The forms' own checks, run before sending: the same rules as the API
// (worker/features/auth/schemas.ts), except "not a common password", which only the server
// knows (its list is too big to ship to every browser).
import {
  EMAIL_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  USER_NAME_MAX_LENGTH,
} from "../../../worker/lib/field-limits";
import { type FieldProblems, fieldProblem, type Problem } from "./problems";

export const NAME_MAX_LENGTH = USER_NAME_MAX_LENGTH;

export { EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

export function checkEmail(value: string): Problem | undefined {
  const email = value.trim();
  if (email === "") return fieldProblem("required");
  if (email.length > EMAIL_MAX_LENGTH || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    return fieldProblem("emailInvalid");
  }
  return undefined;
}

export function checkNewPassword(value: string): Problem | undefined {
  if (value === "") return fieldProblem("required");
  if (value.length < PASSWORD_MIN_LENGTH) return fieldProblem("passwordTooShort");
  if (value.length > PASSWORD_MAX_LENGTH) return fieldProblem("tooLong", { max: PASSWORD_MAX_LENGTH });
  return undefined;
}

export function checkRequired(value: string, max = PASSWORD_MAX_LENGTH): Problem | undefined {
  if (value.trim() === "") return fieldProblem("required");
  if (value.length > max) return fieldProblem("tooLong", { max });
  return undefined;
}

/** Authenticator apps show `123 456`; the API wants the six digits. */
export function normalizeTotpCode(value: string): string {
  return value.replace(/[\s-]/g, "");
}

export function checkTotpCode(value: string): Problem | undefined {
  const code = normalizeTotpCode(value);
  if (code === "") return fieldProblem("required");
  if (!/^\d{6}$/.test(code)) return fieldProblem("codeFormat");
  return undefined;
}

/** Turning 2FA off takes either kind of code (the phone may be gone). */
export function checkTotpOrRecoveryCode(value: string): Problem | undefined {
  const code = value.replace(/[\s-]/g, "");
  if (code === "") return fieldProblem("required");
  if (/^\d{6}$/.test(code) || /^[A-Za-z0-9]{10}$/.test(code)) return undefined;
  return fieldProblem("codeOrRecoveryFormat");
}

/** Recovery codes are compared by the server; only spaces around them are dropped here. */
export function normalizeRecoveryCode(value: string): string {
  return value.trim();
}

/** Only the fields with a problem: an empty object means the form can be sent. */
function collect<Field extends string>(checks: Record<Field, Problem | undefined>): FieldProblems<Field> {
  const problems: FieldProblems<Field> = {};
  for (const [field, problem] of Object.entries(checks) as [Field, Problem | undefined][]) {
    if (problem) problems[field] = problem;
  }
  return problems;
}

export function validateSignUp(input: { email: string; password: string; name: string }) {
  return collect({
    email: checkEmail(input.email),
    password: checkNewPassword(input.password),
    name:
      input.name.trim().length > NAME_MAX_LENGTH
        ? fieldProblem("tooLong", { max: NAME_MAX_LENGTH })
        : undefined,
  });
}

export function validateSignIn(input: { email: string; password: string }) {
  return collect({
    email: checkEmail(input.email),
    // Any length: the sign-in form must not reveal (or enforce) the password rules.
    password: input.password === "" ? fieldProblem("required") : undefined,
  });
}

export function validatePasswordChange(input: {
  currentPassword: string;
  newPassword: string;
  needsCurrent: boolean;
}) {
  return collect({
    currentPassword: input.needsCurrent ? checkRequired(input.currentPassword) : undefined,
    newPassword: checkNewPassword(input.newPassword),
  });
}

export function validateTokenName(name: string) {
  return collect({ name: checkRequired(name, NAME_MAX_LENGTH) });
}
