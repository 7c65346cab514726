import { env } from "cloudflare:workers";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { listEmailDeliveries, updateEmailPreferences } from "../../../db/queries/email";
import { insertProject } from "../../../db/queries/projects";
import { insertUser } from "../../../db/queries/users";
import { emailDeliveries, jobs, type UserLocale } from "../../../db/schema";
import { testDatabase } from "../../../test/helpers";
import { linkIn, mailsTo, programRecipient } from "../../../test/mailbox";
import { sendEmailJob } from "../../jobs/send-email";
import { runSweep } from "../../jobs/sweeper";
import { queueEmail } from "./queue";
import { sendEmail } from "./send";
import { emailSettings } from "./settings";
import type { EmailRequest, EmailType } from "./types";

const { db, close } = testDatabase();
const users: string[] = [];
afterAll(async () => {
  if (users.length > 0) await db.delete(jobs).where(inArray(jobs.tenantId, users));
  await close();
});

async function newUser(options: { locale?: UserLocale; name?: string } = {}) {
  const email = `mail-${crypto.randomUUID().slice(0, 12)}@example.com`;
  const user = await insertUser(db, {
    email,
    name: options.name ?? "Ada Lovelace",
    locale: options.locale ?? "en",
    passwordHash: null,
  });
  if (!user) throw new Error("user not inserted");
  users.push(user.id);
  return user;
}

async function newProject(ownerId: string, name = "Checkout") {
  return insertProject(db, { ownerId, name, apiKeyHash: crypto.randomUUID(), apiKeyPrefix: "sp_test" });
}

/** A sweep of `send_email` jobs only, at `now`, with the Worker's settings unless overridden. */
function sweepEmails(now: Date, vars: Partial<Env> = {}) {
  return runSweep(db, {
    handlers: { send_email: sendEmailJob.run },
    lanes: [["send_email"]],
    env: { ...env, ...vars },
    now,
    random: () => 0.5,
    budgetMs: 15_000,
  });
}

async function deliveries(userId: string) {
  return listEmailDeliveries(db, { userId });
}

async function jobOf(dedupeKey: string) {
  const [row] = await db
    .select()
    .from(jobs)
    .where(eq(jobs.dedupeKey, `email:${dedupeKey}`));
  return row;
}

const sampleContext = {
  project_name: "Checkout",
  env: "prod",
  verdict: "warning",
  deployment_number: 7,
  deployments_used: 40,
};

