import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { recoveryCodes, twoFactorChallenges, users } from "../../../db/schema";
import { errorCode, TestClient } from "../../../test/client";
import { fieldsOf, testDatabase } from "../../../test/helpers";
import { referenceTotpForStep } from "../../../test/totp-reference";
import { generateRecoveryCode, legacyRecoveryCodeHash } from "./two-factor";

const { db, close } = testDatabase();
afterAll(() => close());

const CHALLENGE_COOKIE = "seqpulse_2fa";
const SESSION_COOKIE = "seqpulse_session";
const RECOVERY_CODE = /^[23456789A-HJ-NP-Z]{4}-[23456789A-HJ-NP-Z]{4}-[23456789A-HJ-NP-Z]{2}$/;

/**
 * The step at the start of a test. A test takes far less than 30 s, so the server's step stays
 * `t` or `t + 1` throughout: codes for steps `t` and `t + 1` are accepted whenever they are
 * sent (one step of slack), which keeps these tests free of clock races.
 */
const currentStep = () => Math.floor(Date.now() / 30_000);

/** A six-digit code that is none of the codes valid around `step`. */
async function wrongCode(secret: string, step: number): Promise<string> {
  const valid = new Set(
    await Promise.all([-1, 0, 1, 2].map((offset) => referenceTotpForStep(secret, step + offset))),
  );
  return ["000000", "111111", "222222", "333333", "444444"].find((code) => !valid.has(code))!;
}

interface TwoFactorAccount {
  client: TestClient;
  userId: string;
  email: string;
  password: string;
  secret: string;
  /** The step whose code enabled 2FA: the next accepted code is for `step + 1`. */
  step: number;
  recoveryCodes: string[];
}

/** Signs up, sets up and enables 2FA with a code from the reference implementation. */
async function accountWithTwoFactor(): Promise<TwoFactorAccount> {
  const client = new TestClient();
  const { user, email, password } = await client.signUp();
  const setup = await client.json("POST", "/api/auth/2fa/setup");
  expect(setup.status).toBe(200);
  const { secret } = await setup.json<{ secret: string }>();
  const step = currentStep();
  const enable = await client.json("POST", "/api/auth/2fa/enable", {
    code: await referenceTotpForStep(secret, step),
  });
  expect(enable.status).toBe(200);
  const { recoveryCodes } = await enable.json<{ recoveryCodes: string[] }>();
  return { client, userId: user.id, email, password, secret, step, recoveryCodes };
}

/** Logs out, then passes the password step: the client holds only the pre-auth cookie. */
async function signInAgain(account: TwoFactorAccount, client = account.client): Promise<void> {
  if (client.cookies.has(SESSION_COOKIE)) {
    expect((await client.json("POST", "/api/auth/logout")).status).toBe(204);
  }
  const login = await client.json("POST", "/api/auth/login", {
    email: account.email,
    password: account.password,
  });
  expect(login.status).toBe(200);
  expect(await login.json()).toEqual({ twoFactorRequired: true });
  expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
  expect(client.cookies.get(CHALLENGE_COOKIE)).toMatch(/^[a-z2-7]+\.[A-Za-z0-9_-]+$/);
}

