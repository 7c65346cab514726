import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { expireStaleDeployments } from "../../../db/queries/deployments";
import { findSlackMessages } from "../../../db/queries/slack";
import { deployments, jobs } from "../../../db/schema";
import type { TestClient } from "../../../test/client";
import { testDatabase } from "../../../test/helpers";
import { healthy } from "../../../test/metrics-app";
import { drainLeftoverJobs, fireCron, MINUTE, runDeployment } from "../../../test/pipeline";
import { projectWithActiveEndpoint, setPlan } from "../../../test/projects";
import { StandInSlack } from "../../../test/slack";
import { parseLoopbackOverride } from "../../lib/loopback-override";
import { deliverSlackMessage } from "./delivery";
import { queueSlackUpdatesForEndedDeployments } from "./events";
import { escapeSlackText, renderDeploymentMessage } from "./message";
import { mapSlackUrl, readSlackSettings, SLACK_TIMEOUT_MS } from "./slack-api";

const { db } = testDatabase();

beforeAll(() => drainLeftoverJobs(), 120_000);

/** Slack settings on a project moved to pro first (Slack is part of pro and enterprise). */
async function configure(owner: TestClient, projectId: string, body: Record<string, unknown>) {
  await setPlan(projectId, "pro");
  const response = await owner.json("PUT", `/api/projects/${projectId}/slack`, body);
  expect(response.status, await response.clone().text()).toBe(200);
}

const botOf = (slack: StandInSlack) => ({ botToken: slack.token, botChannelId: slack.channelId });

/** Fires sweeps further and further ahead until `done` holds (retries wait up to minutes). */
async function sweepUntil(done: () => Promise<boolean>, from = Date.now()) {
  for (let minute = 1; minute <= 60; minute += 3) {
    if (await done()) return;
    await fireCron(from + minute * MINUTE);
  }
  expect(await done()).toBe(true);
}

const jobOf = async (deploymentId: string, event: string) =>
  (
    await db
      .select()
      .from(jobs)
      .where(eq(jobs.dedupeKey, `slack:${deploymentId}:${event}`))
  )[0];

/** A project with an active endpoint and a triggered deployment, Slack set up first. */
async function triggered(slackSettings: (slack: StandInSlack) => Record<string, unknown>) {
  const setup = await projectWithActiveEndpoint({ plan: "pro" });
  const slack = await StandInSlack.create();
  await configure(setup.owner, setup.project.id, slackSettings(slack));
  return { ...setup, slack };
}

async function trigger(ci: { trigger: (body?: Record<string, unknown>) => Promise<Response> }) {
  const response = await ci.trigger({
    env: "prod",
    branch: "main",
    commit_sha: "0a1b2c3d4e5f",
    version: "v1.2.3",
  });
  expect(response.status).toBe(200);
  return (await response.json<{ deployment_id: string }>()).deployment_id;
}

