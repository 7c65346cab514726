import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { deployments, metricSamples, projects } from "../../../db/schema";
import { TestClient } from "../../../test/client";
import { errorOf, request, testDatabase } from "../../../test/helpers";
import { healthy, StandInApp } from "../../../test/metrics-app";
import { projectWithActiveEndpoint, setPlan } from "../../../test/projects";
import { cleanupJob } from "../../jobs/cleanup";
import { type PlanLimits, planLimits, projectPlans } from "./limits";

const { db, close } = testDatabase();
afterAll(() => close());

const DAY = 24 * 60 * 60 * 1000;

function changePlan(projectId: string, body: unknown, authorization?: string) {
  return request(`/api/admin/projects/${projectId}/plan`, {
    method: "PUT",
    headers: {
      "Content-Type": "application/json",
      ...(authorization ? { Authorization: authorization } : {}),
    },
    body: JSON.stringify(body),
  });
}

const operator = `Bearer ${env.OPERATOR_TOKEN}`;

describe("the plans' limits", () => {
  const atLeast = (a: number | null, b: number | null) => a === null || (b !== null && a >= b);
  it.each([
    ["pro", "free"],
    ["enterprise", "pro"],
  ] as const)("%s allows at least what %s allows, everywhere", (bigger, smaller) => {
    const big: PlanLimits = planLimits[bigger];
    const small: PlanLimits = planLimits[smaller];
    expect(atLeast(big.deploymentsPerMonth, small.deploymentsPerMonth)).toBe(true);
    expect(big.maxEnvs).toBeGreaterThanOrEqual(small.maxEnvs);
    expect(big.forcedEnv === null || big.forcedEnv === small.forcedEnv).toBe(true);
    expect(big.maxObservationWindowMinutes).toBeGreaterThanOrEqual(small.maxObservationWindowMinutes);
    expect(atLeast(big.endpointPathChanges, small.endpointPathChanges)).toBe(true);
    expect(atLeast(big.endpointHostMigrations, small.endpointHostMigrations)).toBe(true);
    expect(big.sampleRetentionDays).toBeGreaterThanOrEqual(small.sampleRetentionDays);
    expect(big.slack || !small.slack).toBe(true);
  });
});

describe("PUT /api/admin/projects/:id/plan (operators)", () => {
  it("changes the plan with the operator token, and the owner sees the new limits", async () => {
    const { owner, project } = await projectWithActiveEndpoint();
    const changed = await changePlan(project.id, { plan: "pro" }, operator);
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({
      projectId: project.id,
      previousPlan: "free",
      plan: "pro",
      limits: planLimits.pro,
    });
    const view = await (await owner.fetch(`/api/projects/${project.id}`)).json<{
      project: { plan: string; limits: PlanLimits };
    }>();
    expect(view.project).toMatchObject({ plan: "pro", limits: planLimits.pro });
  });

  it("answers 401 without the token or with a wrong one, before reading the body", async () => {
    const { project } = await projectWithActiveEndpoint();
    for (const authorization of [undefined, "Bearer wrong", `${operator}x`, "Basic abc"]) {
      const response = await changePlan(project.id, { plan: "enterprise" }, authorization);
      expect(response.status).toBe(401);
      expect((await errorOf(response)).code).toBe("UNAUTHENTICATED");
    }
    expect((await changePlan(project.id, "not json at all", undefined)).status).toBe(401);
    // A user's own session is not an operator token.
    const user = new TestClient();
    await user.signUp();
    expect((await user.json("PUT", `/api/admin/projects/${project.id}/plan`, { plan: "pro" })).status).toBe(
      401,
    );
    const [row] = await db.select({ plan: projects.plan }).from(projects).where(eq(projects.id, project.id));
    expect(row?.plan).toBe("free");
  });

  it("answers 404 for an unknown project and 400 for an unknown plan", async () => {
    expect((await changePlan(crypto.randomUUID(), { plan: "pro" }, operator)).status).toBe(404);
    expect((await changePlan("not-a-uuid", { plan: "pro" }, operator)).status).toBe(404);
    const { project } = await projectWithActiveEndpoint();
    for (const body of [{ plan: "gold" }, { plan: "" }, {}, { plan: "pro\u0000" }]) {
      expect((await changePlan(project.id, body, operator)).status).toBe(400);
    }
  });
});

