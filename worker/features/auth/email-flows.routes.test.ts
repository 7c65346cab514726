// Verification, password reset and signup of a taken address, through the Worker's routes.
// Links are minted as the mail would mint them (`mintAccountToken`, the templates' hook).
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { accountTokens, oauthAccounts, sessions, userDevices, users } from "../../../db/schema";
import { errorCode, TestClient } from "../../../test/client";
import { fieldsOf, request, testDatabase, uniqueClientIp } from "../../../test/helpers";
import { mintAccountToken } from "./account-tokens";

const { db, close } = testDatabase();
afterAll(() => close());

const NEW_PASSWORD = "a brand new passphrase, 7 otters";

async function signedUp() {
  const client = new TestClient();
  const account = await client.signUp();
  return { client, ...account };
}

const mint = (userId: string, purpose: "verify_email" | "password_reset") =>
  mintAccountToken(db, { userId, purpose, now: new Date() });

async function me(client: TestClient) {
  const response = await client.fetch("/api/auth/me");
  expect(response.status).toBe(200);
  return (await response.json<{ user: { id: string; emailVerified: boolean; twoFactorEnabled: boolean } }>())
    .user;
}

async function tokenRows(userId: string) {
  return db
    .select({ tokenHash: accountTokens.tokenHash, usedAt: accountTokens.usedAt })
    .from(accountTokens)
    .where(eq(accountTokens.userId, userId));
}

describe("POST /api/auth/email/verify", () => {
  it("verifies the address once; the same link then answers TOKEN_USED", async () => {
    const { client, user } = await signedUp();
    expect((await me(client)).emailVerified).toBe(false);
    const token = await mint(user.id, "verify_email");
    // No session needed: the link may be opened in another browser.
    const first = await new TestClient().json("POST", "/api/auth/email/verify", { token });
    expect(first.status).toBe(204);
    expect((await me(client)).emailVerified).toBe(true);
    const again = await new TestClient().json("POST", "/api/auth/email/verify", { token });
    expect(again.status).toBe(400);
    expect(await errorCode(again)).toBe("TOKEN_USED");
  });

  it("stores only a hash of the token", async () => {
    const { user } = await signedUp();
    const token = await mint(user.id, "verify_email");
    const rows = await tokenRows(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.tokenHash).not.toContain(token);
  });

  it("answers TOKEN_EXPIRED after 24 hours", async () => {
    const { user } = await signedUp();
    const token = await mint(user.id, "verify_email");
    await db
      .update(accountTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(accountTokens.userId, user.id));
    const response = await new TestClient().json("POST", "/api/auth/email/verify", { token });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("TOKEN_EXPIRED");
  });

  it("a newer link replaces the older one", async () => {
    const { user } = await signedUp();
    const older = await mint(user.id, "verify_email");
    const newer = await mint(user.id, "verify_email");
    const stale = await new TestClient().json("POST", "/api/auth/email/verify", { token: older });
    expect(await errorCode(stale)).toBe("TOKEN_INVALID");
    const fresh = await new TestClient().json("POST", "/api/auth/email/verify", { token: newer });
    expect(fresh.status).toBe(204);
  });

  it("does not take a reset token for a verification (purposes are separate)", async () => {
    const { user } = await signedUp();
    const token = await mint(user.id, "password_reset");
    const response = await new TestClient().json("POST", "/api/auth/email/verify", { token });
    expect(await errorCode(response)).toBe("TOKEN_INVALID");
    const [row] = await tokenRows(user.id);
    expect(row!.usedAt).toBeNull();
  });

  it.each([
    ["a tampered token", (token: string) => `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`],
    ["a truncated token", (token: string) => token.slice(0, 20)],
    ["HTML", () => "<script>alert(1)</script>"],
    ["a long token", (token: string) => token.repeat(11).slice(0, 500)],
  ])("answers 400 TOKEN_INVALID for %s", async (_label, change) => {
    const { user } = await signedUp();
    const token = await mint(user.id, "verify_email");
    const response = await new TestClient().json("POST", "/api/auth/email/verify", { token: change(token) });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("TOKEN_INVALID");
  });

  it.each([
    ["no token", {}],
    ["a number", { token: 42 }],
    ["an empty token", { token: "" }],
    ["a huge token", { token: "a".repeat(10_000) }],
    ["an array", [{ token: "x" }]],
    ["NUL bytes", { token: `${"a".repeat(20)}\u0000${"a".repeat(22)}` }],
  ])("answers 400 VALIDATION_FAILED for %s", async (_label, body) => {
    const response = await new TestClient().json("POST", "/api/auth/email/verify", body);
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("VALIDATION_FAILED");
  });
});