describe("setting up 2FA and signing in with it", () => {
  it("goes setup -> enable -> logout -> password -> code -> session", async () => {
    const client = new TestClient();
    const { user, email, password } = await client.signUp();
    expect(await (await client.fetch("/api/auth/2fa")).json()).toEqual({
      enabled: false,
      recoveryCodesRemaining: 0,
    });

    const setup = await client.json("POST", "/api/auth/2fa/setup");
    expect(setup.status).toBe(200);
    const { secret, otpauthUri, qrSvg } = await setup.json<{
      secret: string;
      otpauthUri: string;
      qrSvg: string;
    }>();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 20 bytes
    expect(otpauthUri.startsWith(`otpauth://totp/SeqPulse:${encodeURIComponent(email)}?`)).toBe(true);
    const uri = new URL(otpauthUri);
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      issuer: "SeqPulse",
      algorithm: "SHA1",
      secret,
      period: "30",
      digits: "6",
    });
    expect(qrSvg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+">/);
    expect(qrSvg).toContain("<path");
    // Pending until confirmed, and encrypted at rest.
    const [pending] = await db
      .select({ enabled: users.totpEnabledAt, pending: users.totpPendingSecretEncrypted })
      .from(users)
      .where(eq(users.id, user.id));
    expect(pending?.enabled).toBeNull();
    expect(pending?.pending).toMatch(/^v1\./);
    expect(pending?.pending).not.toContain(secret);

    const step = currentStep();
    const enable = await client.json("POST", "/api/auth/2fa/enable", {
      code: await referenceTotpForStep(secret, step),
    });
    expect(enable.status).toBe(200);
    const { recoveryCodes: codes } = await enable.json<{ recoveryCodes: string[] }>();
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(RECOVERY_CODE);
    expect(new Set(codes).size).toBe(10);
    expect(await (await client.fetch("/api/auth/2fa")).json()).toEqual({
      enabled: true,
      recoveryCodesRemaining: 10,
    });
    const me = await (await client.fetch("/api/auth/me")).json<{ user: { twoFactorEnabled: boolean } }>();
    expect(me.user.twoFactorEnabled).toBe(true);

    const [stored] = await db
      .select({
        secret: users.totpSecretEncrypted,
        pending: users.totpPendingSecretEncrypted,
        lastStep: users.totpLastUsedStep,
      })
      .from(users)
      .where(eq(users.id, user.id));
    expect(stored?.secret).toMatch(/^v1\./);
    expect(stored?.secret).not.toContain(secret);
    expect(stored?.pending).toBeNull();
    expect(stored?.lastStep).toBeGreaterThanOrEqual(step);
    const hashes = await db
      .select({ codeHash: recoveryCodes.codeHash })
      .from(recoveryCodes)
      .where(eq(recoveryCodes.userId, user.id));
    expect(hashes).toHaveLength(10);
    // Keyed (HMAC under the server's key, version named), never the bare SHA-256 of a code.
    const unkeyed = await Promise.all(codes.map(legacyRecoveryCodeHash));
    for (const { codeHash } of hashes) {
      expect(codeHash).toMatch(/^hmac-v1:[0-9a-f]{64}$/);
      expect(unkeyed).not.toContain(codeHash.slice("hmac-v1:".length));
      expect(unkeyed).not.toContain(codeHash);
      expect(codes.join()).not.toContain(codeHash);
    }

    const account = { client, userId: user.id, email, password, secret, step, recoveryCodes: codes };
    await signInAgain(account);
    expect((await client.fetch("/api/auth/me")).status).toBe(401);

    const verify = await client.json("POST", "/api/auth/2fa/verify", {
      code: await referenceTotpForStep(secret, step + 1),
    });
    expect(verify.status).toBe(200);
    const body = await verify.json<{ user: Record<string, unknown> }>();
    expect(body.user).toMatchObject({ id: user.id, email, twoFactorEnabled: true, hasPassword: true });
    expect(client.cookies.has(CHALLENGE_COOKIE)).toBe(false);
    expect(client.cookies.get(SESSION_COOKIE)).toMatch(/.+/);
    expect((await client.fetch("/api/auth/me")).status).toBe(200);
    expect(
      await db.select().from(twoFactorChallenges).where(eq(twoFactorChallenges.userId, user.id)),
    ).toEqual([]);
  });

  it.skipIf(!env.TEST_OATHTOOL_URL)("accepts a code from Debian's oathtool", async () => {
    const account = await accountWithTwoFactor();
    await signInAgain(account);
    const step = account.step + 1;
    const oathtool = await fetch(`${env.TEST_OATHTOOL_URL}/totp?secret=${account.secret}&time=${step * 30}`);
    expect(oathtool.status).toBe(200);
    const code = await oathtool.text();
    expect(code).toMatch(/^\d{6}$/);
    const verify = await account.client.json("POST", "/api/auth/2fa/verify", { code });
    expect(verify.status).toBe(200);
    expect((await account.client.fetch("/api/auth/me")).status).toBe(200);
  });

  it("accepts the code with spaces, as apps display it", async () => {
    const account = await accountWithTwoFactor();
    await signInAgain(account);
    const code = await referenceTotpForStep(account.secret, account.step + 1);
    const verify = await account.client.json("POST", "/api/auth/2fa/verify", {
      code: ` ${code.slice(0, 3)} ${code.slice(3)} `,
    });
    expect(verify.status).toBe(200);
  });

  it("refuses setup once 2FA is on, and enable before setup or with a wrong code", async () => {
    const account = await accountWithTwoFactor();
    const again = await account.client.json("POST", "/api/auth/2fa/setup");
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("TWO_FACTOR_ALREADY_ENABLED");

    const fresh = new TestClient();
    await fresh.signUp();
    const early = await fresh.json("POST", "/api/auth/2fa/enable", { code: "123456" });
    expect(early.status).toBe(409);
    expect(await errorCode(early)).toBe("CONFLICT");

    const { secret } = await (await fresh.json("POST", "/api/auth/2fa/setup")).json<{ secret: string }>();
    const wrong = await fresh.json("POST", "/api/auth/2fa/enable", {
      code: await wrongCode(secret, currentStep()),
    });
    expect(wrong.status).toBe(400);
    expect(await errorCode(wrong)).toBe("INVALID_CODE");
    expect(await (await fresh.fetch("/api/auth/2fa")).json()).toMatchObject({ enabled: false });
  });

  it("does not enable with a code from an earlier, replaced setup secret", async () => {
    const client = new TestClient();
    await client.signUp();
    const first = await (await client.json("POST", "/api/auth/2fa/setup")).json<{ secret: string }>();
    const second = await (await client.json("POST", "/api/auth/2fa/setup")).json<{ secret: string }>();
    expect(second.secret).not.toBe(first.secret);
    const step = currentStep();
    const stale = await client.json("POST", "/api/auth/2fa/enable", {
      code: await referenceTotpForStep(first.secret, step),
    });
    // (A one-in-a-million collision of the two secrets' codes would pass; not worth a retry.)
    expect(stale.status).toBe(400);
    const current = await client.json("POST", "/api/auth/2fa/enable", {
      code: await referenceTotpForStep(second.secret, step),
    });
    expect(current.status).toBe(200);
  });
});

