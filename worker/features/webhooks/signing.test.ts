import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signedWebhookHeaders } from "./signing";

// Verified by the `standardwebhooks` reference library, not by our own code.

const body = JSON.stringify({ type: "deployment.finished", data: { deployment_id: "d1" } });

describe("Standard Webhooks signing", () => {
  it("makes whsec_ secrets of 32 random bytes", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it("signs what the reference library verifies", async () => {
    const secret = newWebhookSecret();
    const headers = await signedWebhookHeaders({
      messageId: "msg_1",
      body,
      secrets: [secret],
      now: new Date(),
    });
    expect(headers["webhook-id"]).toBe("msg_1");
    expect(headers["webhook-timestamp"]).toMatch(/^\d+$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it("is refused under another secret, for another body, or when stale", async () => {
    const secret = newWebhookSecret();
    const headers = await signedWebhookHeaders({
      messageId: "msg_2",
      body,
      secrets: [secret],
      now: new Date(),
    });
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    const old = await signedWebhookHeaders({
      messageId: "msg_2",
      body,
      secrets: [secret],
      now: new Date(Date.now() - 10 * 60_000),
    });
    expect(() => new Webhook(secret).verify(body, old)).toThrow();
  });

  it("signs with both secrets during a rotation overlap: either verifies", async () => {
    const current = newWebhookSecret();
    const previous = newWebhookSecret();
    const headers = await signedWebhookHeaders({
      messageId: "msg_3",
      body,
      secrets: [current, previous],
      now: new Date(),
    });
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toBeTruthy();
    expect(new Webhook(previous).verify(body, headers)).toBeTruthy();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });
});
