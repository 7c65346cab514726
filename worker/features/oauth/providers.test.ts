import { describe, expect, it } from "vitest";
import { parseLoopbackOverride } from "../../lib/loopback-override";
import { mapProviderUrl, providerEndpoints, readOAuthSettings } from "./providers";

const baseEnv = {
  GITHUB_CLIENT_ID: "id",
  GITHUB_CLIENT_SECRET: "secret",
  GOOGLE_CLIENT_ID: "id",
  GOOGLE_CLIENT_SECRET: "secret",
  OAUTH_PROVIDER_BASE_URL_OVERRIDE: "",
} as unknown as Env;

describe("the provider endpoint override", () => {
  it.each(["http://127.0.0.1:9000", "http://localhost:9000/", "http://[::1]:9000"])("accepts %s", (value) => {
    expect(parseLoopbackOverride(value)).toBeInstanceOf(URL);
  });

  it.each([
    "https://oauth.evil.example",
    "http://10.0.0.8:9000",
    "http://127.0.0.1.evil.example",
    "http://user:pass@127.0.0.1:9000",
    "file:///etc/passwd",
    "127.0.0.1:9000",
  ])("refuses %s", (value) => {
    expect(parseLoopbackOverride(value)).toBe("invalid");
  });

  it("leaves the real URLs alone when unset", () => {
    const settings = readOAuthSettings(baseEnv);
    expect(settings.resolveUrl(providerEndpoints.google.token)).toBe("https://oauth2.googleapis.com/token");
  });

  it("maps each provider URL under the local server, host first", () => {
    const base = new URL("http://127.0.0.1:9000");
    expect(mapProviderUrl(base, "https://github.com/login/oauth/access_token")).toBe(
      "http://127.0.0.1:9000/github.com/login/oauth/access_token",
    );
    expect(mapProviderUrl(base, "https://api.github.com/user/emails?per_page=100")).toBe(
      "http://127.0.0.1:9000/api.github.com/user/emails?per_page=100",
    );
  });

  it("never maps a URL that is not a provider's", () => {
    const base = new URL("http://127.0.0.1:9000");
    expect(() => mapProviderUrl(base, "https://metrics.customer.example/metrics")).toThrow();
    expect(() => mapProviderUrl(base, "http://github.com/login/oauth/authorize")).toThrow();
  });

  it("turns every provider off when set to something else, rather than use it", () => {
    const settings = readOAuthSettings({
      ...baseEnv,
      OAUTH_PROVIDER_BASE_URL_OVERRIDE: "https://evil.example",
    });
    expect(settings.credentials).toEqual({});
  });
});

describe("provider credentials", () => {
  it("offers a provider only with both its id and its secret", () => {
    const settings = readOAuthSettings({ ...baseEnv, GOOGLE_CLIENT_ID: "  " });
    expect(Object.keys(settings.credentials)).toEqual(["github"]);
  });

  it("treats missing bindings (local dev without secrets) as not configured", () => {
    const settings = readOAuthSettings({} as Env);
    expect(settings.credentials).toEqual({});
  });
});