describe("POST /api/auth/2fa/verify", () => {
  it("refuses a code already used (replay), including the one that enabled 2FA", async () => {
    const account = await accountWithTwoFactor();
    await signInAgain(account);
    const enablingCode = await referenceTotpForStep(account.secret, account.step);
    const replayEnable = await account.client.json("POST", "/api/auth/2fa/verify", { code: enablingCode });
    expect(replayEnable.status).toBe(400);
    expect(await errorCode(replayEnable)).toBe("INVALID_CODE");

    const code = await referenceTotpForStep(account.secret, account.step + 1);
    expect((await account.client.json("POST", "/api/auth/2fa/verify", { code })).status).toBe(200);
    await signInAgain(account);
    const replay = await account.client.json("POST", "/api/auth/2fa/verify", { code });
    expect(replay.status).toBe(400);
    expect(await errorCode(replay)).toBe("INVALID_CODE");
    expect(account.client.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("lets exactly one of two concurrent logins use the same code", async () => {
    const account = await accountWithTwoFactor();
    const other = new TestClient();
    await signInAgain(account);
    await signInAgain(account, other);
    const code = await referenceTotpForStep(account.secret, account.step + 1);
    const responses = await Promise.all([
      account.client.json("POST", "/api/auth/2fa/verify", { code }),
      other.json("POST", "/api/auth/2fa/verify", { code }),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 400]);
  });

  it("ends the challenge at the fifth wrong code; a right code after that is refused", async () => {
    const account = await accountWithTwoFactor();
    await signInAgain(account);
    const cookie = account.client.cookies.get(CHALLENGE_COOKIE)!;
    const wrong = await wrongCode(account.secret, account.step);
    for (let attempt = 1; attempt <= 4; attempt++) {
      const response = await account.client.json("POST", "/api/auth/2fa/verify", { code: wrong });
      expect(response.status).toBe(400);
      expect(await errorCode(response)).toBe("INVALID_CODE");
    }
    const fifth = await account.client.json("POST", "/api/auth/2fa/verify", { code: wrong });
    expect(fifth.status).toBe(401);
    expect(await errorCode(fifth)).toBe("UNAUTHENTICATED");
    expect(account.client.cookies.has(CHALLENGE_COOKIE)).toBe(false);
    expect(
      await db.select().from(twoFactorChallenges).where(eq(twoFactorChallenges.userId, account.userId)),
    ).toEqual([]);

    // A client that keeps the old cookie gets nothing for the right code either.
    account.client.cookies.set(CHALLENGE_COOKIE, cookie);
    const sixth = await account.client.json("POST", "/api/auth/2fa/verify", {
      code: await referenceTotpForStep(account.secret, account.step + 1),
    });
    expect(sixth.status).toBe(401);
    expect(account.client.cookies.has(SESSION_COOKIE)).toBe(false);
    // The recovery route shares the challenge: refused too.
    account.client.cookies.set(CHALLENGE_COOKIE, cookie);
    const recovery = await account.client.json("POST", "/api/auth/2fa/recovery", {
      code: account.recoveryCodes[0],
    });
    expect(recovery.status).toBe(401);
  });

  it("counts concurrent wrong codes atomically: five at once end the challenge", async () => {
    const account = await accountWithTwoFactor();
    await signInAgain(account);
    const cookie = account.client.cookies.get(CHALLENGE_COOKIE)!;
    const wrong = await wrongCode(account.secret, account.step);
    const statuses = (
      await Promise.all(
        Array.from({ length: 5 }, () =>
          account.client.fetch("/api/auth/2fa/verify", {
            method: "POST",
            headers: { "Content-Type": "application/json", Cookie: `${CHALLENGE_COOKIE}=${cookie}` },
            body: JSON.stringify({ code: wrong }),
          }),
        ),
      )
    ).map((response) => response.status);
    expect(statuses.filter((status) => status !== 400 && status !== 401)).toEqual([]);
    expect(statuses).toContain(401);
    account.client.cookies.set(CHALLENGE_COOKIE, cookie);
    const right = await account.client.json("POST", "/api/auth/2fa/verify", {
      code: await referenceTotpForStep(account.secret, account.step + 1),
    });
    expect(right.status).toBe(401);
  });

  it("refuses an expired challenge and deletes it", async () => {
    const account = await accountWithTwoFactor();
    await signInAgain(account);
    await db
      .update(twoFactorChallenges)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(twoFactorChallenges.userId, account.userId));
    const response = await account.client.json("POST", "/api/auth/2fa/verify", {
      code: await referenceTotpForStep(account.secret, account.step + 1),
    });
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe("UNAUTHENTICATED");
    expect(account.client.cookies.has(CHALLENGE_COOKIE)).toBe(false);
    expect(account.client.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(
      await db.select().from(twoFactorChallenges).where(eq(twoFactorChallenges.userId, account.userId)),
    ).toEqual([]);
  });

  it("refuses a missing or forged challenge cookie", async () => {
    const account = await accountWithTwoFactor();
    await signInAgain(account);
    const code = await referenceTotpForStep(account.secret, account.step + 1);
    const [id] = account.client.cookies.get(CHALLENGE_COOKIE)!.split(".");

    const none = new TestClient();
    const missing = await none.json("POST", "/api/auth/2fa/verify", { code });
    expect(missing.status).toBe(401);

    for (const forged of [`${id}.${"A".repeat(43)}`, `${id}`, `${id}..x`, "nope.nope"]) {
      const client = new TestClient();
      client.cookies.set(CHALLENGE_COOKIE, forged);
      const response = await client.json("POST", "/api/auth/2fa/verify", { code });
      expect(response.status).toBe(401);
      expect(await errorCode(response)).toBe("UNAUTHENTICATED");
      expect(client.cookies.has(CHALLENGE_COOKIE)).toBe(false);
      expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
    }
    // The real cookie still works: forged attempts did not spend it.
    expect((await account.client.json("POST", "/api/auth/2fa/verify", { code })).status).toBe(200);
  });

  it("slows one address down after five wrong codes; the right code from another address still works", async () => {
    const account = await accountWithTwoFactor();
    const wrong = await wrongCode(account.secret, account.step);
    const statuses: number[] = [];
    // Two challenges from this address: five wrong codes end the first, the sixth costs a second.
    await signInAgain(account);
    for (let i = 0; i < 5; i++) {
      statuses.push((await account.client.json("POST", "/api/auth/2fa/verify", { code: wrong })).status);
    }
    await signInAgain(account);
    statuses.push((await account.client.json("POST", "/api/auth/2fa/verify", { code: wrong })).status);
    expect(statuses).toEqual([400, 400, 400, 400, 401, 400]);
    const right = await referenceTotpForStep(account.secret, account.step + 1);
    const limited = await account.client.json("POST", "/api/auth/2fa/verify", { code: right });
    expect(limited.status).toBe(429);
    expect(await errorCode(limited)).toBe("RATE_LIMITED");
    expect(limited.headers.get("Retry-After")).toBe("1");

    // The owner, from another address: the wrong codes above do not count against them.
    const owner = new TestClient();
    await signInAgain(account, owner);
    expect((await owner.json("POST", "/api/auth/2fa/verify", { code: right })).status).toBe(200);
  });

  it("lets the right code in after ten wrong ones from another address", async () => {
    const account = await accountWithTwoFactor();
    const wrong = await wrongCode(account.secret, account.step);
    const attacker = new TestClient();
    for (let round = 0; round < 2; round++) {
      await signInAgain(account, attacker);
      for (let i = 0; i < 5; i++) await attacker.json("POST", "/api/auth/2fa/verify", { code: wrong });
    }
    await signInAgain(account);
    const response = await account.client.json("POST", "/api/auth/2fa/verify", {
      code: await referenceTotpForStep(account.secret, account.step + 1),
    });
    expect(response.status).toBe(200);
  });
});

describe("POST /api/auth/2fa/recovery", () => {
  it("signs in with each recovery code once, whatever its case and dashes", async () => {
    const account = await accountWithTwoFactor();
    const [first, second] = account.recoveryCodes as [string, string];
    await signInAgain(account);
    const used = await account.client.json("POST", "/api/auth/2fa/recovery", {
      code: first.replace(/-/g, "").toLowerCase(),
    });
    expect(used.status).toBe(200);
    expect((await used.json<{ user: { id: string } }>()).user.id).toBe(account.userId);
    expect((await account.client.fetch("/api/auth/me")).status).toBe(200);
    expect(await (await account.client.fetch("/api/auth/2fa")).json()).toEqual({
      enabled: true,
      recoveryCodesRemaining: 9,
    });

    await signInAgain(account);
    const again = await account.client.json("POST", "/api/auth/2fa/recovery", { code: first });
    expect(again.status).toBe(400);
    expect(await errorCode(again)).toBe("INVALID_CODE");
    const next = await account.client.json("POST", "/api/auth/2fa/recovery", { code: second });
    expect(next.status).toBe(200);
  });

  it("lets exactly one of two concurrent requests spend the same recovery code", async () => {
    const account = await accountWithTwoFactor();
    const other = new TestClient();
    await signInAgain(account);
    await signInAgain(account, other);
    const code = account.recoveryCodes[0];
    const responses = await Promise.all([
      account.client.json("POST", "/api/auth/2fa/recovery", { code }),
      other.json("POST", "/api/auth/2fa/recovery", { code }),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 400]);
    const remaining = await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, account.userId));
    expect(remaining).toHaveLength(9);
  });

  it("still takes a code stored before keyed hashes (unkeyed SHA-256), once", async () => {
    const account = await accountWithTwoFactor();
    const legacy = generateRecoveryCode();
    await db
      .insert(recoveryCodes)
      .values({ userId: account.userId, codeHash: await legacyRecoveryCodeHash(legacy) });
    await signInAgain(account);
    const used = await account.client.json("POST", "/api/auth/2fa/recovery", { code: legacy.toLowerCase() });
    expect(used.status).toBe(200);
    const left = await db
      .select({ codeHash: recoveryCodes.codeHash })
      .from(recoveryCodes)
      .where(eq(recoveryCodes.userId, account.userId));
    expect(left).toHaveLength(10);
    expect(left.every(({ codeHash }) => codeHash.startsWith("hmac-v1:"))).toBe(true);

    await signInAgain(account);
    const again = await account.client.json("POST", "/api/auth/2fa/recovery", { code: legacy });
    expect(again.status).toBe(400);
    expect(await errorCode(again)).toBe("INVALID_CODE");
  });

  it("does not take another user's recovery code", async () => {
    const account = await accountWithTwoFactor();
    const stranger = await accountWithTwoFactor();
    await signInAgain(account);
    const response = await account.client.json("POST", "/api/auth/2fa/recovery", {
      code: stranger.recoveryCodes[0],
    });
    expect(response.status).toBe(400);
  });
});

describe("POST /api/auth/2fa/disable", () => {
  it("needs the password and a code, then clears every 2FA trace", async () => {
    const account = await accountWithTwoFactor();
    const { client } = account;
    const code = await referenceTotpForStep(account.secret, account.step + 1);

    const noPassword = await client.json("POST", "/api/auth/2fa/disable", { code });
    expect(noPassword.status).toBe(400);
    expect(await fieldsOf(noPassword)).toEqual(["password"]);
    const wrongPassword = await client.json("POST", "/api/auth/2fa/disable", {
      password: "not the password at all",
      code,
    });
    expect(wrongPassword.status).toBe(400);
    expect(await fieldsOf(wrongPassword)).toEqual(["password"]);
    const badCode = await client.json("POST", "/api/auth/2fa/disable", {
      password: account.password,
      code: await wrongCode(account.secret, account.step),
    });
    expect(badCode.status).toBe(400);
    expect(await errorCode(badCode)).toBe("INVALID_CODE");
    expect(await (await client.fetch("/api/auth/2fa")).json()).toMatchObject({ enabled: true });

    const disabled = await client.json("POST", "/api/auth/2fa/disable", { password: account.password, code });
    expect(disabled.status).toBe(204);
    expect(await (await client.fetch("/api/auth/2fa")).json()).toEqual({
      enabled: false,
      recoveryCodesRemaining: 0,
    });
    const [row] = await db
      .select({
        secret: users.totpSecretEncrypted,
        pending: users.totpPendingSecretEncrypted,
        enabledAt: users.totpEnabledAt,
        lastStep: users.totpLastUsedStep,
      })
      .from(users)
      .where(eq(users.id, account.userId));
    expect(row).toEqual({ secret: null, pending: null, enabledAt: null, lastStep: null });
    expect(await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, account.userId))).toEqual([]);

    // The password alone signs in again.
    await client.json("POST", "/api/auth/logout");
    const login = await client.json("POST", "/api/auth/login", {
      email: account.email,
      password: account.password,
    });
    expect(await login.json()).toMatchObject({ twoFactorRequired: false });
    expect((await client.fetch("/api/auth/me")).status).toBe(200);
    const again = await client.json("POST", "/api/auth/2fa/disable", { password: account.password, code });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("TWO_FACTOR_NOT_ENABLED");
  });

  it("accepts a recovery code instead of a TOTP code", async () => {
    const account = await accountWithTwoFactor();
    const response = await account.client.json("POST", "/api/auth/2fa/disable", {
      password: account.password,
      code: account.recoveryCodes[3],
    });
    expect(response.status).toBe(204);
  });

  it("asks only for the code on an account without a password (OAuth only)", async () => {
    const account = await accountWithTwoFactor();
    await db.update(users).set({ passwordHash: null }).where(eq(users.id, account.userId));
    const response = await account.client.json("POST", "/api/auth/2fa/disable", {
      code: await referenceTotpForStep(account.secret, account.step + 1),
    });
    expect(response.status).toBe(204);
  });
});

