// How the security page reacts to failed requests: pure, so the mapping is unit-tested.
import type { ApiFailure } from "../../lib/api-client";
import {
  type FailureProblems,
  fieldProblem,
  type Problem,
  problemForFailure,
  problemsForFailure,
} from "../auth/problems";

/** The session behind the page has ended (signed out elsewhere, expired): sign in again. */
export function isSessionOver(failure: ApiFailure): boolean {
  return failure.status === 401 && failure.code === "UNAUTHENTICATED";
}

/**
 * A form that sends an authenticator code (and maybe a password). Messages the server ties to
 * a field the form shows go there; a refused code without details is "code not valid"; being
 * rate limited, offline, a server error or a conflict (2FA already on or off) is about the whole
 * form.
 */
export function codeFormProblems<Field extends "code" | "password">(
  failure: ApiFailure,
  formFields: readonly Field[],
): FailureProblems<Field> {
  if (
    failure.code === "RATE_LIMITED" ||
    failure.status === 0 ||
    failure.status === 409 ||
    failure.status >= 500 ||
    isSessionOver(failure)
  ) {
    return { form: problemForFailure(failure), fields: {} };
  }
  if (failure.fields.some((item) => (formFields as readonly string[]).includes(item.field))) {
    const problems = problemsForFailure(failure, formFields);
    // The server's words about a code are all "not valid" to the user.
    const fields = problems.fields as Partial<Record<"code" | "password", Problem>>;
    if (fields.code) fields.code = fieldProblem("codeInvalid");
    return problems;
  }
  if (failure.code === "INVALID_CREDENTIALS" && (formFields as readonly string[]).includes("password")) {
    return {
      form: null,
      fields: { password: fieldProblem("currentPasswordWrong") } as FailureProblems<Field>["fields"],
    };
  }
  return { form: null, fields: { code: fieldProblem("codeInvalid") } as FailureProblems<Field>["fields"] };
}
