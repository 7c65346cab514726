import { describe, expect, it } from "vitest";
import { destinationAfterSignIn, sanitizeNextPath, signInUrl, stepUrl } from "./next-path";

describe("sanitizeNextPath", () => {
  it.each([
    ["/settings/security/", "/settings/security/"],
    ["/fr/settings/security/", "/fr/settings/security/"],
    ["/deployments/?env=prod#latest", "/deployments/?env=prod#latest"],
    ["/", "/"],
  ])("keeps the same-origin path %s", (raw, expected) => {
    expect(sanitizeNextPath(raw)).toBe(expected);
  });

  it.each([
    ["a protocol-relative URL", "//evil.example/x"],
    ["a backslash host", "/\\evil.example"],
    ["a backslash later in the path", "/a\\..\\/evil.example"],
    ["an absolute URL", "https://evil.example/"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a relative path", "settings/"],
    ["a tab hiding //", "/\t/evil.example"],
    ["a newline", "/x\n/y"],
    ["an empty string", ""],
    ["null", null],
    ["a very long path", `/${"a".repeat(3000)}`],
  ])("refuses %s", (_name, raw) => {
    expect(sanitizeNextPath(raw)).toBeNull();
  });

  it("refuses the sign-in steps themselves, in any locale (a loop)", () => {
    expect(sanitizeNextPath("/signin/")).toBeNull();
    expect(sanitizeNextPath("/de/signin/?next=/x")).toBeNull();
    expect(sanitizeNextPath("/2fa")).toBeNull();
    expect(sanitizeNextPath("/es/signup/")).toBeNull();
  });

  it("normalises dot segments before deciding", () => {
    expect(sanitizeNextPath("/settings/../signin/")).toBeNull();
    expect(sanitizeNextPath("/a/../settings/")).toBe("/settings/");
  });
});

describe("destinationAfterSignIn", () => {
  it("goes to the overview without a usable next", () => {
    expect(destinationAfterSignIn(null, "en")).toBe("/");
    expect(destinationAfterSignIn("//evil.example", "en")).toBe("/");
  });

  it("keeps next when the user's locale is the page's", () => {
    expect(destinationAfterSignIn("/settings/security/", "en", "en")).toBe("/settings/security/");
    expect(destinationAfterSignIn("/fr/settings/security/?tab=2", "fr", "fr")).toBe(
      "/fr/settings/security/?tab=2",
    );
  });

  it("moves to the user's saved locale when it differs", () => {
    expect(destinationAfterSignIn("/settings/security/", "de", "en")).toBe("/de/settings/security/");
    expect(destinationAfterSignIn("/fr/settings/security/", "en", "fr")).toBe("/settings/security/");
    expect(destinationAfterSignIn(null, "es", "en")).toBe("/es/");
  });

  it("keeps next's own locale when the saved one is unknown", () => {
    expect(destinationAfterSignIn("/fr/settings/security/", "it", "en")).toBe("/fr/settings/security/");
    expect(destinationAfterSignIn(null, undefined, "de")).toBe("/de/");
  });
});

describe("signInUrl and stepUrl", () => {
  it("carries a safe next, encoded", () => {
    expect(signInUrl("en", "/settings/security/")).toBe("/signin/?next=%2Fsettings%2Fsecurity%2F");
    expect(signInUrl("de", "/de/settings/security/", "TWO_FACTOR_EXPIRED")).toBe(
      "/de/signin/?next=%2Fde%2Fsettings%2Fsecurity%2F&error=TWO_FACTOR_EXPIRED",
    );
    expect(stepUrl("fr", "/2fa/", "/fr/settings/security/")).toBe(
      "/fr/2fa/?next=%2Ffr%2Fsettings%2Fsecurity%2F",
    );
  });

  it("drops an unsafe next", () => {
    expect(signInUrl("en", "//evil.example")).toBe("/signin/");
    expect(stepUrl("en", "/2fa/", "https://evil.example")).toBe("/2fa/");
  });
});
