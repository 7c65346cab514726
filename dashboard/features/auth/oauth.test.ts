import { describe, expect, it } from "vitest";
import { configuredProviders, oauthStartUrl } from "./oauth";

describe("configuredProviders", () => {
  it("keeps the known providers the API lists, in a fixed order", () => {
    expect(configuredProviders({ providers: ["google", "github"] })).toEqual(["github", "google"]);
    expect(configuredProviders({ providers: ["google", "gitlab"] })).toEqual(["google"]);
  });

  it("treats anything else as no providers", () => {
    expect(configuredProviders({ providers: [] })).toEqual([]);
    expect(configuredProviders({ error: { code: "NOT_FOUND" } })).toEqual([]);
    expect(configuredProviders(null)).toEqual([]);
  });
});

describe("oauthStartUrl", () => {
  it("passes the mode and a safe next along", () => {
    expect(oauthStartUrl("github", "signin", "/fr/settings/security/")).toBe(
      "/api/auth/oauth/github/start?mode=signin&next=%2Ffr%2Fsettings%2Fsecurity%2F",
    );
    expect(oauthStartUrl("google", "link", null)).toBe("/api/auth/oauth/google/start?mode=link");
    expect(oauthStartUrl("google", "signin", "//evil.example")).toBe(
      "/api/auth/oauth/google/start?mode=signin",
    );
  });
});