describe("send_email", () => {
  it("sends a mail once per dedupe key, with two requests and two sweeps at once", async () => {
    const user = await newUser();
    const now = new Date();
    const request: EmailRequest = { type: "welcome", userId: user.id, dedupeKey: `welcome:${user.id}` };
    await Promise.all([queueEmail(db, request, now), queueEmail(db, request, now)]);
    await Promise.all([sweepEmails(now), sweepEmails(now)]);
    await queueEmail(db, request, now);
    await sweepEmails(new Date(now.getTime() + 1000));

    const mails = await mailsTo(user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ provider: "resend", idempotencyKey: `welcome:${user.id}`, requests: 1 });
    expect(mails[0]?.subject).toBe("Welcome to SeqPulse: create your first project");
    expect(mails[0]?.text).toContain("Hi Ada,");
    const rows = await deliveries(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "sent", emailType: "welcome", providerMessageId: mails[0]?.id });
    expect(rows[0]?.payload).toMatchObject({ to: user.email, subject: mails[0]?.subject, locale: "en" });
  });

  it("sends each catalogue type once per key, even when two runners send the same key at once", async () => {
    const user = await newUser({ locale: "de" });
    const project = await newProject(user.id);
    const now = new Date();
    const catalogue: EmailType[] = [
      "welcome",
      "no_project_after_signup",
      "first_verdict",
      "critical_verdict",
      "quota_80",
      "quota_reached",
      "env_forced",
    ];
    // No cooldown here: every product type must go out (the cooldown has its own test).
    const settings = { ...emailSettings(env), marketingCooldownHours: 0 };
    for (const type of catalogue) {
      const payload = {
        type,
        userId: user.id,
        projectId: type === "welcome" || type === "no_project_after_signup" ? null : project.id,
        dedupeKey: `${type}:${project.id}`,
        context: { ...sampleContext, project_id: project.id },
      };
      const results = await Promise.all([
        sendEmail(db, env, payload, { now, settings }),
        sendEmail(db, env, payload, { now, settings }),
      ]);
      const statuses = results.map((result) => result.status).sort();
      if (type === "no_project_after_signup") expect(statuses).toEqual(["skipped_dedup", "suppressed"]);
      else expect(statuses).toEqual(["sent", "skipped_dedup"]);
    }
    const mails = await mailsTo(user.email);
    expect(mails).toHaveLength(catalogue.length - 1);
    expect(new Set(mails.map((mail) => mail.idempotencyKey)).size).toBe(mails.length);
    // The reader's language.
    expect(mails.find((mail) => mail.idempotencyKey?.startsWith("critical_verdict"))?.subject).toBe(
      "Warnung: Checkout (prod) — Warnung",
    );
    const suppressed = (await deliveries(user.id)).find((row) => row.emailType === "no_project_after_signup");
    expect(suppressed).toMatchObject({
      status: "suppressed",
      payload: { reason: "project_already_created" },
    });
  });

  it("records a type left out of EMAIL_ENABLED_TYPES as suppressed, for good", async () => {
    const user = await newUser();
    const now = new Date();
    const key = `first_verdict:${crypto.randomUUID()}`;
    await queueEmail(db, { type: "first_verdict", userId: user.id, dedupeKey: key }, now);
    const sweep = await sweepEmails(now, { EMAIL_ENABLED_TYPES: "welcome, critical_verdict" });
    expect(sweep.succeeded).toBeGreaterThanOrEqual(1);
    expect(await mailsTo(user.email)).toHaveLength(0);
    expect((await deliveries(user.id))[0]).toMatchObject({
      status: "suppressed",
      payload: { reason: "rollout_disabled" },
    });
    // Enabling the type later does not resurrect a suppressed key.
    const again = await sendEmail(
      db,
      env,
      { type: "first_verdict", userId: user.id, projectId: null, dedupeKey: key, context: {} },
      { now },
    );
    expect(again).toEqual({ status: "skipped_dedup" });
  });

  it("delays a first-verdict mail past the product cooldown instead of dropping it", async () => {
    const user = await newUser();
    const project = await newProject(user.id);
    const now = new Date();
    await queueEmail(
      db,
      {
        type: "quota_80",
        userId: user.id,
        projectId: project.id,
        dedupeKey: `free_quota_80:${project.id}:x`,
        context: { project_name: "Checkout", project_id: project.id },
      },
      now,
    );
    await sweepEmails(now);
    expect(await mailsTo(user.email)).toHaveLength(1);

    const later = new Date(now.getTime() + 60_000);
    const firstKey = `first_verdict:${project.id}`;
    const onboardingKey = `no_project_after_signup:${user.id}`;
    await queueEmail(
      db,
      {
        type: "first_verdict",
        userId: user.id,
        projectId: project.id,
        dedupeKey: firstKey,
        context: { project_name: "Checkout", verdict: "ok" },
      },
      later,
    );
    await queueEmail(
      db,
      { type: "env_forced", userId: user.id, projectId: project.id, dedupeKey: onboardingKey, context: {} },
      later,
    );
    const sweep = await sweepEmails(later);
    expect(sweep.deferred).toBe(1);
    expect(await mailsTo(user.email)).toHaveLength(1);
    const deferred = await jobOf(firstKey);
    const sentAt = (await deliveries(user.id)).find((row) => row.emailType === "quota_80")?.sentAt;
    // Deferred to the end of the 24 h cooldown, without using an attempt.
    expect(deferred?.runAt.getTime()).toBeGreaterThan(sentAt!.getTime() + 24 * 3_600_000);
    expect(deferred?.runAt.getTime()).toBeLessThan(sentAt!.getTime() + 24 * 3_600_000 + 60_000);
    expect(deferred?.attempts).toBe(0);
    const [onboarding] = await db
      .select()
      .from(emailDeliveries)
      .where(eq(emailDeliveries.dedupeKey, onboardingKey));
    expect(onboarding).toMatchObject({ status: "suppressed", payload: { reason: "marketing_cooldown" } });

    await sweepEmails(new Date(now.getTime() + 25 * 3_600_000));
    const mails = await mailsTo(user.email);
    expect(mails).toHaveLength(2);
    expect(mails[0]?.subject).toBe("First verdict for Checkout: ok");
  });

  it("honours the user's preferences for product and alert mail, never for essential mail", async () => {
    const user = await newUser({ locale: "fr" });
    const now = new Date();
    await updateEmailPreferences(db, user.id, { product: false, alerts: false }, { now });
    const send = (type: EmailType) =>
      sendEmail(
        db,
        env,
        { type, userId: user.id, projectId: null, dedupeKey: `${type}:${crypto.randomUUID()}`, context: {} },
        { now },
      );
    expect(await send("first_verdict")).toEqual({ status: "suppressed", reason: "unsubscribed" });
    expect(await send("critical_verdict")).toEqual({ status: "suppressed", reason: "unsubscribed" });
    expect((await send("welcome")).status).toBe("sent");
    await updateEmailPreferences(db, user.id, { alerts: true }, { now });
    expect((await send("critical_verdict")).status).toBe("sent");
    const mails = await mailsTo(user.email);
    expect(mails.map((mail) => mail.subject)).toEqual([
      "Alerte : votre projet (prod) — retour arrière recommandé",
      "Bienvenue sur SeqPulse : créez votre premier projet",
    ]);
  });

  it("marks a send that the provider refuses failed, retries the job, and sends once", async () => {
    const user = await newUser();
    await programRecipient(user.email, { fail: 1, status: 500 });
    const now = new Date();
    const key = `welcome:${user.id}`;
    await queueEmail(db, { type: "welcome", userId: user.id, dedupeKey: key }, now);
    const first = await sweepEmails(now);
    expect(first.failed).toBe(1);
    expect((await deliveries(user.id))[0]).toMatchObject({ status: "failed" });
    expect((await deliveries(user.id))[0]?.errorMessage).toContain("provider answered 500");
    const job = await jobOf(key);
    expect(job).toMatchObject({ status: "failed", attempts: 1 });

    await sweepEmails(new Date(job!.runAt.getTime() + 1000));
    expect((await deliveries(user.id))[0]).toMatchObject({ status: "sent", errorMessage: null });
    expect(await mailsTo(user.email)).toHaveLength(1);
    expect((await jobOf(key))?.status).toBe("succeeded");
  });

  it("gives up on a provider that does not answer within 10 s", { timeout: 30_000 }, async () => {
    const user = await newUser();
    await programRecipient(user.email, { hang: 1 });
    const started = Date.now();
    await expect(
      sendEmail(
        db,
        env,
        { type: "welcome", userId: user.id, projectId: null, dedupeKey: `welcome:${user.id}`, context: {} },
        { now: new Date() },
      ),
    ).rejects.toThrow(/timed out/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await deliveries(user.id))[0]).toMatchObject({
      status: "failed",
      errorMessage: "provider timed out after 10 s",
    });
    expect(await mailsTo(user.email)).toHaveLength(0);
  });

  it("speaks Postmark's API, with the unsubscribe headers on non-essential mail", async () => {
    const user = await newUser();
    const settings = {
      ...emailSettings(env),
      provider: "postmark" as const,
      replyTo: "support@seqpulse.test",
    };
    const key = `critical_verdict:${crypto.randomUUID()}`;
    const result = await sendEmail(
      db,
      env,
      {
        type: "critical_verdict",
        userId: user.id,
        projectId: null,
        dedupeKey: key,
        context: { deployment_id: "d-1" },
      },
      { now: new Date(), settings },
    );
    expect(result.status).toBe("sent");
    const [mail] = await mailsTo(user.email);
    expect(mail).toMatchObject({
      provider: "postmark",
      metadata: { dedupe_key: key },
      replyTo: "support@seqpulse.test",
    });
    expect(mail?.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(mail?.headers["List-Unsubscribe"]).toMatch(
      /^<http:\/\/seqpulse\.test\/api\/email\/unsubscribe\/one-click\?token=.+>$/,
    );
    expect(linkIn(mail!, "/deployments/view/").searchParams.get("id")).toBe("d-1");
    expect(linkIn(mail!, "/unsubscribe/").searchParams.get("token")).toBeTruthy();
    expect(result).toMatchObject({ messageId: mail?.id });
  });

  it("sends essential mail without unsubscribe link or headers", async () => {
    const user = await newUser();
    await sendEmail(
      db,
      env,
      { type: "welcome", userId: user.id, projectId: null, dedupeKey: `welcome:${user.id}`, context: {} },
      { now: new Date() },
    );
    const [mail] = await mailsTo(user.email);
    expect(mail?.headers["List-Unsubscribe"]).toBeUndefined();
    expect(mail?.text).not.toContain("/unsubscribe/");
    expect(linkIn(mail!, "/projects/").origin).toBe("http://seqpulse.test");
  });

  it("logs mail with the console provider, and fails without an API key or with a non-loopback override", async () => {
    const user = await newUser();
    const base = emailSettings(env);
    const send = (type: EmailType, settings: typeof base) =>
      sendEmail(
        db,
        env,
        { type, userId: user.id, projectId: null, dedupeKey: `${type}:${crypto.randomUUID()}`, context: {} },
        { now: new Date(), settings },
      );
    const logged = await send("welcome", { ...base, provider: "console" });
    expect(logged).toMatchObject({ status: "sent", messageId: expect.stringMatching(/^console_/) });
    await expect(send("welcome", { ...base, apiKey: "" })).rejects.toThrow(/EMAIL_API_KEY is not set/);
    await expect(send("welcome", { ...base, apiKey: "re_wrong" })).rejects.toThrow(/provider answered 403/);
    await expect(
      send("welcome", emailSettings({ ...env, EMAIL_API_BASE_URL_OVERRIDE: "https://api.example.com" })),
    ).rejects.toThrow(/not a loopback URL/);
    expect(await mailsTo(user.email)).toHaveLength(0);
    const rows = await deliveries(user.id);
    expect(rows.filter((row) => row.status === "failed")).toHaveLength(3);
  });

  it("escapes values in HTML and keeps them whole in text", async () => {
    const user = await newUser({ name: "<img src=x onerror=alert(1)>" });
    await sendEmail(
      db,
      env,
      {
        type: "first_verdict",
        userId: user.id,
        projectId: null,
        dedupeKey: `first_verdict:${crypto.randomUUID()}`,
        context: { project_name: '<script>alert("x")</script>' },
      },
      { now: new Date() },
    );
    const [mail] = await mailsTo(user.email);
    expect(mail?.html).not.toContain("<script>");
    expect(mail?.html).not.toContain("<img src=x");
    expect(mail?.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(mail?.text).toContain('<script>alert("x")</script>');
    expect(mail?.subject).toBe('First verdict for <script>alert("x")</script>: warning');
  });

  it("sends nothing when the user is gone", async () => {
    const user = await newUser();
    const now = new Date();
    await queueEmail(db, { type: "welcome", userId: user.id, dedupeKey: `welcome:${user.id}` }, now);
    await db
      .delete((await import("../../../db/schema")).users)
      .where(eq((await import("../../../db/schema")).users.id, user.id));
    const sweep = await sweepEmails(now);
    expect(sweep.failed).toBe(0);
    expect(await mailsTo(user.email)).toHaveLength(0);
    expect(
      await db
        .select()
        .from(emailDeliveries)
        .where(and(eq(emailDeliveries.userId, user.id))),
    ).toHaveLength(0);
  });
});
