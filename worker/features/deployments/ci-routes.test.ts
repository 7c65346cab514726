import { eq, like } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { finishDeployment } from "../../../db/queries/deployments";
import { deployments, jobs, metricSamples } from "../../../db/schema";
import { errorCode, TestClient } from "../../../test/client";
import { startBurstInOneWindow, testDatabase, until } from "../../../test/helpers";
import { CiClient, projectWithActiveEndpoint } from "../../../test/projects";

const { db, close } = testDatabase();
afterAll(() => close());

type TriggerAnswer = { deployment_id: string; status: string; message: string | null };

describe("POST /deployments/trigger", () => {
  it("creates a numbered deployment and takes the baseline sample at once", async () => {
    const { ci } = await projectWithActiveEndpoint();
    const response = await ci.trigger({ env: "prod", branch: "main", commit_sha: "abc123" });
    expect(response.status).toBe(200);
    const answer = await response.json<TriggerAnswer>();
    expect(answer).toMatchObject({ status: "created", message: null });
    const [row] = await db.select().from(deployments).where(eq(deployments.id, answer.deployment_id));
    expect(row).toMatchObject({
      number: 1,
      env: "prod",
      state: "running",
      branch: "main",
      commitSha: "abc123",
    });
    const baseline = await until(
      async () =>
        (
          await db.select().from(metricSamples).where(eq(metricSamples.deploymentId, answer.deployment_id))
        )[0],
      "the baseline sample",
      50,
    );
    expect(baseline).toMatchObject({ phase: "pre", sequence: 0, requestsPerSec: 120, latencyP95: 180 });
    // The retry path exists too, and will find the sample already there.
    const [job] = await db
      .select()
      .from(jobs)
      .where(eq(jobs.dedupeKey, `collect:${answer.deployment_id}:pre:0`));
    expect(job?.status).toBe("pending");
  });

  it("works under /api and with Authorization: Bearer", async () => {
    const { ci, apiKey } = await projectWithActiveEndpoint({ envs: ["prod", "staging"] });
    const viaApi = await ci.post("/api/deployments/trigger", { env: "prod" });
    expect(viaApi.status).toBe(200);
    const bearer = await new TestClient().fetch("/api/deployments/trigger", {
      method: "POST",
      headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ env: "staging" }),
    });
    expect(bearer.status).toBe(200);
  });

  it("refuses missing, unknown and deleted-project keys with 401", async () => {
    const { owner, project, apiKey } = await projectWithActiveEndpoint();
    const noKey = await new TestClient().fetch("/deployments/trigger", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ env: "prod" }),
    });
    expect(noKey.status).toBe(401);
    expect((await new CiClient("sp_unknown").trigger()).status).toBe(401);
    await owner.json("DELETE", `/api/projects/${project.id}`, { confirmName: project.name });
    const deleted = await new CiClient(apiKey).trigger();
    expect(deleted.status).toBe(401);
    expect(await errorCode(deleted)).toBe("UNAUTHENTICATED");
  });

  it.each([
    [{}, "env"],
    [{ env: "Prod Env" }, "env"],
    [{ env: "prod", branch: "x".repeat(256) }, "branch"],
    [{ env: "staging" }, "env"],
  ])("answers 400 naming the field for %j", async (body, field) => {
    // A plan whose environments are the project's own (free records every deployment in prod).
    const { ci } = await projectWithActiveEndpoint({ plan: "pro" });
    const response = await ci.trigger(body);
    expect(response.status).toBe(400);
    const fields = (await response.json<{ error: { fields: Array<{ field: string }> } }>()).error.fields.map(
      (f) => f.field,
    );
    expect(fields).toContain(field);
  });

  it("answers 423 without an active endpoint and 409 when metrics_endpoint differs", async () => {
    const owner = new TestClient();
    await owner.signUp();
    const { apiKey } = await (await owner.json("POST", "/api/projects", { name: "no endpoint" })).json<{
      apiKey: string;
    }>();
    const blocked = await new CiClient(apiKey).trigger();
    expect(blocked.status).toBe(423);
    expect(await errorCode(blocked)).toBe("ENDPOINT_NOT_ACTIVE");

    const { ci, app } = await projectWithActiveEndpoint();
    expect((await ci.trigger({ env: "prod", metrics_endpoint: "http://127.0.0.1:1/other" })).status).toBe(
      409,
    );
    expect((await ci.trigger({ env: "prod", metrics_endpoint: app.endpoint })).status).toBe(200);
  });

  it("replays the same answer for the same idempotency key and body, and refuses another body", async () => {
    const { ci } = await projectWithActiveEndpoint();
    const first = await (
      await ci.trigger({ env: "prod", branch: "main" }, { "X-Idempotency-Key": "gh-1" })
    ).json<TriggerAnswer>();
    const again = await ci.trigger({ env: "prod", branch: "main" }, { "X-Idempotency-Key": "gh-1" });
    expect(again.status).toBe(200);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.json()).toEqual(first);
    // The body field works like the header.
    const viaBody = await (
      await ci.trigger({ env: "prod", branch: "main", idempotency_key: "gh-1" })
    ).json<TriggerAnswer>();
    expect(viaBody.deployment_id).toBe(first.deployment_id);
    const mismatch = await ci.trigger({ env: "prod", branch: "other" }, { "X-Idempotency-Key": "gh-1" });
    expect(mismatch.status).toBe(422);
    expect(await errorCode(mismatch)).toBe("IDEMPOTENCY_MISMATCH");
  });

  it("refuses an idempotency key longer than 255 characters with 400, creating nothing", async () => {
    const { ci, project } = await projectWithActiveEndpoint();
    // Random, so it does not compress below Postgres' btree row limit (about 2.7 kB).
    const random = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(3000))));
    for (const key of ["k".repeat(256), random]) {
      const response = await ci.trigger({ env: "prod" }, { "X-Idempotency-Key": key });
      expect(response.status).toBe(400);
      expect(await errorCode(response)).toBe("VALIDATION_FAILED");
    }
    expect(await db.select().from(deployments).where(eq(deployments.projectId, project.id))).toEqual([]);
  });

  it("scopes idempotency keys per project", async () => {
    const a = await projectWithActiveEndpoint();
    const b = await projectWithActiveEndpoint();
    const fromA = await (
      await a.ci.trigger({ env: "prod" }, { "X-Idempotency-Key": "shared" })
    ).json<TriggerAnswer>();
    const fromB = await (
      await b.ci.trigger({ env: "prod" }, { "X-Idempotency-Key": "shared" })
    ).json<TriggerAnswer>();
    expect(fromB.status).toBe("created");
    expect(fromB.deployment_id).not.toBe(fromA.deployment_id);
  });

  it("allows one running deployment per environment, until it finishes or expires", async () => {
    const { ci } = await projectWithActiveEndpoint({ envs: ["prod", "staging"] });
    const first = await (await ci.trigger({ env: "prod" })).json<TriggerAnswer>();
    const second = await ci.trigger({ env: "prod" });
    expect(second.status).toBe(409);
    const body = await second.json<{ error: { code: string; details: { deployment_id: string } } }>();
    expect(body.error).toMatchObject({
      code: "DEPLOYMENT_RUNNING",
      details: { deployment_id: first.deployment_id },
    });
    expect((await ci.trigger({ env: "staging" })).status).toBe(200);

    // Its finish never comes: after the bound it expires and stops blocking.
    await db
      .update(deployments)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(deployments.id, first.deployment_id));
    const third = await (await ci.trigger({ env: "prod" })).json<TriggerAnswer>();
    expect(third.status).toBe("created");
    const [expired] = await db.select().from(deployments).where(eq(deployments.id, first.deployment_id));
    expect(expired?.state).toBe("expired");
  });

  it("numbers deployments per project, and a refused trigger uses no number", async () => {
    const { ci } = await projectWithActiveEndpoint();
    for (const expected of [1, 2, 3]) {
      const { deployment_id } = await (await ci.trigger()).json<TriggerAnswer>();
      const [row] = await db.select().from(deployments).where(eq(deployments.id, deployment_id));
      expect(row?.number).toBe(expected);
      expect((await ci.trigger()).status).toBe(409);
      await ci.finish(deployment_id);
    }
  });
});

