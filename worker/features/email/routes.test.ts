import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getEmailPreferences } from "../../../db/queries/email";
import { users } from "../../../db/schema";
import { errorCode, TestClient } from "../../../test/client";
import { request, testDatabase } from "../../../test/helpers";
import { mailsTo } from "../../../test/mailbox";
import { sendEmail } from "./send";
import { unsubscribeToken } from "./unsubscribe-token";

const { db, close } = testDatabase();
afterAll(() => close());

const PREFERENCES = "/api/account/email-preferences";

async function signedIn() {
  const client = new TestClient();
  const account = await client.signUp();
  return { client, ...account };
}

function unsubscribe(token: unknown) {
  return request("/api/email/unsubscribe", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token }),
  });
}

/** As a mail client's server sends it (RFC 8058): a cross-site form POST, no cookie. */
function oneClick(url: string) {
  return request(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Origin: "https://mail.example.net",
      "Sec-Fetch-Site": "cross-site",
    },
    body: "List-Unsubscribe=One-Click",
  });
}

describe("email preferences", () => {
  it("are 401 without a session and 403 with an API token", async () => {
    expect((await request(PREFERENCES)).status).toBe(401);
    const put = await request(PREFERENCES, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ product: false }),
    });
    expect(put.status).toBe(401);
    const { client } = await signedIn();
    const created = await client.json("POST", "/api/auth/tokens", { name: "scripts" });
    const { token } = await created.json<{ token: string }>();
    const script = new TestClient();
    script.bearer = token;
    expect((await script.fetch(PREFERENCES)).status).toBe(403);
  });

  it("start all on, change one switch at a time, and refuse bad input with 400", async () => {
    const { client, user } = await signedIn();
    expect(await (await client.fetch(PREFERENCES)).json()).toEqual({
      preferences: { product: true, alerts: true },
    });
    const changed = await client.json("PUT", PREFERENCES, { product: false });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toEqual({ preferences: { product: false, alerts: true } });
    expect(await (await client.json("PUT", PREFERENCES, { alerts: false })).json()).toEqual({
      preferences: { product: false, alerts: false },
    });
    for (const body of [{}, { product: "no" }, { product: true, essential: false }, { alerts: null }]) {
      const refused = await client.json("PUT", PREFERENCES, body);
      expect(refused.status).toBe(400);
      expect(await errorCode(refused)).toBe("VALIDATION_FAILED");
    }
    expect(await getEmailPreferences(db, user.id)).toEqual({ product: false, alerts: false });
    // Another user's switches are their own.
    const other = await signedIn();
    expect(await (await other.client.fetch(PREFERENCES)).json()).toEqual({
      preferences: { product: true, alerts: true },
    });
  });
});

describe("unsubscribe links", () => {
  it("turn off the category they name, once or many times", async () => {
    const { user } = await signedIn();
    const token = await unsubscribeToken(env.ENCRYPTION_KEYS, user.id, "alerts");
    for (let i = 0; i < 2; i++) {
      const answer = await unsubscribe(token);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ unsubscribed: "alerts" });
    }
    expect(await getEmailPreferences(db, user.id)).toEqual({ product: true, alerts: false });
  });

  it("refuse a forged, altered or malformed token with 400 and change nothing", async () => {
    const victim = await signedIn();
    const attacker = await signedIn();
    const own = await unsubscribeToken(env.ENCRYPTION_KEYS, attacker.user.id, "product");
    const [, category, version, mac] = own.split(".");
    const flipped = `${own.slice(0, -1)}${own.endsWith("0") ? "1" : "0"}`;
    const forged = [
      flipped,
      `${victim.user.id}.${category}.${version}.${mac}`,
      `${attacker.user.id}.alerts.${version}.${mac}`,
      `${attacker.user.id}.essential.${version}.${mac}`,
      `${attacker.user.id}.${category}.99.${mac}`,
      `${attacker.user.id}.${category}.${version}.${mac}.extra`,
      "not-a-token",
      `${own}\u0000`,
    ];
    for (const token of forged) {
      const answer = await unsubscribe(token);
      expect(answer.status, token).toBe(400);
      expect(["INVALID_UNSUBSCRIBE_TOKEN", "BAD_REQUEST", "VALIDATION_FAILED"]).toContain(
        await errorCode(answer),
      );
    }
    const huge = await unsubscribe("x".repeat(100_000));
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);
    expect((await unsubscribe(42)).status).toBe(400);
    expect(await getEmailPreferences(db, victim.user.id)).toEqual({ product: true, alerts: true });
    expect(await getEmailPreferences(db, attacker.user.id)).toEqual({ product: true, alerts: true });
  });

  it("answer a deleted account's link without error", async () => {
    const { user } = await signedIn();
    const token = await unsubscribeToken(env.ENCRYPTION_KEYS, user.id, "product");
    await db.delete(users).where(eq(users.id, user.id));
    expect((await unsubscribe(token)).status).toBe(200);
  });

  it("work in one click from a mail client (RFC 8058), and the next product mail is not sent", async () => {
    const { user, email } = await signedIn();
    const now = new Date();
    await sendEmail(
      db,
      env,
      {
        type: "critical_verdict",
        userId: user.id,
        projectId: null,
        dedupeKey: `critical_verdict_alert:${crypto.randomUUID()}`,
        context: {},
      },
      { now },
    );
    const [alert] = await mailsTo(email);
    const target = /^<(.+)>$/.exec(alert?.headers["List-Unsubscribe"] ?? "")?.[1];
    expect(target).toBeTruthy();
    const url = new URL(target!);
    // A GET (a scanner following the link) changes nothing.
    expect((await request(`${url.pathname}${url.search}`)).status).toBe(405);
    expect(await getEmailPreferences(db, user.id)).toEqual({ product: true, alerts: true });
    const answer = await oneClick(`${url.pathname}${url.search}`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ unsubscribed: "alerts" });
    const tampered = await oneClick(`${url.pathname}${url.search.slice(0, -2)}00`);
    expect(tampered.status).toBe(400);
    const next = await sendEmail(
      db,
      env,
      {
        type: "critical_verdict",
        userId: user.id,
        projectId: null,
        dedupeKey: `critical_verdict_alert:${crypto.randomUUID()}`,
        context: {},
      },
      { now },
    );
    expect(next).toEqual({ status: "suppressed", reason: "unsubscribed" });
    expect(await mailsTo(email)).toHaveLength(1);
  });
});
