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
    ["a dot segment before //", "/.//evil.example//attacker.example"],
    ["a dot segment before // (the reported payload)", "/.//x//127.0.0.1:9499/phish"],
    ["a dot-dot segment before //", "/x/..//evil.example"],
    ["an encoded dot segment before //", "/%2e//evil.example"],
    ["an encoded upper-case dot segment before //", "/%2E//evil.example"],
    ["an encoded dot-dot segment before //", "/x/%2e%2e//evil.example"],
    ["a double-encoded dot segment decoded once", decodeURIComponent("/%2e//evil.example")],
    ["a locale prefix before //", "/fr//evil.example"],
    ["a locale and a dot segment before //", "/fr/.//evil.example"],
    ["a backslash after a dot segment", "/./\\evil.example"],
    ["two backslashes", "/\\\\evil.example"],
    ["a tab inside //", "/.\t//evil.example"],
    ["a newline inside //", "/\n/evil.example"],
    ["a carriage return inside //", "/\r/evil.example"],
    ["an upper-case javascript: URL", "JavaScript:alert(1)"],
    ["a data: URL", "data:text/html,<script>alert(1)</script>"],
    ["an absolute http URL", "http://127.0.0.1:9499/phish"],
    ["a scheme-relative URL with a backslash", "\\\\evil.example"],
  ])("refuses %s", (_name, raw) => {
    expect(sanitizeNextPath(raw)).toBeNull();
  });

  it.each([
    ["an encoded slash", "/%2F/evil.example", "/%2F/evil.example"],
    ["an encoded slash after a dot segment", "/./%2F/evil.example", "/%2F/evil.example"],
    ["a double slash later in the path", "/settings//security/", "/settings//security/"],
  ])("keeps %s on this origin", (_name, raw, expected) => {
    expect(sanitizeNextPath(raw)).toBe(expected);
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

  it.each([
    "/.//evil.example//attacker.example",
    "/x/..//evil.example",
    "/%2e//evil.example",
    "/fr//evil.example",
    "/de/.//evil.example",
    "/./\\evil.example",
  ])("never leaves the origin for %s, whatever the locales", (next) => {
    for (const userLocale of ["en", "fr", "de", undefined]) {
      const destination = destinationAfterSignIn(next, userLocale, "en");
      expect(destination.startsWith("//")).toBe(false);
      expect(new URL(destination, "https://seqpulse.example").origin).toBe("https://seqpulse.example");
    }
    expect(destinationAfterSignIn(next, "en")).toBe("/");
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