describe("POST /api/auth/2fa/recovery-codes", () => {
  it("replaces every recovery code after a TOTP code; the old ones stop working", async () => {
    const account = await accountWithTwoFactor();
    const wrong = await account.client.json("POST", "/api/auth/2fa/recovery-codes", {
      code: await wrongCode(account.secret, account.step),
    });
    expect(wrong.status).toBe(400);
    expect(await errorCode(wrong)).toBe("INVALID_CODE");

    const response = await account.client.json("POST", "/api/auth/2fa/recovery-codes", {
      code: await referenceTotpForStep(account.secret, account.step + 1),
    });
    expect(response.status).toBe(200);
    const { recoveryCodes: fresh } = await response.json<{ recoveryCodes: string[] }>();
    expect(fresh).toHaveLength(10);
    for (const code of fresh) expect(code).toMatch(RECOVERY_CODE);
    expect(fresh.filter((code) => account.recoveryCodes.includes(code))).toEqual([]);
    expect(await (await account.client.fetch("/api/auth/2fa")).json()).toEqual({
      enabled: true,
      recoveryCodesRemaining: 10,
    });

    await signInAgain(account);
    const old = await account.client.json("POST", "/api/auth/2fa/recovery", {
      code: account.recoveryCodes[0],
    });
    expect(old.status).toBe(400);
    const current = await account.client.json("POST", "/api/auth/2fa/recovery", { code: fresh[0] });
    expect(current.status).toBe(200);
  });

  it("answers 409 when 2FA is off", async () => {
    const client = new TestClient();
    await client.signUp();
    const response = await client.json("POST", "/api/auth/2fa/recovery-codes", { code: "123456" });
    expect(response.status).toBe(409);
    expect(await errorCode(response)).toBe("TWO_FACTOR_NOT_ENABLED");
  });
});

