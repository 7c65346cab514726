import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { projectSlack } from "../../../db/schema";
import { errorCode, TestClient } from "../../../test/client";
import { errorOf, request, testDatabase } from "../../../test/helpers";
import { setPlan } from "../../../test/projects";
import { StandInSlack } from "../../../test/slack";
import { secretBox } from "../../lib/secret-box";
import { slackSecretContext } from "./delivery";
import { getOwnedSlackProject, sendSlackTest } from "./slack";

const { db, close } = testDatabase();
afterAll(() => close());

interface Settings {
  projectId: string;
  enabled: boolean;
  onlyProblems: boolean;
  webhookUrl: string | null;
  channel: string | null;
  botTokenSet: boolean;
  botChannelId: string | null;
  path: "bot" | "webhook" | null;
  lastDelivery: { status: string; error: string | null } | null;
}

/** A project on the pro plan (Slack is part of pro and enterprise), or on the plan given. */
async function signedInProject(name = "Slack service", plan: "free" | "pro" | "enterprise" = "pro") {
  const client = new TestClient();
  await client.signUp();
  const created = await client.json("POST", "/api/projects", { name });
  expect(created.status).toBe(201);
  const { project } = await created.json<{ project: { id: string } }>();
  if (plan !== "free") await setPlan(project.id, plan);
  return { client, projectId: project.id };
}

async function put(client: TestClient, projectId: string, body: unknown) {
  return client.json("PUT", `/api/projects/${projectId}/slack`, body);
}

async function settingsOf(response: Response): Promise<Settings> {
  expect(response.status, await response.clone().text()).toBe(200);
  const { slack } = await response.json<{ slack: Settings | null }>();
  if (!slack) throw new Error("no settings");
  return slack;
}

