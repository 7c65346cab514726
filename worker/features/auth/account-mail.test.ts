// Which account mail each flow queues (once per event, or once per key when it repeats), and
// what the mail holds: a working link minted at send time, stored nowhere but as a hash.
import { env } from "cloudflare:workers";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { accountTokens, emailDeliveries, jobs, userLocales, users } from "../../../db/schema";
import { TestClient } from "../../../test/client";
import { testDatabase, until } from "../../../test/helpers";
import { referenceTotpForStep } from "../../../test/totp-reference";
import { renderEmail } from "../email/render";
import { sendEmail } from "../email/send";
import { emailSettings } from "../email/settings";
import { emailTemplates } from "../email/templates";
import { accountTemplates } from "../email/templates/account";
import { mintAccountToken } from "./account-tokens";

const { db, close } = testDatabase();
afterAll(() => close());

interface QueuedMail {
  type: string;
  dedupeKey: string;
  context: Record<string, unknown>;
}

/** The mails queued for a user (send_email jobs), oldest first. */
async function queuedMails(userId: string, type?: string): Promise<QueuedMail[]> {
  const rows = await db
    .select({ payload: jobs.payload })
    .from(jobs)
    .where(
      and(
        eq(jobs.type, "send_email"),
        sql`${jobs.payload}->>'userId' = ${userId}`,
        type ? sql`${jobs.payload}->>'type' = ${type}` : sql`true`,
      ),
    )
    .orderBy(jobs.id);
  return rows.map(({ payload }) => payload as unknown as QueuedMail);
}

const types = async (userId: string) => (await queuedMails(userId)).map((mail) => mail.type).sort();

