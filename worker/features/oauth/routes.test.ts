// The whole authorization-code flow, against a real OAuth2 server standing in for GitHub and
// Google (test/oauth-providers.ts): start -> the provider's authorize endpoint -> our callback.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { oauthAccounts, users } from "../../../db/schema";
import { errorCode, TestClient } from "../../../test/client";
import { fetchApp, testDatabase, uniqueClientIp } from "../../../test/helpers";
import type { MockAccount } from "../../../test/oauth-providers";
import { createApp } from "../../app";

const { db, close } = testDatabase();
afterAll(() => close());

type Provider = "github" | "google";
type Me = {
  user: {
    id: string;
    email: string;
    name: string;
    hasPassword: boolean;
    emailVerified: boolean;
    twoFactorEnabled: boolean;
    linkedProviders: string[];
  };
};

let nextId = Math.floor(Math.random() * 1e9);
/** A provider account nobody used yet, with a verified email. */
function newAccount(overrides: Partial<MockAccount> = {}): MockAccount {
  nextId += 1;
  return {
    id: String(nextId),
    email: `oauth-${crypto.randomUUID().slice(0, 12)}@example.com`,
    emailVerified: true,
    name: "Ada Lovelace",
    ...overrides,
  };
}

/** Our start endpoint: answers the 302 to the provider. */
async function start(client: TestClient, provider: Provider, query: Record<string, string> = {}) {
  const response = await client.fetch(`/api/auth/oauth/${provider}/start?${new URLSearchParams(query)}`);
  return { response, location: response.headers.get("Location") ?? "" };
}

/**
 * At the provider: the person picks `account` (or cancels) and the provider redirects back.
 * Returns our callback's path and query, as the browser would follow it.
 */
async function authorizeAtProvider(location: string, account: MockAccount | "deny"): Promise<string> {
  const authorize = new URL(location);
  if (account === "deny") authorize.searchParams.set("mock_deny", "1");
  else authorize.searchParams.set("mock_account", JSON.stringify(account));
  const response = await fetch(authorize, { redirect: "manual" });
  expect(response.status).toBe(302);
  const callback = new URL(response.headers.get("Location")!);
  expect(callback.origin).toBe("http://seqpulse.test");
  return `${callback.pathname}${callback.search}`;
}

/** The full round trip; returns our callback's answer. */
async function signInWith(
  client: TestClient,
  provider: Provider,
  account: MockAccount | "deny",
  query: Record<string, string> = {},
) {
  const { response, location } = await start(client, provider, query);
  expect(response.status).toBe(302);
  const callback = await client.fetch(await authorizeAtProvider(location, account));
  return { callback, redirect: callback.headers.get("Location") ?? "" };
}

async function me(client: TestClient) {
  const response = await client.fetch("/api/auth/me");
  expect(response.status).toBe(200);
  return (await response.json<Me>()).user;
}