describe("Slack settings", () => {
  it("stores the webhook URL and bot token encrypted, shows the URL masked and the token as set only", async () => {
    const { client, projectId } = await signedInProject();
    const slack = await StandInSlack.create();
    expect(await (await client.json("GET", `/api/projects/${projectId}/slack`)).json()).toEqual({
      slack: null,
    });

    const saved = await settingsOf(
      await put(client, projectId, {
        webhookUrl: slack.webhookUrl,
        channel: "#deploys",
        botToken: slack.token,
        botChannelId: slack.channelId,
      }),
    );
    const secretPart = slack.webhookUrl.split("/").at(-1)!;
    expect(saved).toMatchObject({
      enabled: true,
      onlyProblems: false,
      webhookUrl: `${slack.webhookUrl.slice(0, slack.webhookUrl.lastIndexOf("/") + 1)}••••${secretPart.slice(-4)}`,
      channel: "#deploys",
      botTokenSet: true,
      botChannelId: slack.channelId,
      path: "bot",
      lastDelivery: null,
    });
    const read = await client.json("GET", `/api/projects/${projectId}/slack`);
    const text = await read.text();
    expect(text).not.toContain(secretPart);
    expect(text).not.toContain(slack.token);

    // At rest: ciphertexts only, bound to this project.
    const [row] = await db.select().from(projectSlack).where(eq(projectSlack.projectId, projectId));
    const dump = JSON.stringify(row);
    expect(dump).not.toContain(secretPart);
    expect(dump).not.toContain(slack.token);
    const box = secretBox(env.ENCRYPTION_KEYS);
    expect(await box.decrypt(row!.botTokenEncrypted!, slackSecretContext(projectId, "bot"))).toBe(
      slack.token,
    );
    await expect(
      box.decrypt(row!.botTokenEncrypted!, slackSecretContext(crypto.randomUUID(), "bot")),
    ).rejects.toThrow();

    // Absent fields are kept; "" clears one.
    const cleared = await settingsOf(await put(client, projectId, { botToken: "", botChannelId: null }));
    expect(cleared).toMatchObject({
      botTokenSet: false,
      botChannelId: null,
      path: "webhook",
      channel: "#deploys",
    });
    expect(cleared.webhookUrl).toContain("••••");
  });

  it("refuses what is not Slack's, with the field named", async () => {
    const { client, projectId } = await signedInProject();
    const slack = await StandInSlack.create();
    const refused: Array<[unknown, string]> = [
      [{ webhookUrl: "https://example.com/services/T000/B000/abcdefgh" }, "webhookUrl"],
      [{ webhookUrl: "http://hooks.slack.com/services/T000/B000/abcdefghij" }, "webhookUrl"],
      [{ webhookUrl: `${StandInSlack.base()}/services/T000/B000/abcdefghij` }, "webhookUrl"],
      [{ webhookUrl: "http://127.0.0.1:8787/services/T000/B000/abcdefghij" }, "webhookUrl"],
      [{ webhookUrl: "https://hooks.slack.com.evil.test/services/T000/B000/abcdefghij" }, "webhookUrl"],
      [
        { webhookUrl: "https://hooks.slack.com/services/T000/B000/abcdefghij?x=https://evil.test" },
        "webhookUrl",
      ],
      [{ webhookUrl: `https://hooks.slack.com/services/T000/B000/${"a".repeat(5_000)}` }, "webhookUrl"],
      [{ webhookUrl: slack.webhookUrl, botToken: "xoxp-user-token-1234567890" }, "botToken"],
      [{ webhookUrl: slack.webhookUrl, channel: "<!channel>" }, "channel"],
      [{ webhookUrl: slack.webhookUrl, channel: "Deploys Channel" }, "channel"],
      [{ botToken: slack.token, botChannelId: "#deploys" }, "botChannelId"],
      [{ botToken: slack.token }, "botChannelId"],
      [{ botChannelId: slack.channelId }, "botToken"],
      [{}, "webhookUrl"],
      [{ webhookUrl: slack.webhookUrl, extra: true }, ""],
    ];
    for (const [body, field] of refused) {
      const response = await put(client, projectId, body);
      expect(response.status, JSON.stringify(body).slice(0, 200)).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe("VALIDATION_FAILED");
      if (field) expect(error.fields?.map((f) => f.field)).toContain(field);
    }
    const huge = await put(client, projectId, {
      webhookUrl: `https://hooks.slack.com/services/T0/B0/${"a".repeat(2_000_000)}`,
    });
    expect(huge.status).toBe(413);
    // A NUL byte anywhere is refused before routing.
    const nul = await put(client, projectId, { webhookUrl: `${slack.webhookUrl}\u0000` });
    expect(nul.status).toBe(400);
    expect((await client.json("GET", `/api/projects/${projectId}/slack`)).status).toBe(200);
    expect(await (await client.json("GET", `/api/projects/${projectId}/slack`)).json()).toEqual({
      slack: null,
    });
  });

  it("turns notifications off and on, and deletes them", async () => {
    const { client, projectId } = await signedInProject();
    const slack = await StandInSlack.create();
    expect(await errorCode(await client.json("POST", `/api/projects/${projectId}/slack/enable`))).toBe(
      "SLACK_NOT_CONFIGURED",
    );
    await settingsOf(await put(client, projectId, { webhookUrl: slack.webhookUrl, onlyProblems: true }));
    expect(
      (await settingsOf(await client.json("POST", `/api/projects/${projectId}/slack/disable`))).enabled,
    ).toBe(false);
    const enabled = await settingsOf(await client.json("POST", `/api/projects/${projectId}/slack/enable`));
    expect(enabled).toMatchObject({ enabled: true, onlyProblems: true });
    expect((await client.json("DELETE", `/api/projects/${projectId}/slack`)).status).toBe(204);
    expect((await client.json("DELETE", `/api/projects/${projectId}/slack`)).status).toBe(404);
    expect(await (await client.json("GET", `/api/projects/${projectId}/slack`)).json()).toEqual({
      slack: null,
    });
  });

  it("is part of the pro and enterprise plans: a free project is refused with PLAN_LIMIT, nothing stored", async () => {
    const slack = await StandInSlack.create();
    const { client, projectId } = await signedInProject("Free service", "free");
    const refused = await put(client, projectId, { webhookUrl: slack.webhookUrl });
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe("PLAN_LIMIT");
    expect(await db.select().from(projectSlack).where(eq(projectSlack.projectId, projectId))).toEqual([]);
    await setPlan(projectId, "enterprise");
    await settingsOf(await put(client, projectId, { webhookUrl: slack.webhookUrl }));
    await setPlan(projectId, "free");
    const test = await client.json("POST", `/api/projects/${projectId}/slack/test`);
    expect(test.status).toBe(403);
    expect(await errorCode(test)).toBe("PLAN_LIMIT");
    expect((await slack.state()).webhookPosts).toEqual([]);
  });

  it("goes with its project", async () => {
    const { client, projectId } = await signedInProject("Short-lived");
    const slack = await StandInSlack.create();
    await settingsOf(await put(client, projectId, { webhookUrl: slack.webhookUrl }));
    const deleted = await client.json("DELETE", `/api/projects/${projectId}`, { confirmName: "Short-lived" });
    expect(deleted.status).toBe(204);
    const rows = await db.select().from(projectSlack).where(eq(projectSlack.projectId, projectId));
    expect(rows).toEqual([]);
  });

  it("answers 401 without a session and 404 for another owner's project, changing nothing", async () => {
    const { client, projectId } = await signedInProject();
    const slack = await StandInSlack.create();
    await settingsOf(await put(client, projectId, { webhookUrl: slack.webhookUrl }));
    const stranger = new TestClient();
    await stranger.signUp();
    const calls: Array<[string, string, unknown?]> = [
      ["GET", `/api/projects/${projectId}/slack`],
      ["PUT", `/api/projects/${projectId}/slack`, { channel: "#stolen" }],
      ["DELETE", `/api/projects/${projectId}/slack`],
      ["POST", `/api/projects/${projectId}/slack/enable`],
      ["POST", `/api/projects/${projectId}/slack/disable`],
      ["POST", `/api/projects/${projectId}/slack/test`],
    ];
    for (const [method, path, body] of calls) {
      const anonymous = await request(path, {
        method,
        headers: body ? { "Content-Type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(anonymous.status, `${method} ${path}`).toBe(401);
      expect((await stranger.json(method, path, body)).status, `${method} ${path}`).toBe(404);
      expect((await stranger.json(method, path.replace(projectId, "not-a-uuid"), body)).status).toBe(404);
    }
    const after = await settingsOf(await client.json("GET", `/api/projects/${projectId}/slack`));
    expect(after).toMatchObject({ enabled: true, channel: null });
    expect((await slack.state()).requests).toBe(0);
  });
});

describe("the test message", () => {
  it("posts through every configured path, escaping the project's name", async () => {
    const { client, projectId } = await signedInProject("Payments <!channel> & <https://evil.test|click>");
    const slack = await StandInSlack.create();
    expect(await errorCode(await client.json("POST", `/api/projects/${projectId}/slack/test`))).toBe(
      "SLACK_NOT_CONFIGURED",
    );
    await settingsOf(
      await put(client, projectId, {
        webhookUrl: slack.webhookUrl,
        botToken: slack.token,
        botChannelId: slack.channelId,
        enabled: false,
      }),
    );
    const response = await client.json("POST", `/api/projects/${projectId}/slack/test`);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toEqual({ sent: ["bot", "webhook"] });
    const state = await slack.state();
    expect(state.messages).toHaveLength(1);
    expect(state.webhookPosts).toHaveLength(1);
    const text = state.messages[0]!.text;
    expect(text).toContain("Payments &lt;!channel&gt; &amp; &lt;https://evil.test|click&gt;");
    expect(text).not.toContain("<!channel>");
  });

  it("answers a stable code when Slack refuses, fails or hangs, never a 5xx", {
    timeout: 30_000,
  }, async () => {
    const { client, projectId } = await signedInProject();
    const slack = await StandInSlack.create();
    await settingsOf(await put(client, projectId, { webhookUrl: slack.webhookUrl }));

    await slack.failNext([{ status: 500, body: "rollup_error" }]);
    let response = await client.json("POST", `/api/projects/${projectId}/slack/test`);
    expect(response.status).toBe(424);
    expect(await errorOf(response)).toMatchObject({
      code: "SLACK_UNAVAILABLE",
      details: { path: "webhook", slackError: "rollup_error", statusCode: 500 },
    });

    await slack.failNext([{ hang: true }]);
    const started = Date.now();
    response = await client.json("POST", `/api/projects/${projectId}/slack/test`);
    expect(Date.now() - started).toBeLessThan(9_000);
    expect(response.status).toBe(424);
    expect((await errorOf(response)).code).toBe("SLACK_TIMEOUT");

    await slack.revoke();
    response = await client.json("POST", `/api/projects/${projectId}/slack/test`);
    expect(response.status).toBe(422);
    expect(await errorOf(response)).toMatchObject({
      code: "SLACK_WEBHOOK_REJECTED",
      details: { slackError: "invalid_token", statusCode: 403 },
    });

    const bot = await StandInSlack.create();
    await settingsOf(await put(client, projectId, { botToken: bot.token, botChannelId: "C0000000000" }));
    response = await client.json("POST", `/api/projects/${projectId}/slack/test`);
    expect(response.status).toBe(422);
    expect(await errorOf(response)).toMatchObject({
      code: "SLACK_BOT_REJECTED",
      details: { path: "bot", slackError: "channel_not_found" },
    });
  });

  it("is refused while Slack is turned off for the whole service", async () => {
    const { client, projectId } = await signedInProject();
    const slack = await StandInSlack.create();
    await settingsOf(await put(client, projectId, { webhookUrl: slack.webhookUrl }));
    const [owner] = (
      await db.execute<{ owner_id: string }>(sql`select owner_id from projects where id = ${projectId}`)
    ).rows;
    const target = await getOwnedSlackProject(db, owner!.owner_id, projectId);
    await expect(sendSlackTest({ ...env, SLACK_ENABLED: "false" }, target)).rejects.toMatchObject({
      code: "SLACK_DISABLED",
    });
    await expect(
      sendSlackTest({ ...env, SLACK_API_BASE_URL_OVERRIDE: "https://evil.test" }, target),
    ).rejects.toMatchObject({ code: "SLACK_DISABLED" });
    expect((await slack.state()).requests).toBe(0);
  });
});
