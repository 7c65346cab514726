import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { beforeAll, describe, expect, it } from "vitest";
import { jobs } from "../../../db/schema";
import { TestClient } from "../../../test/client";
import { errorOf, request, testDatabase } from "../../../test/helpers";
import { healthy, StandInReceiver } from "../../../test/metrics-app";
import { drainLeftoverJobs, fireCron, MINUTE, runDeployment } from "../../../test/pipeline";
import { projectWithActiveEndpoint } from "../../../test/projects";

const { db } = testDatabase();

interface Created {
  webhook: { id: string; enabled: boolean; previousSecretValidUntil: string | null };
  secret: string;
}

interface Delivery {
  id: string;
  messageId: string;
  event: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
}

async function createWebhook(client: TestClient, projectId: string, url: string, events: string[]) {
  const response = await client.json("POST", `/api/projects/${projectId}/webhooks`, { url, events });
  expect(response.status, await response.clone().text()).toBe(201);
  return response.json<Created>();
}

async function deliveriesOf(client: TestClient, projectId: string, webhookId: string) {
  const response = await client.json("GET", `/api/projects/${projectId}/webhooks/${webhookId}/deliveries`);
  expect(response.status).toBe(200);
  return (await response.json<{ items: Delivery[] }>()).items;
}

/** Verified by the reference library: the body as received and its three headers. */
function verified(secret: string, received: { headers: Record<string, string>; body: string }) {
  return new Webhook(secret).verify(received.body, received.headers) as {
    type: string;
    timestamp: string;
    data: Record<string, unknown>;
  };
}

async function signedInProject() {
  const client = new TestClient();
  await client.signUp();
  const created = await client.json("POST", "/api/projects", { name: "Hooked service" });
  expect(created.status).toBe(201);
  const { project } = await created.json<{ project: { id: string } }>();
  return { client, projectId: project.id };
}

beforeAll(() => drainLeftoverJobs(), 120_000);