async function usersWithEmail(email: string) {
  return db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${email})`);
}

describe("GET /api/auth/oauth/providers", () => {
  it("lists the configured providers", async () => {
    const response = await new TestClient().fetch("/api/auth/oauth/providers");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ providers: ["github", "google"] });
  });
});

describe("GET /api/auth/oauth/:provider/start", () => {
  it("sends the browser to GitHub with state, PKCE, scopes and our callback, bound by a cookie", async () => {
    const client = new TestClient();
    const { response, location } = await start(client, "github");
    expect(response.status).toBe(302);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const url = new URL(location);
    expect(url.origin).toBe(env.OAUTH_PROVIDER_BASE_URL_OVERRIDE);
    expect(url.pathname).toBe("/github.com/login/oauth/authorize");
    expect(url.searchParams.get("client_id")).toBe(env.GITHUB_CLIENT_ID);
    expect(url.searchParams.get("redirect_uri")).toBe("http://seqpulse.test/api/auth/oauth/github/callback");
    expect(url.searchParams.get("scope")).toBe("read:user user:email");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const state = url.searchParams.get("state") ?? "";
    expect(state.length).toBeGreaterThanOrEqual(32);

    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("seqpulse_oauth_github="));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Max-Age=600/);
    expect(cookie).toMatch(/SameSite=Lax/);
    // Neither the state nor the verifier travels anywhere but this cookie and the provider.
    expect(location).not.toContain(client.cookies.get("seqpulse_oauth_github"));
  });

  it("sends the browser to Google with the OpenID scopes", async () => {
    const { location } = await start(new TestClient(), "google");
    const url = new URL(location);
    expect(url.pathname).toBe("/accounts.google.com/o/oauth2/v2/auth");
    expect(url.searchParams.get("scope")).toBe("openid email profile");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("redirect_uri")).toBe("http://seqpulse.test/api/auth/oauth/google/callback");
  });

  it.each([
    "//evil.example/",
    "https://evil.example/",
    "/\\evil.example",
    "projects",
    // Each normalises to the path `//evil.example...`, another origin once used as an address.
    "/.//evil.example//attacker.example",
    "/x/..//evil.example",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    "/./\\evil.example",
    "/.\t//evil.example",
    "/\n/evil.example",
    "javascript:alert(1)",
    "http://127.0.0.1:9499/phish",
  ])("answers 400 for next=%s", async (next) => {
    const { response } = await start(new TestClient(), "github", { next });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("VALIDATION_FAILED");
  });

  it("keeps next normalised: the flow lands on the resolved same-origin path", async () => {
    const client = new TestClient();
    const { redirect } = await signInWith(client, "google", newAccount(), {
      next: "/a/../projects/%2F/?x=1",
    });
    expect(redirect).toBe("/projects/%2F/?x=1");
  });

  it("answers 404 for a provider it does not know", async () => {
    const response = await new TestClient().fetch("/api/auth/oauth/gitlab/start");
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe("NOT_FOUND");
  });

  it("refuses to start a link without a session", async () => {
    const { response, location } = await start(new TestClient(), "github", { mode: "link" });
    expect(response.status).toBe(302);
    expect(location).toBe("/signin/?error=OAUTH_LINK_REQUIRES_SIGNIN");
  });

  it("rate limits a client address to 20 starts a minute", async () => {
    const client = new TestClient();
    for (let i = 0; i < 20; i++) expect((await start(client, "google")).response.status).toBe(302);
    const limited = (await start(client, "google")).response;
    expect(limited.status).toBe(429);
    expect(await errorCode(limited)).toBe("RATE_LIMITED");
  });
});