describe("POST /deployments/finish", () => {
  it("schedules one sample a minute over the window, then the analysis", async () => {
    const { ci } = await projectWithActiveEndpoint({ observationWindowMinutes: 3 });
    const { deployment_id: id } = await (await ci.trigger()).json<TriggerAnswer>();
    const response = await ci.finish(id, "success");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "accepted",
      message: "Deployment finished. Analysis scheduled in 3 minutes.",
    });
    const [row] = await db.select().from(deployments).where(eq(deployments.id, id));
    expect(row).toMatchObject({ state: "finished", pipelineResult: "success" });
    const finishedAt = row!.finishedAt!.getTime();
    const scheduled = await db.select({ key: jobs.dedupeKey, runAt: jobs.runAt }).from(jobs);
    const offsets = Object.fromEntries(
      scheduled
        .filter((job) => job.key?.includes(id) && job.key !== `collect:${id}:pre:0`)
        .map((job) => [job.key, (job.runAt.getTime() - finishedAt) / 1000]),
    );
    expect(offsets).toEqual({
      [`collect:${id}:post:0`]: 0,
      [`collect:${id}:post:1`]: 60,
      [`collect:${id}:post:2`]: 120,
      // The backstop, due when the window ends (the last sample's sweep normally judges first).
      [`analyze:${id}`]: 3 * 60,
    });
  });

  it("ignores a second finish, and answers not_found for unknown or foreign deployments", async () => {
    const { ci } = await projectWithActiveEndpoint();
    const { deployment_id: id } = await (await ci.trigger()).json<TriggerAnswer>();
    await ci.finish(id);
    const again = await ci.finish(id, "failed");
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: "ignored" });

    const unknown = await ci.finish(crypto.randomUUID());
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ status: "not_found", error: { code: "NOT_FOUND" } });
    const other = await projectWithActiveEndpoint();
    expect((await other.ci.finish(id)).status).toBe(404);
  });

  it("is all or nothing: when scheduling fails the deployment stays running, and a retry finishes it", async () => {
    const { ci, project } = await projectWithActiveEndpoint({ observationWindowMinutes: 2 });
    const { deployment_id: id } = await (await ci.trigger()).json<TriggerAnswer>();
    // A job the jobs table refuses (max_attempts must be >= 1) stands in for a failed enqueue.
    await expect(
      finishDeployment(db, {
        id,
        projectId: project.id,
        result: "success",
        finishedAt: new Date(),
        observationWindowMinutes: 2,
        jobsToQueue: [{ type: "collect_sample", dedupeKey: `broken:${id}`, maxAttempts: 0 }],
      }),
    ).rejects.toThrow();
    const [row] = await db.select().from(deployments).where(eq(deployments.id, id));
    expect(row?.state).toBe("running");

    const retry = await ci.finish(id);
    expect(await retry.json()).toMatchObject({ status: "accepted" });
    const scheduled = await db.select({ key: jobs.dedupeKey }).from(jobs);
    expect(scheduled.map((job) => job.key)).toContain(`analyze:${id}`);
    // Later files fire the cron, and every due job fills their sweeps' batches: leave none behind.
    await db.delete(jobs).where(like(jobs.dedupeKey, `%:${id}%`));
  });

  it("answers 400 naming the field for a bad result or id", async () => {
    const { ci } = await projectWithActiveEndpoint();
    const badResult = await ci.post("/deployments/finish", {
      deployment_id: crypto.randomUUID(),
      result: "maybe",
    });
    expect(badResult.status).toBe(400);
    const badId = await ci.post("/deployments/finish", { deployment_id: "dpl_1", result: "success" });
    expect(badId.status).toBe(400);
  });
});