describe("account mail queued by the flows", () => {
  it("signup queues one verification mail; a signup with a taken address mails its owner once an hour", async () => {
    const { user, email } = await new TestClient().signUp();
    expect(await queuedMails(user.id, "verify_email")).toEqual([
      expect.objectContaining({ dedupeKey: `verify_email:${user.id}:signup` }),
    ]);
    // Concurrent attempts: one notice, whatever the race.
    const attempts = await Promise.all(
      [1, 2, 3].map(() =>
        new TestClient().json("POST", "/api/auth/signup", { email, password: "someone else's passphrase" }),
      ),
    );
    expect(attempts.map((response) => response.status)).toEqual([202, 202, 202]);
    const notices = await queuedMails(user.id, "signup_existing_account");
    expect(notices).toHaveLength(1);
    expect(notices[0]!.dedupeKey).toMatch(
      new RegExp(`^signup_existing_account:${user.id}:\\d{4}-\\d{2}-\\d{2}T\\d{2}$`),
    );
  });

  it("forgot queues a reset mail for a known address only, after answering", async () => {
    const { user, email } = await new TestClient().signUp();
    await new TestClient().json("POST", "/api/auth/password/forgot", { email: email.toUpperCase() });
    await until(async () => (await queuedMails(user.id, "password_reset")).length === 1, "the reset mail");
    const before = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(jobs)
      .where(eq(jobs.type, "send_email"));
    await new TestClient().json("POST", "/api/auth/password/forgot", {
      email: `nobody-${crypto.randomUUID().slice(0, 8)}@example.com`,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const unknownReset = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(jobs)
      .where(
        and(eq(jobs.type, "send_email"), sql`${jobs.payload}->>'dedupeKey' like 'password_reset:%nobody%'`),
      );
    expect(unknownReset[0]!.n).toBe(0);
    expect(before[0]!.n).toBeGreaterThan(0);
  });

  it("a password change and a reset each send a 'password changed' notice", async () => {
    const client = new TestClient();
    const { user, password } = await client.signUp();
    const change = await client.json("POST", "/api/auth/password", {
      currentPassword: password,
      newPassword: "a changed passphrase 12",
    });
    expect(change.status).toBe(204);
    const token = await mintAccountToken(db, { userId: user.id, purpose: "password_reset", now: new Date() });
    const reset = await new TestClient().json("POST", "/api/auth/password/reset", {
      token,
      password: "a reset passphrase 34",
    });
    expect(reset.status).toBe(204);
    const changed = await queuedMails(user.id, "password_changed");
    expect(changed.map((mail) => mail.context.how)).toEqual(["change", "reset"]);
  });

  it("turning 2FA on and off each send a notice, with keys unique per event", async () => {
    const client = new TestClient();
    const { user, password } = await client.signUp();
    {
      const setup = await client.json("POST", "/api/auth/2fa/setup");
      const { secret } = await setup.json<{ secret: string }>();
      const step = Math.floor(Date.now() / 30_000);
      expect(
        (
          await client.json("POST", "/api/auth/2fa/enable", {
            code: await referenceTotpForStep(secret, step),
          })
        ).status,
      ).toBe(200);
      const off = await client.json("POST", "/api/auth/2fa/disable", {
        password,
        code: await referenceTotpForStep(secret, step + 1),
      });
      expect(off.status).toBe(204);
    }
    const mails = await queuedMails(user.id);
    expect(mails.filter((mail) => mail.type === "two_factor_enabled")).toHaveLength(1);
    expect(mails.filter((mail) => mail.type === "two_factor_disabled")).toHaveLength(1);
    expect(new Set(mails.map((mail) => mail.dedupeKey)).size).toBe(mails.length);
  });

  it("a sign-in from a new browser sends a notice; the signup's browser and a known one do not", async () => {
    const client = new TestClient();
    const { user, email, password } = await client.signUp();
    await client.json("POST", "/api/auth/login", { email, password });
    expect(await queuedMails(user.id, "new_sign_in")).toHaveLength(0);
    const other = new TestClient();
    await other.fetch("/api/auth/login", {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": "<b>Evil</b> Browser/1.0" },
      body: JSON.stringify({ email, password }),
    });
    await other.json("POST", "/api/auth/login", { email, password });
    const notices = await queuedMails(user.id, "new_sign_in");
    expect(notices).toHaveLength(1);
    expect(notices[0]!.context).toMatchObject({
      user_agent: "<b>Evil</b> Browser/1.0",
      ip_address: other.ip,
    });
  });

  it("no flow queues a mail type without a template", async () => {
    const { user } = await new TestClient().signUp();
    for (const type of await types(user.id))
      expect(emailTemplates[type as keyof typeof emailTemplates]).toBeDefined();
  });
});

describe("account mail templates", () => {
  it.each(userLocales)("render in %s without holes, values escaped in the HTML", async (locale) => {
    for (const template of accountTemplates) {
      const values = {
        first_name: "<script>alert(1)</script>",
        email: "a&b@example.com",
        token: "t".repeat(43),
        how: "reset",
        at: "2026-12-05T14:03:00.000Z",
        user_agent: "<img src=x onerror=alert(1)>",
        ip_address: "198.51.100.7",
        provider: "github",
      };
      Object.assign(values, template.derive?.(values, locale));
      const mail = renderEmail(template, {
        locale,
        values,
        settings: { publicBaseUrl: "https://seqpulse.example.com" },
        unsubscribe: null,
      });
      for (const part of [mail.subject, mail.text, mail.html]) {
        expect(part).not.toMatch(/undefined|\{[a-z_]+\}|null/);
      }
      expect(mail.html).not.toContain("<script>alert");
      expect(mail.html).not.toContain("<img src=x");
      expect(mail.text).toContain("https://seqpulse.example.com/");
    }
  });

  it("the verification mail's link, minted at send time, verifies the address; nothing stored holds it", async () => {
    const client = new TestClient();
    const { user } = await client.signUp();
    await db.update(users).set({ locale: "fr" }).where(eq(users.id, user.id));
    const template = emailTemplates.verify_email!;
    const secrets = await template.prepare!({
      db,
      env,
      userId: user.id,
      projectId: null,
      context: {},
      settings: emailSettings(env),
      now: new Date(),
    });
    const mail = renderEmail(template, {
      locale: "fr",
      values: { first_name: "Ada", email: "ada@example.com", ...secrets },
      settings: { publicBaseUrl: "https://seqpulse.example.com" },
      unsubscribe: null,
    });
    const link = new URL(
      /https:\/\/seqpulse\.example\.com\/fr\/verify-email\/\?token=[A-Za-z0-9_-]+/.exec(mail.text)![0],
    );
    const token = link.searchParams.get("token")!;
    const verified = await new TestClient().json("POST", "/api/auth/email/verify", { token });
    expect(verified.status).toBe(204);

    // Sent through the job's path: the delivery row keeps no token, only its hash is stored.
    const dedupeKey = `verify_email:${user.id}:test-${crypto.randomUUID()}`;
    const result = await sendEmail(
      db,
      env,
      { type: "verify_email", userId: user.id, projectId: null, dedupeKey, context: {} },
      { now: new Date() },
    );
    expect(result.status).toBe("sent");
    const [delivery] = await db
      .select({ payload: emailDeliveries.payload })
      .from(emailDeliveries)
      .where(eq(emailDeliveries.dedupeKey, dedupeKey));
    const stored = JSON.stringify(delivery!.payload);
    const [row] = await db
      .select({ tokenHash: accountTokens.tokenHash })
      .from(accountTokens)
      .where(and(eq(accountTokens.userId, user.id), sql`${accountTokens.usedAt} is null`));
    expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toMatch(/token/i);
    const [job] = await queuedMails(user.id, "verify_email");
    expect(JSON.stringify(job)).not.toMatch(/token/i);
  });
});