describe("POST /api/auth/email/verification", () => {
  it("answers 401 without a session", async () => {
    const response = await new TestClient().json("POST", "/api/auth/email/verification");
    expect(response.status).toBe(401);
  });

  it("refuses a personal API token (a session only)", async () => {
    const { client } = await signedUp();
    const created = await client.json("POST", "/api/auth/tokens", { name: "script" });
    const { token } = await created.json<{ token: string }>();
    const byToken = new TestClient();
    byToken.bearer = token;
    const response = await byToken.json("POST", "/api/auth/email/verification");
    expect(response.status).toBe(403);
  });

  it("accepts for an unverified address, says EMAIL_ALREADY_VERIFIED once verified", async () => {
    const { client, user } = await signedUp();
    const response = await client.json("POST", "/api/auth/email/verification");
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: true });
    await db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, user.id));
    const verified = await client.json("POST", "/api/auth/email/verification");
    expect(verified.status).toBe(409);
    expect(await errorCode(verified)).toBe("EMAIL_ALREADY_VERIFIED");
  });

  it("is rate limited per user", async () => {
    const { client } = await signedUp();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await client.json("POST", "/api/auth/email/verification")).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});

/** Status, body and headers of an answer, without the ones that differ on every request. */
async function comparable(response: Response) {
  const headers = [...response.headers].filter(([name]) => !["x-request-id", "date"].includes(name));
  return { status: response.status, body: await response.text(), headers };
}