describe("management security", () => {
  it.each([
    ["GET", "/api/auth/2fa", undefined],
    ["POST", "/api/auth/2fa/setup", undefined],
    ["POST", "/api/auth/2fa/enable", { code: "123456" }],
    ["POST", "/api/auth/2fa/disable", { password: "a long enough passphrase", code: "123456" }],
    ["POST", "/api/auth/2fa/recovery-codes", { code: "123456" }],
    ["POST", "/api/auth/2fa/enable", {}],
  ])("%s %s without a session answers 401", async (method, path, body) => {
    const response = await new TestClient().json(method, path, body);
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe("UNAUTHENTICATED");
  });

  it("refuses a personal API token (403): 2FA settings need a session", async () => {
    const owner = new TestClient();
    await owner.signUp();
    const created = await owner.json("POST", "/api/auth/tokens", { name: "ci" });
    const { token } = await created.json<{ token: string }>();
    const script = new TestClient();
    script.bearer = token;
    for (const [method, path, body] of [
      ["GET", "/api/auth/2fa", undefined],
      ["POST", "/api/auth/2fa/setup", undefined],
      ["POST", "/api/auth/2fa/enable", { code: "123456" }],
    ] as const) {
      const response = await script.json(method, path, body);
      expect(response.status).toBe(403);
      expect(await errorCode(response)).toBe("FORBIDDEN");
    }
    expect(await (await owner.fetch("/api/auth/2fa")).json()).toMatchObject({ enabled: false });
  });

  it("a login challenge cookie is not a session", async () => {
    const account = await accountWithTwoFactor();
    await signInAgain(account);
    const response = await account.client.json("POST", "/api/auth/2fa/setup");
    expect(response.status).toBe(401);
  });

  it("answers 429 with Retry-After past 5 setups a minute", async () => {
    const client = new TestClient();
    await client.signUp();
    for (let i = 0; i < 5; i++) expect((await client.json("POST", "/api/auth/2fa/setup")).status).toBe(200);
    const limited = await client.json("POST", "/api/auth/2fa/setup");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
  });
});

