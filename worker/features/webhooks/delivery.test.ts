import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { findDeliveryTarget, insertDelivery, insertWebhookWithinLimit } from "../../../db/queries/webhooks";
import { TestClient } from "../../../test/client";
import { testDatabase } from "../../../test/helpers";
import { StandInReceiver } from "../../../test/metrics-app";
import { secretBox } from "../../lib/secret-box";
import { attemptDelivery, checkWebhookUrl, sendWebhook, webhookSecretContext } from "./delivery";
import { newWebhookSecret } from "./signing";

const { db, close } = testDatabase();
afterAll(() => close());

const send = (url: string, allowPrivateTargets = true) =>
  sendWebhook({
    url,
    messageId: "msg_test",
    body: "{}",
    secrets: [newWebhookSecret()],
    allowPrivateTargets,
    now: new Date(),
  });

describe("checkWebhookUrl", () => {
  it("takes the metrics endpoint's rules, and https only outside development", () => {
    expect(checkWebhookUrl("https://hooks.example.com/x", { allowPrivateTargets: false }).ok).toBe(true);
    expect(checkWebhookUrl("http://hooks.example.com/x", { allowPrivateTargets: false })).toEqual({
      ok: false,
      reason: "webhooks are sent over https only",
    });
    expect(checkWebhookUrl("https://127.0.0.1/x", { allowPrivateTargets: false }).ok).toBe(false);
    expect(checkWebhookUrl("http://127.0.0.1:8080/x", { allowPrivateTargets: true }).ok).toBe(true);
  });
});

describe("sendWebhook", () => {
  it("sends nothing to a refused URL", async () => {
    const receiver = new StandInReceiver();
    const outcome = await send(receiver.url, false);
    expect(outcome).toMatchObject({ ok: false, statusCode: null, gone: false });
    expect(await receiver.received()).toEqual([]);
  });

  it("does not follow a redirect: a 3xx is a failure", async () => {
    const receiver = new StandInReceiver();
    await receiver.answer([307]);
    expect(await send(receiver.url)).toMatchObject({ ok: false, statusCode: 307, gone: false });
    expect(await receiver.received()).toHaveLength(1);
  });

  it("calls a 410 gone, and keeps the start of a failing body for the log", async () => {
    const receiver = new StandInReceiver();
    await receiver.answer([410]);
    const outcome = await send(receiver.url);
    expect(outcome).toMatchObject({ ok: false, statusCode: 410, gone: true });
    expect(outcome.ok ? "" : outcome.error).toMatch(/^HTTP 410: \{"received":false\}$/);
  });
});

describe("attemptDelivery", () => {
  it("marks a delivery failed on its last attempt, and pending before", async () => {
    const owner = new TestClient();
    await owner.signUp();
    const created = await owner.json("POST", "/api/projects", { name: "Last attempt" });
    const { project } = await created.json<{ project: { id: string } }>();
    const receiver = new StandInReceiver();
    await receiver.answer([503]);
    const id = crypto.randomUUID();
    await insertWebhookWithinLimit(
      db,
      {
        id,
        projectId: project.id,
        url: receiver.url,
        events: ["deployment.finished"],
        secretEncrypted: await secretBox(env.ENCRYPTION_KEYS).encrypt(
          newWebhookSecret(),
          webhookSecretContext(id),
        ),
      },
      10,
    );
    const delivery = await insertDelivery(db, {
      id: crypto.randomUUID(),
      webhookId: id,
      messageId: "msg_last",
      event: "deployment.finished",
      payload: { type: "deployment.finished" },
    });
    const now = new Date();
    expect(await attemptDelivery(db, env, delivery.id, { now, lastAttempt: false })).toBe("retry");
    expect((await findDeliveryTarget(db, delivery.id))?.delivery).toMatchObject({
      status: "pending",
      attempts: 1,
      lastStatusCode: 503,
    });
    expect(await attemptDelivery(db, env, delivery.id, { now, lastAttempt: true })).toBe("failed");
    expect((await findDeliveryTarget(db, delivery.id))?.delivery).toMatchObject({
      status: "failed",
      attempts: 2,
      lastStatusCode: 503,
    });
    expect(await attemptDelivery(db, env, crypto.randomUUID(), { now, lastAttempt: true })).toBe("skipped");
  });
});