describe("POST /api/auth/password/forgot", () => {
  it("answers identically for a known and an unknown address", async () => {
    const { email } = await signedUp();
    const ip = uniqueClientIp();
    const ask = (address: string) =>
      request("/api/auth/password/forgot", {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
        body: JSON.stringify({ email: address }),
      });
    const known = await comparable(await ask(email));
    const unknown = await comparable(await ask(`nobody-${crypto.randomUUID().slice(0, 8)}@example.com`));
    expect(known.status).toBe(202);
    expect(unknown).toEqual(known);
  });

  it("is rate limited per address, whether or not it has an account", async () => {
    const email = `nobody-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await new TestClient().json("POST", "/api/auth/password/forgot", { email })).status);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
  });

  it("answers 400 for a malformed address", async () => {
    const response = await new TestClient().json("POST", "/api/auth/password/forgot", {
      email: "not-an-email",
    });
    expect(response.status).toBe(400);
    expect(await fieldsOf(response)).toContain("email");
  });
});

describe("POST /api/auth/password/reset", () => {
  it("sets the password, ends every session and API token, and verifies the address", async () => {
    const { client, user, email, password } = await signedUp();
    const other = new TestClient();
    await other.json("POST", "/api/auth/login", { email, password });
    const created = await client.json("POST", "/api/auth/tokens", { name: "script" });
    const { token: apiToken } = await created.json<{ token: string }>();

    const token = await mint(user.id, "password_reset");
    const response = await new TestClient().json("POST", "/api/auth/password/reset", {
      token,
      password: NEW_PASSWORD,
    });
    expect(response.status).toBe(204);

    for (const signedIn of [client, other]) expect((await signedIn.fetch("/api/auth/me")).status).toBe(401);
    const byToken = await new TestClient().fetch("/api/auth/me", {
      headers: { Authorization: `Bearer ${apiToken}` },
    });
    expect(byToken.status).toBe(401);
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);

    const old = await new TestClient().json("POST", "/api/auth/login", { email, password });
    expect(old.status).toBe(401);
    const fresh = new TestClient();
    expect((await fresh.json("POST", "/api/auth/login", { email, password: NEW_PASSWORD })).status).toBe(200);
    expect((await me(fresh)).emailVerified).toBe(true);

    const reused = await new TestClient().json("POST", "/api/auth/password/reset", {
      token,
      password: "yet another passphrase 99",
    });
    expect(reused.status).toBe(400);
    expect(await errorCode(reused)).toBe("TOKEN_USED");
  });

  it("does not bypass 2FA of a verified address: the next sign-in still asks for the code", async () => {
    const { user, email } = await signedUp();
    await db
      .update(users)
      .set({ totpEnabledAt: new Date(), emailVerifiedAt: new Date() })
      .where(eq(users.id, user.id));
    const token = await mint(user.id, "password_reset");
    expect(
      (await new TestClient().json("POST", "/api/auth/password/reset", { token, password: NEW_PASSWORD }))
        .status,
    ).toBe(204);
    const login = new TestClient();
    const response = await login.json("POST", "/api/auth/login", { email, password: NEW_PASSWORD });
    expect(await response.json()).toEqual({ twoFactorRequired: true });
    expect(login.cookies.has("seqpulse_session")).toBe(false);
  });

  it("on an address nobody had verified, also ends the 2FA and identities its maker set up", async () => {
    // A squatter signed up with the owner's address and turned 2FA on: the owner's reset (from
    // their own mailbox) must not leave them locked out by the squatter's second factor.
    const { user, email } = await signedUp();
    await db.update(users).set({ totpEnabledAt: new Date() }).where(eq(users.id, user.id));
    await db.insert(oauthAccounts).values({
      provider: "github",
      providerUserId: `squatter-${crypto.randomUUID()}`,
      userId: user.id,
      email,
    });
    const token = await mint(user.id, "password_reset");
    const reset = await new TestClient().json("POST", "/api/auth/password/reset", {
      token,
      password: NEW_PASSWORD,
    });
    expect(reset.status).toBe(204);
    const owner = new TestClient();
    const login = await owner.json("POST", "/api/auth/login", { email, password: NEW_PASSWORD });
    expect(await login.json()).toMatchObject({ twoFactorRequired: false });
    expect(await me(owner)).toMatchObject({ emailVerified: true, twoFactorEnabled: false });
    expect(await db.select().from(oauthAccounts).where(eq(oauthAccounts.userId, user.id))).toHaveLength(0);
  });

  it("of two resets with one token, exactly one wins", async () => {
    const { user, email } = await signedUp();
    const token = await mint(user.id, "password_reset");
    const passwords = ["first concurrent passphrase", "second concurrent passphrase"];
    const answers = await Promise.all(
      passwords.map((password) =>
        new TestClient().json("POST", "/api/auth/password/reset", { token, password }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([204, 400]);
    const winner = passwords[answers.findIndex((answer) => answer.status === 204)]!;
    expect((await new TestClient().json("POST", "/api/auth/login", { email, password: winner })).status).toBe(
      200,
    );
    const loser = passwords.find((password) => password !== winner)!;
    expect((await new TestClient().json("POST", "/api/auth/login", { email, password: loser })).status).toBe(
      401,
    );
  });

  it("answers TOKEN_EXPIRED after 30 minutes, and keeps the password", async () => {
    const { user, email, password } = await signedUp();
    const token = await mint(user.id, "password_reset");
    const [row] = await db
      .select({ expiresAt: accountTokens.expiresAt, createdAt: accountTokens.createdAt })
      .from(accountTokens)
      .where(and(eq(accountTokens.userId, user.id), eq(accountTokens.purpose, "password_reset")));
    expect(row!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(30 * 60 * 1000);
    await db
      .update(accountTokens)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(accountTokens.userId, user.id));
    const response = await new TestClient().json("POST", "/api/auth/password/reset", {
      token,
      password: NEW_PASSWORD,
    });
    expect(await errorCode(response)).toBe("TOKEN_EXPIRED");
    expect((await new TestClient().json("POST", "/api/auth/login", { email, password })).status).toBe(200);
  });

  it("applies signup's password rules without spending the token", async () => {
    const { user } = await signedUp();
    const token = await mint(user.id, "password_reset");
    for (const password of ["short", "password123"]) {
      const response = await new TestClient().json("POST", "/api/auth/password/reset", { token, password });
      expect(response.status).toBe(400);
      expect(await fieldsOf(response)).toContain("password");
    }
    const [row] = await tokenRows(user.id);
    expect(row!.usedAt).toBeNull();
  });

  it("answers 400 for a tampered token (TOKEN_INVALID) or NUL bytes (VALIDATION_FAILED)", async () => {
    const { user } = await signedUp();
    const token = await mint(user.id, "password_reset");
    const cases = [
      [`${token.slice(0, -2)}zz`, "TOKEN_INVALID"],
      [`\u0000${token.slice(1)}`, "VALIDATION_FAILED"],
    ] as const;
    for (const [bad, code] of cases) {
      const response = await new TestClient().json("POST", "/api/auth/password/reset", {
        token: bad,
        password: NEW_PASSWORD,
      });
      expect(response.status).toBe(400);
      expect(await errorCode(response)).toBe(code);
    }
    const [row] = await tokenRows(user.id);
    expect(row!.usedAt).toBeNull();
  });
});

describe("POST /api/auth/signup with an address that has an account", () => {
  it("answers 202 checkEmail with no session, and creates nothing", async () => {
    const { user, email } = await signedUp();
    const client = new TestClient();
    const response = await client.json("POST", "/api/auth/signup", {
      email: email.toUpperCase(),
      password: "another long passphrase",
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ checkEmail: true });
    expect(client.cookies.size).toBe(0);
    const rows = await db.select({ id: users.id }).from(users).where(eq(users.id, user.id));
    expect(rows).toHaveLength(1);
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(1);
  });
});

describe("known browsers", () => {
  it("records the signup's browser, and a sign-in from another one", async () => {
    const { client, user, email, password } = await signedUp();
    const device = client.cookies.get("sp_device");
    expect(device).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The same browser again: still one known browser.
    await client.json("POST", "/api/auth/login", { email, password });
    expect(client.cookies.get("sp_device")).toBe(device);
    const rows = () => db.select().from(userDevices).where(eq(userDevices.userId, user.id));
    expect(await rows()).toHaveLength(1);
    expect((await rows())[0]!.deviceHash).not.toBe(device);
    const elsewhere = new TestClient();
    await elsewhere.json("POST", "/api/auth/login", { email, password });
    expect(elsewhere.cookies.get("sp_device")).not.toBe(device);
    expect(await rows()).toHaveLength(2);
  });

  it("treats a device cookie that is not ours as none", async () => {
    const { email, password } = await signedUp();
    const client = new TestClient();
    client.cookies.set("sp_device", "<script>");
    await client.json("POST", "/api/auth/login", { email, password });
    expect(client.cookies.get("sp_device")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