describe("signing in through the provider", () => {
  it("GitHub: creates a passwordless account from the verified primary email and signs it in", async () => {
    const client = new TestClient();
    const account = newAccount({ name: "Grace Hopper", login: "ghopper" });
    const { callback, redirect } = await signInWith(client, "github", account);
    expect(callback.status).toBe(302);
    expect(redirect).toBe("/");
    expect(client.cookies.has("seqpulse_oauth_github")).toBe(false);
    expect(client.cookies.get("seqpulse_session")).toMatch(/^[a-z2-7]+\.[A-Za-z0-9_-]{43}$/);
    expect(await me(client)).toMatchObject({
      email: account.email,
      name: "Grace Hopper",
      hasPassword: false,
      linkedProviders: ["github"],
    });
  });

  it("GitHub: uses the login when the profile has no name", async () => {
    const client = new TestClient();
    await signInWith(client, "github", newAccount({ name: undefined, login: "octo-cat" }));
    expect((await me(client)).name).toBe("octo-cat");
  });

  it("Google: creates the account and lands on the requested page", async () => {
    const client = new TestClient();
    const account = newAccount({ name: "Alan Turing" });
    const { redirect } = await signInWith(client, "google", account, { next: "/projects/?tab=keys" });
    expect(redirect).toBe("/projects/?tab=keys");
    expect(await me(client)).toMatchObject({
      email: account.email,
      name: "Alan Turing",
      linkedProviders: ["google"],
    });
  });

  it("signs the same identity into the same account the second time", async () => {
    const account = newAccount();
    const first = new TestClient();
    await signInWith(first, "google", account);
    const second = new TestClient();
    // The provider now reports another email: the identity, not the email, is the key.
    await signInWith(second, "google", { ...account, email: `changed-${account.email}` });
    expect((await me(second)).id).toBe((await me(first)).id);
    expect(await usersWithEmail(`changed-${account.email}`)).toHaveLength(0);
  });

  it("links to an existing account whose email a provider verified, instead of creating another", async () => {
    const account = newAccount();
    const first = new TestClient();
    await signInWith(first, "google", account);
    const created = await me(first);
    const client = new TestClient();
    await signInWith(client, "github", newAccount({ email: account.email!.toUpperCase() }));
    expect(await me(client)).toMatchObject({ id: created.id, linkedProviders: ["github", "google"] });
    expect(await usersWithEmail(account.email!)).toHaveLength(1);
  });

  it("lets the provider-proved owner claim an unverified account, ending every way in its maker set up", async () => {
    // Anyone can sign up with someone else's address. The provider proves who owns it: the
    // account becomes theirs, and the squatter's password, 2FA, identities, sessions and tokens
    // end, so nothing the squatter set up still opens it.
    const squatter = new TestClient();
    const { user, email, password } = await squatter.signUp();
    const token = await squatter.json("POST", "/api/auth/tokens", { name: "squatter's script" });
    const { token: apiToken } = await token.json<{ token: string }>();
    await db.update(users).set({ totpEnabledAt: new Date() }).where(eq(users.id, user.id));
    await signInWith(squatter, "google", newAccount(), { mode: "link" });
    expect((await me(squatter)).linkedProviders).toEqual(["google"]);

    const owner = new TestClient();
    const { redirect } = await signInWith(owner, "github", newAccount({ email }));
    expect(redirect).toBe("/");
    expect(owner.cookies.has("seqpulse_session")).toBe(true);
    expect(await me(owner)).toMatchObject({
      id: user.id,
      emailVerified: true,
      hasPassword: false,
      twoFactorEnabled: false,
      linkedProviders: ["github"],
    });
    expect(await usersWithEmail(email)).toEqual([{ id: user.id }]);
    // The squatter is out: session, password and API token alike.
    expect((await squatter.fetch("/api/auth/me")).status).toBe(401);
    const again = await new TestClient().json("POST", "/api/auth/login", { email, password });
    expect(again.status).toBe(401);
    const byToken = await new TestClient().fetch("/api/auth/me", {
      headers: { Authorization: `Bearer ${apiToken}` },
    });
    expect(byToken.status).toBe(401);
  });

  it("links as before once the address is verified: the password stays", async () => {
    const holder = new TestClient();
    const { user, email } = await holder.signUp();
    await db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, user.id));
    const client = new TestClient();
    await signInWith(client, "github", newAccount({ email }));
    expect(await me(client)).toMatchObject({ id: user.id, hasPassword: true, linkedProviders: ["github"] });
    expect((await holder.fetch("/api/auth/me")).status).toBe(200);
  });

  it("sends a user with 2FA to the second step: a pre-auth cookie and no session", async () => {
    const owner = new TestClient();
    const { user, email } = await owner.signUp();
    await db
      .update(users)
      .set({ totpEnabledAt: new Date(), emailVerifiedAt: new Date() })
      .where(eq(users.id, user.id));
    const client = new TestClient();
    const { redirect } = await signInWith(client, "google", newAccount({ email }), { next: "/projects/" });
    expect(redirect).toBe("/2fa/?next=%2Fprojects%2F");
    expect(client.cookies.get("seqpulse_2fa")).toMatch(/.+\..+/);
    expect(client.cookies.has("seqpulse_session")).toBe(false);
    expect((await client.fetch("/api/auth/me")).status).toBe(401);
  });

  it("redirects with 2FA to /2fa/ alone when there is no next page", async () => {
    const owner = new TestClient();
    const { user, email } = await owner.signUp();
    await db
      .update(users)
      .set({ totpEnabledAt: new Date(), emailVerifiedAt: new Date() })
      .where(eq(users.id, user.id));
    const { redirect } = await signInWith(new TestClient(), "github", newAccount({ email }));
    expect(redirect).toBe("/2fa/");
  });
});