describe("CI rate limit", () => {
  it("allows 100 calls a minute per project key, then 429 with Retry-After", {
    timeout: 60_000,
  }, async () => {
    const { ci } = await projectWithActiveEndpoint();
    await startBurstInOneWindow(25);
    const statuses: number[] = [];
    for (let i = 0; i < 101; i++) statuses.push((await ci.finish(crypto.randomUUID())).status);
    expect(statuses.slice(0, 100).every((status) => status === 404)).toBe(true);
    expect(statuses[100]).toBe(429);
  });

  it("stops key guessing per address after 30 failures, without blocking valid keys from there", {
    timeout: 40_000,
  }, async () => {
    const { ci } = await projectWithActiveEndpoint();
    const guesser = new CiClient(`sp_${"x".repeat(43)}`, ci.client);
    await startBurstInOneWindow(10);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await guesser.finish(crypto.randomUUID())).status);
    expect(statuses.slice(0, 30).every((status) => status === 401)).toBe(true);
    const refused = await guesser.finish(crypto.randomUUID());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await errorCode(refused)).toBe("RATE_LIMITED");
    // The same runner's pipeline with its real key carries on.
    expect((await ci.trigger()).status).toBe(200);
  });
});

describe("concurrent triggers", () => {
  it("50 identical triggers with one idempotency key create exactly one deployment", async () => {
    const { ci, project } = await projectWithActiveEndpoint();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        ci.trigger({ env: "prod", branch: "main" }, { "X-Idempotency-Key": "race-1" }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const ids = new Set(
      (await Promise.all(responses.map((r) => r.json<TriggerAnswer>()))).map((a) => a.deployment_id),
    );
    expect(ids.size).toBe(1);
    const rows = await db.select().from(deployments).where(eq(deployments.projectId, project.id));
    expect(rows).toHaveLength(1);
  });

  it("50 triggers without a key: one deployment, the others told which one is running", async () => {
    const { ci, project } = await projectWithActiveEndpoint();
    const responses = await Promise.all(Array.from({ length: 50 }, () => ci.trigger({ env: "prod" })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const rows = await db.select().from(deployments).where(eq(deployments.projectId, project.id));
    expect(rows).toHaveLength(1);
  });
});
