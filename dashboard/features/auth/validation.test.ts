import { describe, expect, it } from "vitest";
import {
  checkTotpCode,
  normalizeTotpCode,
  validatePasswordChange,
  validateSignIn,
  validateSignUp,
  validateTokenName,
} from "./validation";

const keysOf = (problems: object) =>
  Object.fromEntries(Object.entries(problems).map(([field, problem]) => [field, problem.key]));

describe("sign-up form", () => {
  it("accepts a valid form, with or without a name", () => {
    expect(validateSignUp({ email: "ada@example.com", password: "correct horse battery", name: "" })).toEqual(
      {},
    );
    expect(validateSignUp({ email: " ada@example.com ", password: "0123456789", name: "Ada" })).toEqual({});
  });

  it("explains each field's problem", () => {
    expect(keysOf(validateSignUp({ email: "", password: "", name: "" }))).toEqual({
      email: "auth.fieldErrors.required",
      password: "auth.fieldErrors.required",
    });
    expect(keysOf(validateSignUp({ email: "ada@", password: "short", name: "x".repeat(101) }))).toEqual({
      email: "auth.fieldErrors.emailInvalid",
      password: "auth.fieldErrors.passwordTooShort",
      name: "auth.fieldErrors.tooLong",
    });
  });

  it("counts 10 characters as enough, 9 as too short", () => {
    expect(validateSignUp({ email: "a@b.co", password: "a".repeat(10), name: "" })).toEqual({});
    expect(keysOf(validateSignUp({ email: "a@b.co", password: "a".repeat(9), name: "" }))).toEqual({
      password: "auth.fieldErrors.passwordTooShort",
    });
  });

  it("refuses passwords over 256 characters", () => {
    expect(validateSignUp({ email: "a@b.co", password: "a".repeat(257), name: "" }).password?.values).toEqual(
      {
        max: 256,
      },
    );
  });
});

describe("sign-in form", () => {
  it("does not apply the password rules (that would reveal them to a guesser)", () => {
    expect(validateSignIn({ email: "a@b.co", password: "x" })).toEqual({});
  });

  it("asks for both fields", () => {
    expect(Object.keys(validateSignIn({ email: "", password: "" }))).toEqual(["email", "password"]);
  });
});

describe("authenticator codes", () => {
  it("accepts six digits, with the space apps show", () => {
    expect(normalizeTotpCode("123 456")).toBe("123456");
    expect(checkTotpCode("123 456")).toBeUndefined();
    expect(checkTotpCode("123456")).toBeUndefined();
  });

  it.each(["12345", "1234567", "12a456", "abcdef"])("refuses %s", (code) => {
    expect(checkTotpCode(code)?.key).toBe("auth.fieldErrors.codeFormat");
  });
});

describe("password change and tokens", () => {
  it("asks for the current password only when the account has one", () => {
    expect(
      keysOf(
        validatePasswordChange({ currentPassword: "", newPassword: "a much better one", needsCurrent: true }),
      ),
    ).toEqual({ currentPassword: "auth.fieldErrors.required" });
    expect(
      validatePasswordChange({ currentPassword: "", newPassword: "a much better one", needsCurrent: false }),
    ).toEqual({});
  });

  it("needs a token name", () => {
    expect(keysOf(validateTokenName("  "))).toEqual({ name: "auth.fieldErrors.required" });
    expect(validateTokenName("CI")).toEqual({});
  });
});
