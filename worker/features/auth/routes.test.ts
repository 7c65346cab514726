import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { apiTokens, sessions, users } from "../../../db/schema";
import { errorCode, TestClient } from "../../../test/client";
import { fieldsOf, testDatabase } from "../../../test/helpers";
import type { ErrorBody } from "../../lib/errors";
import { createApiToken } from "./api-tokens";

const { db, close } = testDatabase();
afterAll(() => close());

describe("POST /api/auth/signup", () => {
  it("creates the account, signs it in, and answers with the user", async () => {
    const client = new TestClient();
    const local = `Grace.Hopper.${crypto.randomUUID().slice(0, 8)}`;
    const response = await client.json("POST", "/api/auth/signup", {
      email: `  ${local}@Example.com `,
      password: "a long enough passphrase",
      name: "Grace",
    });
    expect(response.status).toBe(201);
    const { user } = await response.json<{ user: Record<string, unknown> }>();
    expect(user).toMatchObject({
      email: `${local}@Example.com`,
      name: "Grace",
      locale: "en",
      twoFactorEnabled: false,
      hasPassword: true,
      linkedProviders: [],
    });
    expect(client.cookies.get("seqpulse_session")).toMatch(/^[a-z2-7]+\.[A-Za-z0-9_-]{43}$/);
    const me = await client.fetch("/api/auth/me");
    expect(me.status).toBe(200);
  });

  it("answers 202 with no session and no error code for an address already used, whatever its case", async () => {
    const first = new TestClient();
    const { email } = await first.signUp();
    const second = new TestClient();
    const response = await second.json("POST", "/api/auth/signup", {
      email: email.toUpperCase(),
      password: "another long passphrase",
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ checkEmail: true });
    expect(second.cookies.size).toBe(0);
  });

  it.each([
    ["a short password", { email: "x@example.com", password: "short" }, "password"],
    ["a common password", { email: "x@example.com", password: "password123" }, "password"],
    ["a malformed email", { email: "not-an-email", password: "a long enough passphrase" }, "email"],
    [
      "an unknown locale",
      { email: "x@example.com", password: "a long enough passphrase", locale: "xx" },
      "locale",
    ],
  ])("answers 400 naming the field for %s", async (_label, body, field) => {
    const response = await new TestClient().json("POST", "/api/auth/signup", body);
    expect(response.status).toBe(400);
    expect(await fieldsOf(response)).toContain(field);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const response = await new TestClient().fetch("/api/auth/signup", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("BAD_REQUEST");
  });
});

describe("POST /api/auth/login", () => {
  it("signs in with the right password, whatever the email's case", async () => {
    const { email, password } = await new TestClient().signUp();
    const client = new TestClient();
    const response = await client.json("POST", "/api/auth/login", { email: email.toUpperCase(), password });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ twoFactorRequired: false, user: { email } });
    expect((await client.fetch("/api/auth/me")).status).toBe(200);
  });

  it("gives the same 401 for a wrong password and an unknown email", async () => {
    const { email } = await new TestClient().signUp();
    const wrongPassword = await new TestClient().json("POST", "/api/auth/login", {
      email,
      password: "not the password",
    });
    const unknownEmail = await new TestClient().json("POST", "/api/auth/login", {
      email: `nobody-${email}`,
      password: "whatever it is",
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    const a = await wrongPassword.json<ErrorBody>();
    const b = await unknownEmail.json<ErrorBody>();
    expect({ ...a.error, requestId: "" }).toEqual({ ...b.error, requestId: "" });
    expect(a.error.code).toBe("INVALID_CREDENTIALS");
  });

  it("lets the owner in after wrong passwords from other addresses (no lockout)", async () => {
    const { email, password } = await new TestClient().signUp();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const response = await new TestClient().json("POST", "/api/auth/login", {
        email,
        password: `wrong ${i}`,
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual(Array(8).fill(401));
    const owner = await new TestClient().json("POST", "/api/auth/login", { email, password });
    expect(owner.status).toBe(200);
  });

  it("never counts a right password", async () => {
    const { email, password } = await new TestClient().signUp();
    const client = new TestClient();
    for (let i = 0; i < 8; i++) {
      expect((await client.json("POST", "/api/auth/login", { email, password })).status).toBe(200);
    }
  });

  it("slows one address down after five wrong passwords, with a growing Retry-After", async () => {
    const { email, password } = await new TestClient().signUp();
    const guesser = new TestClient();
    const login = (pass: string) => guesser.json("POST", "/api/auth/login", { email, password: pass });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(`wrong ${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);

    // The sixth failure costs a second: even the right password waits, from this address.
    const first = await login(password);
    expect(first.status).toBe(429);
    expect(await errorCode(first)).toBe("RATE_LIMITED");
    expect(first.headers.get("Retry-After")).toBe("1");
    // From another address the owner gets in meanwhile.
    expect((await new TestClient().json("POST", "/api/auth/login", { email, password })).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await login("wrong again")).status).toBe(401);
    const second = await login(password);
    expect(second.status).toBe(429);
    expect(second.headers.get("Retry-After")).toBe("2");
  });

  it("answers 400 naming the field when the password is missing", async () => {
    const response = await new TestClient().json("POST", "/api/auth/login", { email: "a@example.com" });
    expect(response.status).toBe(400);
    expect(await fieldsOf(response)).toEqual(["password"]);
  });
});

describe("sessions", () => {
  it("logout ends the session server-side at once", async () => {
    const client = new TestClient();
    await client.signUp();
    const token = client.cookies.get("seqpulse_session")!;
    expect((await client.json("POST", "/api/auth/logout")).status).toBe(204);
    expect(client.cookies.has("seqpulse_session")).toBe(false);
    // Replaying the old cookie does not work either.
    const replay = await new TestClient().fetch("/api/auth/me", {
      headers: { Cookie: `seqpulse_session=${token}` },
    });
    expect(replay.status).toBe(401);
  });

  it("refuses an expired session", async () => {
    const client = new TestClient();
    await client.signUp();
    const id = client.cookies.get("seqpulse_session")!.split(".")[0]!;
    await db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, id));
    expect((await client.fetch("/api/auth/me")).status).toBe(401);
  });

  it("refuses forged and truncated tokens", async () => {
    const client = new TestClient();
    await client.signUp();
    const [id, secret] = client.cookies.get("seqpulse_session")!.split(".") as [string, string];
    const forged = `${id}.${secret.slice(0, -2)}${secret.endsWith("AA") ? "BB" : "AA"}`;
    for (const token of [forged, id, `${id}.`, `${id}.${secret.slice(0, 20)}`, `${id}.${secret}.x`]) {
      const response = await new TestClient().fetch("/api/auth/me", {
        headers: { Cookie: `seqpulse_session=${token}` },
      });
      expect(response.status, token).toBe(401);
    }
  });

  it("accepts the session token as a Bearer token, and refuses a bad one with 401", async () => {
    const browser = new TestClient();
    await browser.signUp();
    const script = new TestClient();
    script.bearer = browser.cookies.get("seqpulse_session")!;
    expect((await script.fetch("/api/auth/me")).status).toBe(200);
    script.bearer = "nope.nope";
    expect((await script.fetch("/api/auth/me")).status).toBe(401);
  });

  it("lists the user's sessions with the current one marked, and ends another", async () => {
    const first = new TestClient();
    const { email, password } = await first.signUp();
    const second = new TestClient();
    await second.json("POST", "/api/auth/login", { email, password });

    const list = await first.fetch("/api/auth/sessions");
    const { sessions: rows } = await list.json<{ sessions: Array<{ id: string; current: boolean }> }>();
    expect(rows).toHaveLength(2);
    expect(rows.filter((row) => row.current)).toHaveLength(1);
    const other = rows.find((row) => !row.current)!;

    expect((await first.json("DELETE", `/api/auth/sessions/${other.id}`)).status).toBe(204);
    expect((await second.fetch("/api/auth/me")).status).toBe(401);
    expect((await first.fetch("/api/auth/me")).status).toBe(200);
  });

  it("answers 404 for another user's session", async () => {
    const owner = new TestClient();
    await owner.signUp();
    const ownerSessionId = owner.cookies.get("seqpulse_session")!.split(".")[0]!;
    const intruder = new TestClient();
    await intruder.signUp();
    const response = await intruder.json("DELETE", `/api/auth/sessions/${ownerSessionId}`);
    expect(response.status).toBe(404);
    expect((await owner.fetch("/api/auth/me")).status).toBe(200);
  });
});

describe("PATCH /api/auth/me", () => {
  it("updates the name and locale", async () => {
    const client = new TestClient();
    await client.signUp();
    const response = await client.json("PATCH", "/api/auth/me", { name: "Ada L.", locale: "fr" });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { name: "Ada L.", locale: "fr" } });
  });

  it("answers 400 naming the field for a bad locale, and for an empty body", async () => {
    const client = new TestClient();
    await client.signUp();
    const bad = await client.json("PATCH", "/api/auth/me", { locale: "klingon" });
    expect(bad.status).toBe(400);
    expect(await fieldsOf(bad)).toEqual(["locale"]);
    expect((await client.json("PATCH", "/api/auth/me", {})).status).toBe(400);
  });
});

describe("POST /api/auth/password", () => {
  it("changes the password and ends every other session, keeping this one", async () => {
    const first = new TestClient();
    const { email, password } = await first.signUp();
    const other = new TestClient();
    await other.json("POST", "/api/auth/login", { email, password });

    const response = await first.json("POST", "/api/auth/password", {
      currentPassword: password,
      newPassword: "a brand new passphrase",
    });
    expect(response.status).toBe(204);
    expect((await other.fetch("/api/auth/me")).status).toBe(401);
    expect((await first.fetch("/api/auth/me")).status).toBe(200);
    expect((await new TestClient().json("POST", "/api/auth/login", { email, password })).status).toBe(401);
    expect(
      (await new TestClient().json("POST", "/api/auth/login", { email, password: "a brand new passphrase" }))
        .status,
    ).toBe(200);
  });

  it("refuses a wrong current password, naming the field", async () => {
    const client = new TestClient();
    await client.signUp();
    const response = await client.json("POST", "/api/auth/password", {
      currentPassword: "not it at all",
      newPassword: "a brand new passphrase",
    });
    expect(response.status).toBe(400);
    expect(await fieldsOf(response)).toEqual(["currentPassword"]);
  });

  it("refuses a weak new password, naming the field", async () => {
    const client = new TestClient();
    const { password } = await client.signUp();
    const response = await client.json("POST", "/api/auth/password", {
      currentPassword: password,
      newPassword: "1234567890",
    });
    expect(response.status).toBe(400);
    expect(await fieldsOf(response)).toEqual(["newPassword"]);
  });
});

describe("setting a first password (accounts made through OAuth)", () => {
  it("is allowed right after signing in, and asks for a fresh sign-in on an older session", async () => {
    const client = new TestClient();
    const { user, email } = await client.signUp();
    // As an account created through a provider: no password.
    await db.update(users).set({ passwordHash: null }).where(eq(users.id, user.id));
    const sessionId = client.cookies.get("seqpulse_session")!.split(".")[0]!;
    await db
      .update(sessions)
      .set({ createdAt: new Date(Date.now() - 20 * 60 * 1000) })
      .where(eq(sessions.id, sessionId));
    const stale = await client.json("POST", "/api/auth/password", { newPassword: "a first passphrase here" });
    expect(stale.status).toBe(403);
    expect(await errorCode(stale)).toBe("REAUTH_REQUIRED");

    await db.update(sessions).set({ createdAt: new Date() }).where(eq(sessions.id, sessionId));
    expect(
      (await client.json("POST", "/api/auth/password", { newPassword: "a first passphrase here" })).status,
    ).toBe(204);
    expect(
      (await new TestClient().json("POST", "/api/auth/login", { email, password: "a first passphrase here" }))
        .status,
    ).toBe(200);
  });
});

describe("personal API tokens", () => {
  it("are shown once, work as Bearer tokens, are listed without the secret, and stop working when revoked", async () => {
    const client = new TestClient();
    await client.signUp();
    const created = await client.json("POST", "/api/auth/tokens", {
      name: "deploy script",
      expiresInDays: 30,
    });
    expect(created.status).toBe(201);
    const { token, tokenInfo } = await created.json<{
      token: string;
      tokenInfo: { id: string; displayPrefix: string };
    }>();
    expect(token).toMatch(/^spt_[a-z2-7]+_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(tokenInfo.displayPrefix)).toBe(true);

    const script = new TestClient();
    script.bearer = token;
    expect((await script.fetch("/api/auth/me")).status).toBe(200);

    const list = await (await client.fetch("/api/auth/tokens")).text();
    expect(list).toContain(tokenInfo.id);
    expect(list).not.toContain(token);

    expect((await client.json("DELETE", `/api/auth/tokens/${tokenInfo.id}`)).status).toBe(204);
    expect((await script.fetch("/api/auth/me")).status).toBe(401);
  });

  it("refuses a token with a wrong secret, and another user's token id with 404", async () => {
    const owner = new TestClient();
    await owner.signUp();
    const { token, tokenInfo } = await (await owner.json("POST", "/api/auth/tokens", { name: "ci" })).json<{
      token: string;
      tokenInfo: { id: string };
    }>();
    const forger = new TestClient();
    forger.bearer = `${token.slice(0, -3)}xyz`;
    expect((await forger.fetch("/api/auth/me")).status).toBe(401);

    const intruder = new TestClient();
    await intruder.signUp();
    expect((await intruder.json("DELETE", `/api/auth/tokens/${tokenInfo.id}`)).status).toBe(404);
  });

  it("cannot mint tokens, nor set a password on an account that has none (403)", async () => {
    // An OAuth-only account: no password, signed in through its provider.
    const [user] = await db
      .insert(users)
      .values({ email: `oauth-only-${crypto.randomUUID().slice(0, 8)}@example.com`, passwordHash: null })
      .returning({ id: users.id });
    const { token } = await createApiToken(db, {
      userId: user!.id,
      name: "expires tomorrow",
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const script = new TestClient();
    script.bearer = token;
    const minted = await script.json("POST", "/api/auth/tokens", { name: "never expires" });
    expect(minted.status).toBe(403);
    expect(await errorCode(minted)).toBe("FORBIDDEN");
    const takeover = await script.json("POST", "/api/auth/password", {
      newPassword: "attacker chosen passphrase",
    });
    expect(takeover.status).toBe(403);
    expect(await errorCode(takeover)).toBe("FORBIDDEN");
    const [row] = await db
      .select({ passwordHash: users.passwordHash })
      .from(users)
      .where(eq(users.id, user!.id));
    expect(row?.passwordHash).toBeNull();
    expect(await db.select().from(apiTokens).where(eq(apiTokens.userId, user!.id))).toHaveLength(1);
  });

  async function ownerWithToken() {
    const owner = new TestClient();
    const account = await owner.signUp();
    const created = await owner.json("POST", "/api/auth/tokens", { name: "script" });
    const { token, tokenInfo } = await created.json<{ token: string; tokenInfo: { id: string } }>();
    const script = new TestClient();
    script.bearer = token;
    return { owner, account, script, tokenId: tokenInfo.id };
  }

  it("cannot list or end the owner's sessions, nor list or revoke other tokens (403 FORBIDDEN)", async () => {
    const { owner, script } = await ownerWithToken();
    const sessions = await (await owner.fetch("/api/auth/sessions")).json<{
      sessions: Array<{ id: string }>;
    }>();
    const sessionId = sessions.sessions[0]!.id;
    const other = await (await owner.json("POST", "/api/auth/tokens", { name: "other" })).json<{
      tokenInfo: { id: string };
    }>();

    for (const [method, path] of [
      ["GET", "/api/auth/sessions"],
      ["DELETE", `/api/auth/sessions/${sessionId}`],
      ["GET", "/api/auth/tokens"],
      ["DELETE", `/api/auth/tokens/${other.tokenInfo.id}`],
    ] as const) {
      const response = await script.json(method, path);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(await errorCode(response)).toBe("FORBIDDEN");
    }
    // Nothing was touched: the browser is still signed in and both tokens are listed.
    expect((await owner.fetch("/api/auth/me")).status).toBe(200);
    const tokens = await (await owner.fetch("/api/auth/tokens")).json<{ tokens: unknown[] }>();
    expect(tokens.tokens).toHaveLength(2);
    expect((await script.fetch("/api/auth/me")).status).toBe(200);
  });

  it("may revoke itself", async () => {
    const { owner, script, tokenId } = await ownerWithToken();
    expect((await script.json("DELETE", `/api/auth/tokens/${tokenId}`)).status).toBe(204);
    expect((await script.fetch("/api/auth/me")).status).toBe(401);
    expect((await owner.fetch("/api/auth/me")).status).toBe(200);
  });

  it("are all revoked by a password change", async () => {
    const { owner, account, script } = await ownerWithToken();
    const second = await (await owner.json("POST", "/api/auth/tokens", { name: "second" })).json<{
      token: string;
    }>();
    const changed = await owner.json("POST", "/api/auth/password", {
      currentPassword: account.password,
      newPassword: "a brand new passphrase",
    });
    expect(changed.status).toBe(204);
    expect((await script.fetch("/api/auth/me")).status).toBe(401);
    const secondScript = new TestClient();
    secondScript.bearer = second.token;
    expect((await secondScript.fetch("/api/auth/me")).status).toBe(401);
    expect(await db.select().from(apiTokens).where(eq(apiTokens.userId, account.user.id))).toHaveLength(0);
    // The session that changed the password goes on.
    expect((await owner.fetch("/api/auth/me")).status).toBe(200);
  });

  it("answers 400 naming the field for a missing name", async () => {
    const client = new TestClient();
    await client.signUp();
    const response = await client.json("POST", "/api/auth/tokens", { expiresInDays: 3 });
    expect(response.status).toBe(400);
    expect(await fieldsOf(response)).toEqual(["name"]);
  });
});

describe("protected routes without credentials", () => {
  it.each([
    ["GET", "/api/auth/me"],
    ["PATCH", "/api/auth/me"],
    ["POST", "/api/auth/logout"],
    ["POST", "/api/auth/password"],
    ["GET", "/api/auth/sessions"],
    ["DELETE", "/api/auth/sessions/abc"],
    ["GET", "/api/auth/tokens"],
    ["POST", "/api/auth/tokens"],
    ["DELETE", "/api/auth/tokens/abc"],
  ])("%s %s answers 401", async (method, path) => {
    const response = await new TestClient().json(
      method,
      path,
      method === "GET" || method === "DELETE" ? undefined : {},
    );
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe("UNAUTHENTICATED");
  });
});

describe("CSRF protection", () => {
  it("refuses cross-site and cross-origin state changes, and non-JSON bodies", async () => {
    const client = new TestClient();
    await client.signUp();
    const body = JSON.stringify({ name: "Mallory" });
    const crossSite = await client.fetch("/api/auth/me", {
      method: "PATCH",
      headers: { "Content-Type": "application/json", "Sec-Fetch-Site": "cross-site" },
      body,
    });
    expect(crossSite.status).toBe(403);
    const crossOrigin = await client.fetch("/api/auth/me", {
      method: "PATCH",
      headers: { "Content-Type": "application/json", Origin: "https://evil.example" },
      body,
    });
    expect(crossOrigin.status).toBe(403);
    const form = await client.fetch("/api/auth/me", {
      method: "PATCH",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "name=Mallory",
    });
    expect(form.status).toBe(415);
    const sameOrigin = await client.fetch("/api/auth/me", {
      method: "PATCH",
      headers: {
        "Content-Type": "application/json",
        "Sec-Fetch-Site": "same-origin",
        Origin: "http://seqpulse.test",
      },
      body,
    });
    expect(sameOrigin.status).toBe(200);
  });
});