describe("refused callbacks", () => {
  it("refuses a tampered state, without a session", async () => {
    const client = new TestClient();
    const { location } = await start(client, "github");
    const callback = new URL(await authorizeAtProvider(location, newAccount()), "http://seqpulse.test");
    callback.searchParams.set("state", `${callback.searchParams.get("state")}x`);
    const response = await client.fetch(`${callback.pathname}${callback.search}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/signin/?error=OAUTH_STATE_MISMATCH");
    expect(client.cookies.has("seqpulse_session")).toBe(false);
  });

  it("refuses a callback opened in another browser (login CSRF)", async () => {
    const attacker = new TestClient();
    const { location } = await start(attacker, "google");
    const callback = await authorizeAtProvider(location, newAccount());
    const victim = new TestClient();
    const response = await victim.fetch(callback);
    expect(response.headers.get("Location")).toBe("/signin/?error=OAUTH_STATE_MISMATCH");
    expect(victim.cookies.has("seqpulse_session")).toBe(false);
  });

  it("refuses the same callback twice (the flow cookie is single use)", async () => {
    const client = new TestClient();
    const { location } = await start(client, "github");
    const callback = await authorizeAtProvider(location, newAccount());
    const flowCookie = client.cookies.get("seqpulse_oauth_github")!;
    expect((await client.fetch(callback)).headers.get("Location")).toBe("/");
    client.cookies.delete("seqpulse_session");
    expect((await client.fetch(callback)).headers.get("Location")).toBe(
      "/signin/?error=OAUTH_STATE_MISMATCH",
    );
    // Even with the old cookie put back, the provider will not take the code a second time.
    client.cookies.set("seqpulse_oauth_github", flowCookie);
    expect((await client.fetch(callback)).headers.get("Location")).toBe("/signin/?error=OAUTH_FAILED");
    expect(client.cookies.has("seqpulse_session")).toBe(false);
  });

  it("refuses a Google flow whose cookie lost its PKCE verifier, without spending the code", async () => {
    const client = new TestClient();
    const { location } = await start(client, "google");
    const callback = await authorizeAtProvider(location, newAccount());
    const original = client.cookies.get("seqpulse_oauth_google")!;
    const flow = JSON.parse(atob(original.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
    delete flow.codeVerifier;
    client.cookies.set(
      "seqpulse_oauth_google",
      btoa(JSON.stringify(flow)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
    );
    const refused = await client.fetch(callback);
    expect(refused.headers.get("Location")).toBe("/signin/?error=OAUTH_STATE_MISMATCH");
    expect(client.cookies.has("seqpulse_session")).toBe(false);
    // The code was never sent to the provider: with the intact cookie it still works.
    client.cookies.set("seqpulse_oauth_google", original);
    expect((await client.fetch(callback)).headers.get("Location")).toBe("/");
  });

  it("refuses a GitHub account whose primary email is not verified, creating nobody", async () => {
    const client = new TestClient();
    const account = newAccount();
    const { redirect } = await signInWith(client, "github", {
      ...account,
      githubEmails: [
        { email: account.email!, primary: true, verified: false },
        { email: `verified-${account.email}`, primary: false, verified: true },
      ],
    });
    expect(redirect).toBe("/signin/?error=OAUTH_EMAIL_UNVERIFIED");
    expect(client.cookies.has("seqpulse_session")).toBe(false);
    expect(await usersWithEmail(account.email!)).toHaveLength(0);
    expect(await usersWithEmail(`verified-${account.email}`)).toHaveLength(0);
  });

  it("does not link to an existing account through an unverified Google email", async () => {
    const owner = new TestClient();
    const { user, email } = await owner.signUp();
    const client = new TestClient();
    const account = newAccount({ email, emailVerified: false });
    const { redirect } = await signInWith(client, "google", account);
    expect(redirect).toBe("/signin/?error=OAUTH_EMAIL_UNVERIFIED");
    expect(client.cookies.has("seqpulse_session")).toBe(false);
    const linked = await db.select().from(oauthAccounts).where(eq(oauthAccounts.userId, user.id));
    expect(linked).toHaveLength(0);
  });

  it("refuses a Google account without an email", async () => {
    const { redirect } = await signInWith(new TestClient(), "google", newAccount({ email: undefined }));
    expect(redirect).toBe("/signin/?error=OAUTH_EMAIL_UNVERIFIED");
  });

  it("says cancelled when the person declines at the provider", async () => {
    const { redirect } = await signInWith(new TestClient(), "github", "deny");
    expect(redirect).toBe("/signin/?error=OAUTH_CANCELLED");
  });

  it("fails closed when the provider refuses our client credentials", async () => {
    const client = new TestClient();
    const ctx = createExecutionContext();
    const app = createApp();
    const wrongSecret = { ...env, GOOGLE_CLIENT_SECRET: "not-the-secret" };
    const startResponse = await app.fetch(
      new Request("http://seqpulse.test/api/auth/oauth/google/start", {
        headers: { "CF-Connecting-IP": client.ip },
      }),
      wrongSecret,
      ctx,
    );
    const cookie = startResponse.headers.getSetCookie()[0]!.split(";")[0]!;
    const callback = await authorizeAtProvider(startResponse.headers.get("Location")!, newAccount());
    const response = await app.fetch(
      new Request(`http://seqpulse.test${callback}`, {
        headers: { Cookie: cookie, "CF-Connecting-IP": client.ip },
      }),
      wrongSecret,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/signin/?error=OAUTH_FAILED");
  });
});

