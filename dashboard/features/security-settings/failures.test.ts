import { describe, expect, it } from "vitest";
import type { ApiFailure } from "../../lib/api-client";
import { codeFormProblems, isSessionOver } from "./failures";

function failure(overrides: Partial<ApiFailure>): ApiFailure {
  return { status: 400, code: "BAD_REQUEST", message: "", fields: [], retryAfterSeconds: null, ...overrides };
}

const fields = ["password", "code"] as const;

describe("codeFormProblems", () => {
  it("shows a refused code next to the code field", () => {
    expect(codeFormProblems(failure({ code: "INVALID_CODE" }), fields)).toEqual({
      form: null,
      fields: { code: { key: "auth.fieldErrors.codeInvalid", values: undefined } },
    });
  });

  it("puts a wrong password next to the password field", () => {
    const wrongPassword = failure({
      code: "VALIDATION_FAILED",
      fields: [{ field: "password", message: "The password is wrong." }],
    });
    expect(codeFormProblems(wrongPassword, fields).fields.password?.key).toBe(
      "auth.fieldErrors.passwordWrong",
    );
    expect(
      codeFormProblems(failure({ status: 401, code: "INVALID_CREDENTIALS" }), fields).fields.password?.key,
    ).toBe("auth.fieldErrors.currentPasswordWrong");
  });

  it("turns whatever the server says about a code into 'not valid'", () => {
    const problems = codeFormProblems(
      failure({ code: "VALIDATION_FAILED", fields: [{ field: "code", message: "Too small: >=6" }] }),
      ["code"] as const,
    );
    expect(problems.fields.code?.key).toBe("auth.fieldErrors.codeInvalid");
  });

  it("keeps rate limits and outages above the form", () => {
    const limited = codeFormProblems(
      failure({ status: 429, code: "RATE_LIMITED", retryAfterSeconds: 5 }),
      fields,
    );
    expect(limited).toEqual({
      form: { key: "auth.errors.RATE_LIMITED", values: { seconds: 5 } },
      fields: {},
    });
    expect(codeFormProblems(failure({ status: 0, code: "NETWORK" }), fields).form?.key).toBe(
      "auth.errors.NETWORK",
    );
    expect(
      codeFormProblems(failure({ status: 409, code: "TWO_FACTOR_ALREADY_ENABLED" }), fields).form?.key,
    ).toBe("auth.errors.TWO_FACTOR_ALREADY_ENABLED");
  });
});

describe("isSessionOver", () => {
  it("is only a 401 UNAUTHENTICATED, not a wrong password", () => {
    expect(isSessionOver(failure({ status: 401, code: "UNAUTHENTICATED" }))).toBe(true);
    expect(isSessionOver(failure({ status: 401, code: "INVALID_CREDENTIALS" }))).toBe(false);
  });
});
