import { describe, expect, it } from "vitest";
import { resources } from "../../i18n/resources";
import { getTranslator } from "../../i18n/server";
import type { ApiFailure } from "../../lib/api-client";
import {
  challengeOutcome,
  type Problem,
  problemForFailure,
  problemForServerField,
  problemForSignInError,
  problemsForFailure,
} from "./problems";

function failure(overrides: Partial<ApiFailure>): ApiFailure {
  return { status: 400, code: "BAD_REQUEST", message: "", fields: [], retryAfterSeconds: null, ...overrides };
}

const say = (problem: Problem | null, locale: "en" | "de" = "en") =>
  problem
    ? (getTranslator(locale) as unknown as (key: string, values?: object) => string)(
        problem.key,
        problem.values,
      )
    : null;

describe("problemForFailure", () => {
  it("says how long to wait when rate limited, from Retry-After", () => {
    const problem = problemForFailure(failure({ status: 429, code: "RATE_LIMITED", retryAfterSeconds: 42 }));
    expect(say(problem)).toBe("Too many attempts; try again in 42 s.");
    expect(say(problem, "de")).toBe("Zu viele Versuche; versuchen Sie es in 42 s erneut.");
  });

  it("still explains a rate limit without Retry-After", () => {
    expect(say(problemForFailure(failure({ status: 429, code: "RATE_LIMITED" })))).toBe(
      "Too many attempts; try again in a moment.",
    );
  });

  it.each([
    ["INVALID_CREDENTIALS", 401, "Wrong email or password."],
    ["EMAIL_TAKEN", 409, "An account with this email already exists."],
    ["NETWORK", 0, "Could not reach SeqPulse. Check your connection and try again."],
    ["INTERNAL_ERROR", 500, "Something went wrong on our side. Try again in a moment."],
    ["SOMETHING_NEW", 418, "Something went wrong. Try again."],
  ])("translates %s", (code, status, expected) => {
    expect(say(problemForFailure(failure({ code, status })))).toBe(expected);
  });
});

describe("problemForSignInError", () => {
  it("translates every OAuth error code the callbacks send", () => {
    for (const code of [
      "OAUTH_STATE_MISMATCH",
      "OAUTH_EMAIL_UNVERIFIED",
      "OAUTH_FAILED",
      "OAUTH_ACCOUNT_IN_USE",
      "PROVIDER_DISABLED",
    ]) {
      const problem = problemForSignInError(code);
      expect(problem?.key).toBe(`auth.errors.${code}`);
      expect(say(problem)).not.toContain("auth.errors");
      expect(say(problem, "de")).not.toBe(say(problem));
    }
  });

  it("never shows an unknown code as such", () => {
    expect(problemForSignInError("<script>")?.key).toBe("auth.errors.OAUTH_FAILED");
    expect(problemForSignInError(null)).toBeNull();
    expect(problemForSignInError("")).toBeNull();
  });
});

describe("server field errors", () => {
  it.each([
    ["password", "Use at least 10 characters.", "Use at least 10 characters."],
    [
      "password",
      "This password is too common; choose another.",
      "This password is too common; choose another.",
    ],
    ["email", "Enter a valid email address.", "Enter a valid email address, like name@example.com."],
    ["name", "Use at most 100 characters.", "Use at most 100 characters."],
    ["name", "Too small: expected string to have >=1 characters", "Fill in this field."],
    ["currentPassword", "The current password is wrong.", "The current password is wrong."],
    ["whatever", "Something zod said", "This value is not valid."],
  ])("maps %s: %s", (field, message, expected) => {
    expect(say(problemForServerField("VALIDATION_FAILED", field, message))).toBe(expected);
  });

  it("puts EMAIL_TAKEN next to the email field and nothing above the form", () => {
    const problems = problemsForFailure(
      failure({
        status: 409,
        code: "EMAIL_TAKEN",
        fields: [{ field: "email", message: "An account with this email already exists." }],
      }),
      ["email", "password", "name"] as const,
    );
    expect(problems.form).toBeNull();
    expect(problems.fields.email?.key).toBe("auth.fieldErrors.emailTaken");
  });

  it("keeps a form message when a field error is about a field the form does not show", () => {
    const problems = problemsForFailure(
      failure({ code: "VALIDATION_FAILED", fields: [{ field: "body", message: "Send name or locale." }] }),
      ["name"] as const,
    );
    expect(problems.form?.key).toBe("auth.errors.VALIDATION_FAILED");
    expect(problems.fields).toEqual({});
  });

  it("has only the form message when there are no field errors", () => {
    const problems = problemsForFailure(failure({ status: 401, code: "INVALID_CREDENTIALS" }), [
      "email",
    ] as const);
    expect(problems).toEqual({
      form: { key: "auth.errors.INVALID_CREDENTIALS", values: undefined },
      fields: {},
    });
  });
});

describe("challengeOutcome (the 2FA step of sign-in)", () => {
  it("restarts the sign-in when the pending challenge is gone", () => {
    expect(challengeOutcome(failure({ status: 401, code: "UNAUTHENTICATED" })).kind).toBe("restart");
  });

  it("shows one generic message next to the code for any refused code", () => {
    for (const refused of [
      failure({ status: 400, code: "VALIDATION_FAILED", fields: [{ field: "code", message: "Invalid." }] }),
      failure({ status: 401, code: "INVALID_CODE" }),
      failure({ status: 400, code: "BAD_REQUEST" }),
    ]) {
      expect(challengeOutcome(refused)).toEqual({
        kind: "retry",
        problems: {
          form: null,
          fields: { code: { key: "auth.fieldErrors.codeInvalid", values: undefined } },
        },
      });
    }
  });

  it("says when to try again when rate limited", () => {
    const outcome = challengeOutcome(failure({ status: 429, code: "RATE_LIMITED", retryAfterSeconds: 30 }));
    expect(outcome.kind === "retry" && say(outcome.problems.form)).toBe(
      "Too many attempts; try again in 30 s.",
    );
  });
});

describe("error messages in every locale", () => {
  it("exist for every key en has, with the same placeholders", () => {
    const placeholders = (text: string) =>
      [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();
    for (const locale of ["fr", "es", "de"] as const) {
      for (const group of ["errors", "fieldErrors"] as const) {
        const english = resources.en.auth[group] as Record<string, string>;
        const translated = resources[locale].auth[group] as Record<string, string>;
        for (const [key, text] of Object.entries(english)) {
          expect(placeholders(translated[key] ?? ""), `${locale} auth.${group}.${key}`).toEqual(
            placeholders(text),
          );
        }
      }
    }
  });
});