describe("linking a provider to the signed-in account", () => {
  it("adds the identity to the current account, whatever its email, and returns to next", async () => {
    const client = new TestClient();
    const { user } = await client.signUp();
    const { redirect } = await signInWith(client, "github", newAccount(), {
      mode: "link",
      next: "/settings/",
    });
    expect(redirect).toBe("/settings/");
    expect(await me(client)).toMatchObject({ id: user.id, linkedProviders: ["github"] });
  });

  it("refuses an identity that already belongs to another account", async () => {
    const account = newAccount();
    await signInWith(new TestClient(), "google", account);
    const client = new TestClient();
    const { user } = await client.signUp();
    const { redirect } = await signInWith(client, "google", account, { mode: "link" });
    expect(redirect).toBe("/signin/?error=OAUTH_ACCOUNT_IN_USE");
    expect(await me(client)).toMatchObject({ id: user.id, linkedProviders: [] });
  });

  it("refuses a second identity at the same provider", async () => {
    const client = new TestClient();
    await client.signUp();
    await signInWith(client, "github", newAccount(), { mode: "link" });
    const { redirect } = await signInWith(client, "github", newAccount(), { mode: "link" });
    expect(redirect).toBe("/signin/?error=OAUTH_PROVIDER_ALREADY_LINKED");
  });

  it("refuses to finish a link when the session is gone", async () => {
    const client = new TestClient();
    await client.signUp();
    const { location } = await start(client, "google", { mode: "link" });
    const callback = await authorizeAtProvider(location, newAccount());
    client.cookies.delete("seqpulse_session");
    expect((await client.fetch(callback)).headers.get("Location")).toBe(
      "/signin/?error=OAUTH_LINK_REQUIRES_SIGNIN",
    );
  });
});

describe("personal API tokens and linked providers", () => {
  async function tokenFor(owner: TestClient) {
    const created = await owner.json("POST", "/api/auth/tokens", { name: "script" });
    const { token } = await created.json<{ token: string }>();
    const script = new TestClient();
    script.bearer = token;
    return script;
  }

  it("cannot unlink a provider (403 FORBIDDEN)", async () => {
    const owner = new TestClient();
    await owner.signUp();
    await signInWith(owner, "google", newAccount(), { mode: "link" });
    const script = await tokenFor(owner);
    const response = await script.json("DELETE", "/api/auth/oauth/google");
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("FORBIDDEN");
    expect((await me(owner)).linkedProviders).toEqual(["google"]);
  });

  it("cannot start a link (403 FORBIDDEN), nor finish one", async () => {
    const owner = new TestClient();
    await owner.signUp();
    const script = await tokenFor(owner);
    const started = await start(script, "github", { mode: "link" });
    expect(started.response.status).toBe(403);
    expect(await errorCode(started.response)).toBe("FORBIDDEN");

    // A link begun in the browser cannot be finished by a token in place of the session.
    const { location } = await start(owner, "github", { mode: "link" });
    const callback = await authorizeAtProvider(location, newAccount());
    script.cookies.set("seqpulse_oauth_github", owner.cookies.get("seqpulse_oauth_github") ?? "");
    expect((await script.fetch(callback)).headers.get("Location")).toBe(
      "/signin/?error=OAUTH_LINK_REQUIRES_SIGNIN",
    );
    expect((await me(owner)).linkedProviders).toEqual([]);
  });
});