describe("Slack messages of a deployment", () => {
  it("posts one message at the trigger and updates it in place at the verdict", {
    timeout: 120_000,
  }, async () => {
    const slack = await StandInSlack.create();
    let afterTrigger: Awaited<ReturnType<StandInSlack["state"]>> | null = null;
    const run = await runDeployment({
      window: 1,
      responses: [{ metrics: healthy }],
      beforeTrigger: async ({ owner, projectId }) => {
        await owner.json("PATCH", `/api/projects/${projectId}`, { name: "Payments <!here> & co" });
        await configure(owner, projectId, { ...botOf(slack), webhookUrl: slack.webhookUrl });
      },
      afterTrigger: async () => {
        await fireCron(Date.now() + 1000);
        afterTrigger = await slack.state();
      },
    });
    expect(afterTrigger!.messages).toHaveLength(1);
    const posted = afterTrigger!.messages[0]!;
    expect(posted.text).toMatch(/^SeqPulse: observing Payments <!here> & co \(prod\) #1$/);
    const firstBlocks = JSON.stringify(posted.blocks);
    expect(firstBlocks).toContain("Observing");
    expect(firstBlocks).toContain("Payments &lt;!here&gt; &amp; co");
    expect(firstBlocks).not.toContain("<!here>");

    await sweepUntil(async () => (await slack.state()).messages[0]!.history.length === 2);
    const state = await slack.state();
    expect(state.messages).toHaveLength(1);
    const message = state.messages[0]!;
    expect(message.ts).toBe(posted.ts);
    expect(message.history[0]!.text).toContain("observing");
    const blocks = JSON.stringify(message.blocks);
    expect(message.text).toContain("SeqPulse: OK for Payments");
    expect(blocks).toMatch(/confidence \d+ %/);
    expect(blocks).toContain(`http://seqpulse.test/deployments/view/?id=${run.deploymentId}`);
    // The bot path wins: the webhook posts nothing.
    expect(state.webhookPosts).toEqual([]);
    const [row] = await findSlackMessages(db, run.deploymentId);
    expect(row).toMatchObject({
      path: "bot",
      status: "posted",
      stage: "verdict",
      ts: posted.ts,
      lastError: null,
    });
    // Run again (a job replayed after its sweep died): nothing changes.
    expect(
      await deliverSlackMessage(db, env, run.deploymentId, { now: new Date(), lastAttempt: false }),
    ).toEqual({
      status: "unchanged",
    });
    expect((await slack.state()).messages[0]!.history).toHaveLength(2);
  });

  it("posts nothing for a project moved back to the free plan, which keeps its settings", {
    timeout: 120_000,
  }, async () => {
    const slack = await StandInSlack.create();
    const run = await runDeployment({
      window: 1,
      responses: [{ metrics: healthy }],
      beforeTrigger: async ({ owner, projectId }) => {
        await configure(owner, projectId, { ...botOf(slack), webhookUrl: slack.webhookUrl });
        await setPlan(projectId, "free");
      },
    });
    expect(await jobOf(run.deploymentId, "triggered")).toBeUndefined();
    expect(await jobOf(run.deploymentId, "verdict")).toBeUndefined();
    // Even a job queued before the downgrade posts nothing.
    expect(
      await deliverSlackMessage(db, env, run.deploymentId, { now: new Date(), lastAttempt: false }),
    ).toEqual({
      status: "skipped",
    });
    const state = await slack.state();
    expect(state.messages).toEqual([]);
    expect(state.webhookPosts).toEqual([]);
  });

  it("posts once through an incoming webhook, at the verdict", { timeout: 120_000 }, async () => {
    const slack = await StandInSlack.create();
    const run = await runDeployment({
      window: 1,
      responses: [{ metrics: healthy }],
      beforeTrigger: ({ owner, projectId }) =>
        configure(owner, projectId, { webhookUrl: slack.webhookUrl, channel: "#deploys" }),
    });
    expect(await jobOf(run.deploymentId, "triggered")).toBeUndefined();
    await sweepUntil(async () => (await slack.state()).webhookPosts.length > 0);
    const [post] = (await slack.state()).webhookPosts;
    expect(post!.body.channel).toBe("#deploys");
    expect(post!.body.text).toMatch(/^SeqPulse: OK for /);
    expect(JSON.stringify(post!.body.blocks)).toContain("Open in SeqPulse");
    // Replayed jobs and concurrent attempts post nothing more.
    const now = new Date();
    const again = await Promise.all(
      [1, 2, 3].map(() => deliverSlackMessage(db, env, run.deploymentId, { now, lastAttempt: false })),
    );
    expect(again.map((result) => result.status)).toEqual(["unchanged", "unchanged", "unchanged"]);
    expect((await slack.state()).webhookPosts).toHaveLength(1);
  });

  it("with 'only warnings and rollbacks', posts a rollback with its top findings", {
    timeout: 180_000,
  }, async () => {
    const slack = await StandInSlack.create();
    await runDeployment({
      window: 5,
      responses: [
        { metrics: healthy },
        { metrics: { ...healthy, error_rate: 0.04 } },
        { metrics: { ...healthy, error_rate: 0.06 } },
      ],
      beforeTrigger: ({ owner, projectId }) =>
        configure(owner, projectId, { webhookUrl: slack.webhookUrl, onlyProblems: true }),
    });
    await sweepUntil(async () => (await slack.state()).webhookPosts.length > 0);
    const [post] = (await slack.state()).webhookPosts;
    expect(post!.body.text).toMatch(/^SeqPulse: Rollback recommended for /);
    const blocks = JSON.stringify(post!.body.blocks);
    expect(blocks).toContain(":rotating_light:");
    expect(blocks).toContain("Top findings");
  });

  it("posts once when jobs of one deployment race", async () => {
    const { ci, slack } = await triggered(botOf);
    const deploymentId = await trigger(ci);
    const now = new Date();
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => deliverSlackMessage(db, env, deploymentId, { now, lastAttempt: false })),
    );
    expect(results.filter((result) => result.status === "sent")).toHaveLength(1);
    expect(results.filter((result) => result.status === "deferred")).toHaveLength(3);
    expect((await slack.state()).messages).toHaveLength(1);
  });

  it("retries after a 500 and waits out a 429's Retry-After", { timeout: 60_000 }, async () => {
    const { ci, slack } = await triggered(botOf);
    await slack.failNext([
      { status: 500, body: "internal" },
      { status: 429, retryAfter: 600 },
    ]);
    const deploymentId = await trigger(ci);
    const t0 = Date.now();
    await fireCron(t0 + 1000);
    let job = await jobOf(deploymentId, "triggered");
    expect(job).toMatchObject({ status: "failed", attempts: 1 });
    expect((await findSlackMessages(db, deploymentId))[0]).toMatchObject({ status: "pending", ts: null });
    expect((await findSlackMessages(db, deploymentId))[0]!.lastError).toContain("HTTP 500");

    await fireCron(t0 + 2 * MINUTE);
    job = await jobOf(deploymentId, "triggered");
    expect(job?.status).not.toBe("succeeded");
    // Deferred to Slack's Retry-After, from the sweep's clock.
    expect(job!.runAt.getTime()).toBeGreaterThanOrEqual(t0 + 2 * MINUTE + 600_000 - 1000);
    expect((await slack.state()).messages).toHaveLength(0);

    await fireCron(t0 + 2 * MINUTE + 601_000);
    expect((await jobOf(deploymentId, "triggered"))?.status).toBe("succeeded");
    const state = await slack.state();
    expect(state.messages).toHaveLength(1);
    expect(state.requests).toBe(3);
    expect((await findSlackMessages(db, deploymentId))[0]).toMatchObject({
      status: "posted",
      lastError: null,
    });
  });

  it("a hanging Slack costs one timeout, not the sweep", { timeout: 60_000 }, async () => {
    const { ci, slack } = await triggered(botOf);
    await slack.failNext([{ hang: true }]);
    const deploymentId = await trigger(ci);
    const started = Date.now();
    await fireCron(started + 1000);
    expect(Date.now() - started).toBeLessThan(SLACK_TIMEOUT_MS + 6_000);
    expect((await jobOf(deploymentId, "triggered"))?.status).toBe("failed");
    expect((await findSlackMessages(db, deploymentId))[0]!.lastError).toMatch(/No answer within 5 s/);
  });

  it("records a revoked token as a clear error and does not retry it", { timeout: 60_000 }, async () => {
    const { ci, slack, owner, project } = await triggered(botOf);
    await slack.revoke();
    const deploymentId = await trigger(ci);
    await fireCron(Date.now() + 1000);
    expect((await jobOf(deploymentId, "triggered"))?.status).toBe("succeeded");
    expect((await findSlackMessages(db, deploymentId))[0]).toMatchObject({
      status: "failed",
      lastError: "invalid_auth",
    });
    const settings = await owner.json("GET", `/api/projects/${project.id}/slack`);
    expect((await settings.json<{ slack: { lastDelivery: unknown } }>()).slack.lastDelivery).toMatchObject({
      deploymentId,
      status: "failed",
      error: "invalid_auth",
    });
    await fireCron(Date.now() + 30 * MINUTE);
    expect((await slack.state()).requests).toBe(0);
  });

  it("sends nothing while disabled, for a project, or for the whole service", async () => {
    const { ci, slack, owner, project } = await triggered(botOf);
    expect((await owner.json("POST", `/api/projects/${project.id}/slack/disable`)).status).toBe(200);
    const deploymentId = await trigger(ci);
    expect(await jobOf(deploymentId, "triggered")).toBeUndefined();
    const now = new Date();
    expect(await deliverSlackMessage(db, env, deploymentId, { now, lastAttempt: false })).toEqual({
      status: "skipped",
    });
    expect((await owner.json("POST", `/api/projects/${project.id}/slack/enable`)).status).toBe(200);
    for (const off of [{ SLACK_ENABLED: "false" }, { SLACK_API_BASE_URL_OVERRIDE: "http://10.0.0.1:1" }]) {
      expect(
        await deliverSlackMessage(db, { ...env, ...off }, deploymentId, { now, lastAttempt: false }),
      ).toEqual({
        status: "skipped",
      });
    }
    expect((await slack.state()).requests).toBe(0);
  });

  it("with 'only warnings and rollbacks', posts nothing at the trigger nor for an ok verdict", async () => {
    const { ci, slack } = await triggered((s) => ({ ...botOf(s), onlyProblems: true }));
    const deploymentId = await trigger(ci);
    expect(await jobOf(deploymentId, "triggered")).toBeUndefined();
    expect(await deliverSlackMessage(db, env, deploymentId, { now: new Date(), lastAttempt: false })).toEqual(
      { status: "skipped" },
    );
    expect((await slack.state()).requests).toBe(0);
  });

  it("says so when a running deployment is cancelled", { timeout: 60_000 }, async () => {
    const { ci, slack, owner } = await triggered(botOf);
    const deploymentId = await trigger(ci);
    await fireCron(Date.now() + 1000);
    expect((await slack.state()).messages).toHaveLength(1);
    expect((await owner.json("POST", `/api/deployments/${deploymentId}/cancel`)).status).toBe(200);
    await fireCron(Date.now() + 2000);
    const [message] = (await slack.state()).messages;
    expect(message!.history).toHaveLength(2);
    expect(JSON.stringify(message!.blocks)).toContain("Cancelled");
  });

  it("says so when a deployment expires, through the cleanup", { timeout: 60_000 }, async () => {
    const { ci, slack } = await triggered(botOf);
    const deploymentId = await trigger(ci);
    await fireCron(Date.now() + 1000);
    expect((await slack.state()).messages).toHaveLength(1);
    await db
      .update(deployments)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(deployments.id, deploymentId));
    const now = new Date(Date.now() + 2000);
    await expireStaleDeployments(db, { now });
    expect(await queueSlackUpdatesForEndedDeployments(db, now)).toBeGreaterThanOrEqual(1);
    await fireCron(now.getTime() + 1000);
    const [message] = (await slack.state()).messages;
    expect(message!.history).toHaveLength(2);
    expect(JSON.stringify(message!.blocks)).toContain("Expired");
    expect((await findSlackMessages(db, deploymentId))[0]?.stage).toBe("cancelled");
    // Once per message.
    expect(await queueSlackUpdatesForEndedDeployments(db, now)).toBe(0);
  });
});