describe("bad input", () => {
  const signedIn = async () => {
    const client = new TestClient();
    await client.signUp();
    return client;
  };

  it.each([
    ["five digits", { code: "12345" }],
    ["seven digits", { code: "1234567" }],
    ["letters", { code: "12a456" }],
    ["a number, not a string", { code: 123456 }],
    ["no code", {}],
  ])("enable answers 400 naming code for %s", async (_label, body) => {
    const response = await (await signedIn()).json("POST", "/api/auth/2fa/enable", body);
    expect(response.status).toBe(400);
    expect(await errorCode(response.clone())).toBe("VALIDATION_FAILED");
    expect(await fieldsOf(response)).toEqual(["code"]);
  });

  it("verify, recovery, disable and recovery-codes name the bad field", async () => {
    const client = await signedIn();
    const cases: Array<[string, unknown, string]> = [
      ["/api/auth/2fa/verify", { code: "12 34" }, "code"],
      ["/api/auth/2fa/recovery", { code: "ABCD-EFGH-J0" }, "code"],
      ["/api/auth/2fa/recovery", { code: "123456" }, "code"],
      ["/api/auth/2fa/disable", { password: "x", code: "12" }, "code"],
      ["/api/auth/2fa/disable", { password: "", code: "123456" }, "password"],
      ["/api/auth/2fa/recovery-codes", { code: "ABCD-EFGH-JK" }, "code"],
    ];
    for (const [path, body, field] of cases) {
      const response = await client.json("POST", path, body);
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(await fieldsOf(response)).toEqual([field]);
    }
  });
});