describe("settings above the plan", () => {
  async function owner() {
    const client = new TestClient();
    await client.signUp();
    return client;
  }

  it.each([
    [{ envs: ["prod", "staging"] }, "forcedEnv"],
    [{ envs: ["staging"] }, "forcedEnv"],
    [{ observationWindowMinutes: 6 }, "maxObservationWindowMinutes"],
  ])("a free project is created with %j: 403 PLAN_LIMIT (%s)", async (settings, limit) => {
    const client = await owner();
    const response = await client.json("POST", "/api/projects", { name: "<b>x</b>", ...settings });
    expect(response.status).toBe(403);
    const error = await errorOf(response);
    expect(error.code).toBe("PLAN_LIMIT");
    expect(error.details).toMatchObject({ plan: "free", limit });
  });

  it("edits follow the plan: refused on free, allowed on pro up to pro's limits; a downgrade clamps the window", async () => {
    const client = await owner();
    const created = await client.json("POST", "/api/projects", { name: "Plans" });
    const { project } = await created.json<{ project: { id: string; observationWindowMinutes: number } }>();
    expect(project.observationWindowMinutes).toBe(5);
    const patch = (body: unknown) => client.json("PATCH", `/api/projects/${project.id}`, body);

    const tooLong = await patch({ observationWindowMinutes: 15 });
    expect(tooLong.status).toBe(403);
    expect((await errorOf(tooLong)).message).toContain("at most 5 minutes");
    expect((await patch({ envs: ["prod", "staging"] })).status).toBe(403);
    expect((await patch({ name: "renamed", observationWindowMinutes: 5 })).status).toBe(200);

    await setPlan(project.id, "pro");
    const envs = Array.from({ length: 10 }, (_, i) => `env-${i}`);
    expect((await patch({ observationWindowMinutes: 60, envs })).status).toBe(200);

    await setPlan(project.id, "free");
    const view = await (await client.fetch(`/api/projects/${project.id}`)).json<{
      project: {
        observationWindowMinutes: number;
        effectiveObservationWindowMinutes: number;
        envs: string[];
      };
    }>();
    // Kept as stored, held to the plan where it is used.
    expect(view.project).toMatchObject({
      observationWindowMinutes: 60,
      effectiveObservationWindowMinutes: 5,
      envs,
    });
    expect((await patch({ observationWindowMinutes: 60 })).status).toBe(403);
  });

  it("a window above the plan (set before a downgrade) is clamped at trigger and finish", async () => {
    const { ci, project } = await projectWithActiveEndpoint({ observationWindowMinutes: 30 });
    await setPlan(project.id, "free");
    const triggered = await (await ci.trigger({ env: "prod" })).json<{ deployment_id: string }>();
    expect(await (await ci.finish(triggered.deployment_id)).json()).toMatchObject({
      message: "Deployment finished. Analysis scheduled in 5 minutes.",
    });
    const [row] = await db.select().from(deployments).where(eq(deployments.id, triggered.deployment_id));
    expect(row?.observationWindowMinutes).toBe(5);
  });

  it("the endpoint's path changes once on free; the next change and a move to another host are refused", async () => {
    const { owner, project } = await projectWithActiveEndpoint();
    const other = new StandInApp();
    await other.configure({ responses: [{ metrics: healthy }] });
    const put = (url: string) => owner.json("PUT", `/api/projects/${project.id}/endpoint`, { url });

    expect((await put(other.endpoint)).status).toBe(200);
    expect((await owner.json("POST", `/api/projects/${project.id}/endpoint/test`)).status).toBe(200);
    const [row] = await db.select().from(projects).where(eq(projects.id, project.id));
    expect(row).toMatchObject({ metricsEndpointActive: other.endpoint, endpointPathChanges: 1 });

    const third = new StandInApp();
    const refused = await put(third.endpoint);
    expect(refused.status).toBe(403);
    expect(await errorOf(refused)).toMatchObject({
      code: "PLAN_LIMIT",
      details: { limit: "endpointPathChanges" },
    });
    // Setting the active URL again is no change.
    expect((await put(other.endpoint)).status).toBe(200);

    await db.update(projects).set({ endpointHostMigrations: 1 }).where(eq(projects.id, project.id));
    const moved = await put("http://127.0.0.2:9/seqpulse-metrics");
    expect(moved.status).toBe(403);
    expect((await errorOf(moved)).details).toMatchObject({ limit: "endpointHostMigrations" });

    // Enterprise: no limit on either.
    await setPlan(project.id, "enterprise");
    expect((await put(third.endpoint)).status).toBe(200);
    expect((await put("http://127.0.0.2:9/seqpulse-metrics")).status).toBe(200);
  });
});

describe("sample retention", () => {
  it("the cleanup deletes metric samples past each plan's retention, and keeps deployments", async () => {
    const now = new Date();
    const arranged = await Promise.all(
      projectPlans.map(async (plan) => {
        const { project, ci } = await projectWithActiveEndpoint({ plan });
        const triggered = await (await ci.trigger({ env: "prod" })).json<{ deployment_id: string }>();
        await db.delete(metricSamples).where(eq(metricSamples.deploymentId, triggered.deployment_id));
        const edge = now.getTime() - planLimits[plan].sampleRetentionDays * DAY;
        await db.insert(metricSamples).values(
          [edge - 60_000, edge + 60_000, now.getTime() - DAY].map((at, sequence) => ({
            deploymentId: triggered.deployment_id,
            phase: "post" as const,
            sequence,
            requestsPerSec: 10,
            latencyP95: 100,
            errorRate: 0,
            cpuUsage: 0.1,
            memoryUsage: 0.2,
            collectedAt: new Date(at),
          })),
        );
        return { plan, project, deploymentId: triggered.deployment_id };
      }),
    );
    await cleanupJob.run({
      db,
      env,
      now,
      job: { id: 0, type: "cleanup", payload: {}, attempts: 1, maxAttempts: 3, tenantId: null },
    });
    for (const { deploymentId } of arranged) {
      const kept = await db
        .select({ sequence: metricSamples.sequence })
        .from(metricSamples)
        .where(and(eq(metricSamples.deploymentId, deploymentId), eq(metricSamples.phase, "post")))
        .orderBy(metricSamples.sequence);
      expect(kept.map((s) => s.sequence)).toEqual([1, 2]);
      expect(await db.select().from(deployments).where(eq(deployments.id, deploymentId))).toHaveLength(1);
    }
  });
});