describe("DELETE /api/auth/oauth/:provider", () => {
  it("answers 401 without a session", async () => {
    const response = await new TestClient().json("DELETE", "/api/auth/oauth/github");
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe("UNAUTHENTICATED");
  });

  it("refuses to remove the only way into a passwordless account", async () => {
    const client = new TestClient();
    await signInWith(client, "github", newAccount());
    const response = await client.json("DELETE", "/api/auth/oauth/github");
    expect(response.status).toBe(409);
    expect(await errorCode(response)).toBe("LAST_SIGN_IN_METHOD");
    expect((await me(client)).linkedProviders).toEqual(["github"]);
  });

  it("unlinks one provider when another remains", async () => {
    const client = new TestClient();
    await signInWith(client, "github", newAccount());
    await signInWith(client, "google", newAccount(), { mode: "link" });
    expect((await me(client)).linkedProviders).toEqual(["github", "google"]);
    expect((await client.json("DELETE", "/api/auth/oauth/github")).status).toBe(204);
    expect((await me(client)).linkedProviders).toEqual(["google"]);
    const last = await client.json("DELETE", "/api/auth/oauth/google");
    expect(last.status).toBe(409);
  });

  it("unlinks freely when the account has a password, then answers 404", async () => {
    const client = new TestClient();
    await client.signUp();
    await signInWith(client, "google", newAccount(), { mode: "link" });
    expect((await client.json("DELETE", "/api/auth/oauth/google")).status).toBe(204);
    expect((await me(client)).linkedProviders).toEqual([]);
    const again = await client.json("DELETE", "/api/auth/oauth/google");
    expect(again.status).toBe(404);
    expect(await errorCode(again)).toBe("NOT_FOUND");
  });

  it("refuses a cross-site unlink", async () => {
    const client = new TestClient();
    await client.signUp();
    const response = await client.fetch("/api/auth/oauth/google", {
      method: "DELETE",
      headers: { "Sec-Fetch-Site": "cross-site" },
    });
    expect(response.status).toBe(403);
  });
});

describe("a provider that is not configured", () => {
  async function call(path: string, overrides: Partial<Env>) {
    const ctx = createExecutionContext();
    const response = await fetchApp(
      new Request(`http://seqpulse.test${path}`, { headers: { "CF-Connecting-IP": uniqueClientIp() } }),
      { ...env, ...overrides },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return response;
  }

  it.each(["/api/auth/oauth/github/start", "/api/auth/oauth/github/callback?code=x&state=y"])(
    "answers 404 PROVIDER_DISABLED on %s",
    async (path) => {
      const response = await call(path, { GITHUB_CLIENT_ID: "" });
      expect(response.status).toBe(404);
      expect(await errorCode(response)).toBe("PROVIDER_DISABLED");
    },
  );

  it("is left out of the providers list", async () => {
    const response = await call("/api/auth/oauth/providers", { GOOGLE_CLIENT_SECRET: "" });
    expect(await response.json()).toEqual({ providers: ["github"] });
  });

  it("disables every provider when the endpoint override is not a loopback address", async () => {
    const response = await call("/api/auth/oauth/providers", {
      OAUTH_PROVIDER_BASE_URL_OVERRIDE: "https://oauth.evil.example",
    });
    expect(await response.json()).toEqual({ providers: [] });
  });
});