describe("Slack text and settings", () => {
  it("escapes Slack's control characters in user values", () => {
    expect(escapeSlackText("<!channel> & <https://x.test|y>")).toBe(
      "&lt;!channel&gt; &amp; &lt;https://x.test|y&gt;",
    );
    const body = renderDeploymentMessage(
      {
        deployment: {
          id: crypto.randomUUID(),
          number: 7,
          env: "prod<@U1>",
          state: "analyzed",
          branch: "feat/`<b>`",
          commitSha: "abc",
          version: null,
        },
        project: { name: "A&B" },
        verdict: { verdict: "rollback_recommended", confidence: 0.91, summary: { text: "Errors <rose>" } },
        hints: [{ title: { text: "p95 > 2 s" }, severity: "critical" }],
      },
      null,
    );
    const blocks = JSON.stringify(body.blocks);
    expect(blocks).toContain("*A&amp;B*");
    expect(blocks).toContain("prod&lt;@U1&gt;");
    expect(blocks).toContain("Errors &lt;rose&gt;");
    expect(blocks).toContain("p95 &gt; 2 s");
    expect(blocks).toContain("Rollback recommended");
    expect(blocks).not.toContain("Open in SeqPulse");
  });

  it("sends Slack's hosts to the override only when it is loopback", () => {
    expect(parseLoopbackOverride("http://127.0.0.1:9000")).toBeInstanceOf(URL);
    for (const value of [
      "https://slack.example.com",
      "http://10.0.0.1",
      "file:///etc",
      "http://u:p@127.0.0.1",
      "x",
    ])
      expect(parseLoopbackOverride(value)).toBe("invalid");
    const base = new URL("http://127.0.0.1:9000/");
    expect(mapSlackUrl(base, "https://slack.com/api/chat.update")).toBe(
      "http://127.0.0.1:9000/api/chat.update",
    );
    expect(mapSlackUrl(base, "https://hooks.slack.com/services/T1/B1/x")).toBe(
      "http://127.0.0.1:9000/services/T1/B1/x",
    );
    expect(() => mapSlackUrl(base, "https://evil.test/api/chat.update")).toThrow();
    expect(
      readSlackSettings({ SLACK_ENABLED: "true", SLACK_API_BASE_URL_OVERRIDE: "" }).resolveUrl(
        "https://slack.com/api/x",
      ),
    ).toBe("https://slack.com/api/x");
  });
});