describe("webhook settings", () => {
  it("creates a webhook with its secret once, lists it without, rotates and deletes it", async () => {
    const { client, projectId } = await signedInProject();
    const created = await createWebhook(client, projectId, "https://hooks.example.com/seqpulse", [
      "deployment.verdict",
      "deployment.finished",
    ]);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(created.webhook.enabled).toBe(true);

    const listed = await client.json("GET", `/api/projects/${projectId}/webhooks`);
    const listText = await listed.text();
    expect(listText).not.toContain(created.secret);
    expect(JSON.parse(listText).items).toHaveLength(1);

    const rotated = await client.json(
      "POST",
      `/api/projects/${projectId}/webhooks/${created.webhook.id}/rotate-secret`,
    );
    expect(rotated.status).toBe(200);
    const after = await rotated.json<Created>();
    expect(after.secret).not.toBe(created.secret);
    const overlap = Date.parse(after.webhook.previousSecretValidUntil ?? "") - Date.now();
    expect(overlap).toBeGreaterThan(23 * 60 * MINUTE);
    expect(overlap).toBeLessThanOrEqual(24 * 60 * MINUTE);

    const deleted = await client.json("DELETE", `/api/projects/${projectId}/webhooks/${created.webhook.id}`);
    expect(deleted.status).toBe(204);
    const empty = await client.json("GET", `/api/projects/${projectId}/webhooks`);
    expect((await empty.json<{ items: unknown[] }>()).items).toEqual([]);
  });

  it("refuses URLs collection could not call, and unknown events", async () => {
    const { client, projectId } = await signedInProject();
    for (const url of ["ftp://hooks.example.com/x", "https://user:pw@hooks.example.com/x", "not a url"]) {
      const response = await client.json("POST", `/api/projects/${projectId}/webhooks`, {
        url,
        events: ["deployment.verdict"],
      });
      expect(response.status, url).toBe(400);
      expect((await errorOf(response)).code).toBe("VALIDATION_FAILED");
    }
    const unknown = await client.json("POST", `/api/projects/${projectId}/webhooks`, {
      url: "https://hooks.example.com/x",
      events: ["deployment.exploded"],
    });
    expect(unknown.status).toBe(400);
  });

  it("caps a project at 10 webhooks with WEBHOOK_LIMIT_REACHED", async () => {
    const { client, projectId } = await signedInProject();
    for (let i = 0; i < 10; i++)
      await createWebhook(client, projectId, `https://hooks.example.com/${i}`, ["deployment.verdict"]);
    const eleventh = await client.json("POST", `/api/projects/${projectId}/webhooks`, {
      url: "https://hooks.example.com/11",
      events: ["deployment.verdict"],
    });
    expect(eleventh.status).toBe(403);
    expect((await errorOf(eleventh)).code).toBe("WEBHOOK_LIMIT_REACHED");
  });

  it("answers 401 without credentials and 404 for another owner's webhook, even under their own project", async () => {
    const owner = await signedInProject();
    const { webhook } = await createWebhook(owner.client, owner.projectId, "https://hooks.example.com/o", [
      "deployment.verdict",
    ]);
    const stranger = await signedInProject();
    const paths = (projectId: string) => [
      ["GET", `/api/projects/${projectId}/webhooks`],
      ["DELETE", `/api/projects/${projectId}/webhooks/${webhook.id}`],
      ["POST", `/api/projects/${projectId}/webhooks/${webhook.id}/rotate-secret`],
      ["GET", `/api/projects/${projectId}/webhooks/${webhook.id}/deliveries`],
      ["POST", `/api/projects/${projectId}/webhooks/${webhook.id}/test`],
      [
        "POST",
        `/api/projects/${projectId}/webhooks/${webhook.id}/deliveries/${crypto.randomUUID()}/redeliver`,
      ],
    ];
    for (const [method, path] of paths(owner.projectId)) {
      const anonymous = await request(path!, { method });
      expect(anonymous.status, `${method} ${path}`).toBe(401);
    }
    // Under the stranger's own project, the owner's webhook does not exist either.
    for (const [method, path] of paths(stranger.projectId).slice(1)) {
      const response = await stranger.client.json(method!, path!);
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    const still = await owner.client.json("GET", `/api/projects/${owner.projectId}/webhooks`);
    expect((await still.json<{ items: unknown[] }>()).items).toHaveLength(1);
  });
});

describe("webhook delivery", () => {
  it("sends a signed test event now and answers with the receiver's status", async () => {
    const { client, projectId } = await signedInProject();
    const receiver = new StandInReceiver();
    await receiver.answer([204]);
    const { webhook, secret } = await createWebhook(client, projectId, receiver.url, ["deployment.verdict"]);
    const response = await client.json("POST", `/api/projects/${projectId}/webhooks/${webhook.id}/test`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ delivered: true, statusCode: 204, error: null });
    const [received] = await receiver.received();
    expect(verified(secret, received!)).toMatchObject({
      type: "webhook.test",
      data: { webhook_id: webhook.id },
    });
  });

  it("retries a failing receiver with backoff, logs each attempt, and redelivers with the same webhook-id", {
    timeout: 60_000,
  }, async () => {
    const { owner, project, ci } = await projectWithActiveEndpoint();
    const receiver = new StandInReceiver();
    await receiver.answer([500, 200]);
    const { webhook, secret } = await createWebhook(owner, project.id, receiver.url, [
      "deployment.triggered",
    ]);
    const triggered = await ci.trigger({ env: "prod" });
    expect(triggered.status).toBe(200);
    const { deployment_id: deploymentId } = await triggered.json<{ deployment_id: string }>();

    // Queued with the deployment, in its statement.
    const [queued] = await deliveriesOf(owner, project.id, webhook.id);
    expect(queued).toMatchObject({ event: "deployment.triggered", status: "pending", attempts: 0 });

    const start = Date.now();
    await fireCron(start + 1000);
    const [failed] = await deliveriesOf(owner, project.id, webhook.id);
    expect(failed).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 500 });
    expect(failed?.lastError).toContain("HTTP 500");
    const [job] = await db
      .select()
      .from(jobs)
      .where(eq(jobs.payload, { deliveryId: failed!.id }));
    // The first retry waits 30 s (+/-20 %).
    expect(job!.runAt.getTime() - (start + 1000)).toBeGreaterThanOrEqual(24_000);

    await fireCron(start + 1000 + 10_000);
    expect(await receiver.received()).toHaveLength(1);
    await fireCron(start + 2 * MINUTE);
    const [delivered] = await deliveriesOf(owner, project.id, webhook.id);
    expect(delivered).toMatchObject({
      status: "succeeded",
      attempts: 2,
      lastStatusCode: 200,
      lastError: null,
    });

    const received = await receiver.received();
    expect(received.map((r) => r.status)).toEqual([500, 200]);
    expect(received[0]!.headers["webhook-id"]).toBe(delivered!.messageId);
    expect(received[1]!.headers["webhook-id"]).toBe(delivered!.messageId);
    const payload = verified(secret, received[1]!);
    expect(payload).toMatchObject({
      type: "deployment.triggered",
      data: { deployment_id: deploymentId, project_id: project.id, env: "prod", state: "running" },
    });

    const again = await owner.json(
      "POST",
      `/api/projects/${project.id}/webhooks/${webhook.id}/deliveries/${delivered!.id}/redeliver`,
    );
    expect(again.status).toBe(202);
    await fireCron(Date.now() + 1000);
    const all = await receiver.received();
    expect(all).toHaveLength(3);
    expect(all[2]!.headers["webhook-id"]).toBe(delivered!.messageId);
    expect(all[2]!.body).toBe(received[1]!.body);
    expect(verified(secret, all[2]!)).toEqual(payload);
    const [redelivered] = await deliveriesOf(owner, project.id, webhook.id);
    expect(redelivered).toMatchObject({ status: "succeeded", attempts: 3, lastStatusCode: 200 });
  });

  it("disables the webhook on 410 Gone without retrying", { timeout: 60_000 }, async () => {
    const { owner, project, ci } = await projectWithActiveEndpoint();
    const receiver = new StandInReceiver();
    await receiver.answer([410]);
    const { webhook } = await createWebhook(owner, project.id, receiver.url, ["deployment.triggered"]);
    expect((await ci.trigger({ env: "prod" })).status).toBe(200);
    await fireCron(Date.now() + 1000);
    const [gone] = await deliveriesOf(owner, project.id, webhook.id);
    expect(gone).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 410 });
    const listed = await owner.json("GET", `/api/projects/${project.id}/webhooks`);
    expect((await listed.json<{ items: Array<{ enabled: boolean }> }>()).items[0]?.enabled).toBe(false);
    await fireCron(Date.now() + 10 * MINUTE);
    expect(await receiver.received()).toHaveLength(1);
  });

  it("sends triggered, finished and verdict events of a real deployment, signed, both secrets during a rotation", {
    timeout: 120_000,
  }, async () => {
    const receiver = new StandInReceiver();
    let secrets: string[] = [];
    const run = await runDeployment({
      window: 1,
      responses: [{ metrics: healthy }],
      beforeTrigger: async ({ owner, projectId }) => {
        const created = await createWebhook(owner, projectId, receiver.url, [
          "deployment.triggered",
          "deployment.finished",
          "deployment.verdict",
        ]);
        const rotated = await owner.json(
          "POST",
          `/api/projects/${projectId}/webhooks/${created.webhook.id}/rotate-secret`,
        );
        secrets = [created.secret, (await rotated.json<Created>()).secret];
      },
    });
    await fireCron(Date.now() + 1000);
    const received = await receiver.received();
    const events = received.map((r) => JSON.parse(r.body) as { type: string });
    expect(events.map((event) => event.type).sort()).toEqual([
      "deployment.finished",
      "deployment.triggered",
      "deployment.verdict",
    ]);
    for (const message of received) {
      expect(message.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
      for (const secret of secrets) expect(verified(secret, message)).toBeTruthy();
    }
    const verdict = received.find((r) => r.body.includes('"deployment.verdict"'))!;
    expect(verified(secrets[1]!, verdict)).toMatchObject({
      data: {
        deployment_id: run.deploymentId,
        project_id: run.projectId,
        env: "prod",
        state: "analyzed",
        verdict: "ok",
        confidence: expect.any(Number),
        summary: expect.any(String),
      },
    });
  });
});
