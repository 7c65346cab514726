import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployments, jobs, metricSamples, projects, verdicts } from "../../../db/schema";
import { errorCode, TestClient } from "../../../test/client";
import { testDatabase, until } from "../../../test/helpers";
import { healthy } from "../../../test/metrics-app";
import { drainLeftoverJobs, fireCron, MINUTE, runDeployment } from "../../../test/pipeline";
import { projectWithActiveEndpoint } from "../../../test/projects";

const { db, close } = testDatabase();
afterAll(() => close());
beforeAll(() => drainLeftoverJobs());

const cancelPath = (id: string) => `/api/deployments/${id}/cancel`;

async function triggered(ci: Awaited<ReturnType<typeof projectWithActiveEndpoint>>["ci"]) {
  const response = await ci.trigger({ env: "prod", branch: "main" });
  expect(response.status).toBe(200);
  return (await response.json<{ deployment_id: string }>()).deployment_id;
}

describe("POST /api/deployments/:id/cancel", () => {
  it("answers 401 without credentials", async () => {
    const response = await new TestClient().json("POST", cancelPath("00000000-0000-4000-8000-000000000000"));
    expect(response.status).toBe(401);
  });

  it("answers 404 for another user's deployment, which stays running", async () => {
    const { ci } = await projectWithActiveEndpoint();
    const id = await triggered(ci);
    const intruder = new TestClient();
    await intruder.signUp();
    const response = await intruder.json("POST", cancelPath(id));
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe("NOT_FOUND");
    expect((await intruder.json("POST", cancelPath("not-a-uuid"))).status).toBe(404);
    const [row] = await db
      .select({ state: deployments.state })
      .from(deployments)
      .where(eq(deployments.id, id));
    expect(row?.state).toBe("running");
  });

  it("ends a stuck deployment: the environment takes the next trigger, nothing is sampled or judged after", async () => {
    const { app, owner, ci, project } = await projectWithActiveEndpoint();
    // Idle again once cancelled, the project would get continuous-baseline scrapes (tested in
    // worker/jobs/baseline.test.ts); here every scrape would be one for the deployment.
    await db.update(projects).set({ baselineIntervalMinutes: 0 }).where(eq(projects.id, project.id));
    // The baseline scrape fails, so its retry is queued: the cancel must drop it.
    await app.configure({ responses: [{ status: 500 }, { metrics: healthy }] });
    const id = await triggered(ci);
    await until(async () => (await app.stats()).requests >= 1, "the first baseline attempt");
    expect((await ci.trigger({ env: "prod", branch: "next" })).status).toBe(409);

    const cancelled = await owner.json("POST", cancelPath(id));
    expect(cancelled.status).toBe(200);
    const body = await cancelled.json<{ deployment: { id: string; state: string; verdict: unknown } }>();
    expect(body.deployment).toMatchObject({ id, state: "cancelled", verdict: null });

    // Idempotent.
    const again = await owner.json("POST", cancelPath(id));
    expect(again.status).toBe(200);
    expect((await again.json<{ deployment: { state: string } }>()).deployment.state).toBe("cancelled");

    const open = await db
      .select({ id: jobs.id })
      .from(jobs)
      .where(
        and(
          sql`starts_with(${jobs.dedupeKey}, ${`collect:${id}:`})`,
          inArray(jobs.status, ["pending", "failed", "running"]),
        ),
      );
    expect(open).toEqual([]);

    const requestsBefore = (await app.stats()).requests;
    for (let minute = 1; minute <= 4; minute++) await fireCron(Date.now() + minute * MINUTE);
    expect((await app.stats()).requests).toBe(requestsBefore);
    expect(await db.select().from(metricSamples).where(eq(metricSamples.deploymentId, id))).toEqual([]);
    expect(await db.select().from(verdicts).where(eq(verdicts.deploymentId, id))).toEqual([]);

    // The environment is free again; a late finish of the cancelled run is ignored (the
    // original CI contract answers it without an error) and schedules nothing.
    const next = await ci.trigger({ env: "prod", branch: "next" });
    expect(next.status).toBe(200);
    await ci.finish(id);
    const [row] = await db
      .select({ state: deployments.state })
      .from(deployments)
      .where(eq(deployments.id, id));
    expect(row?.state).toBe("cancelled");
  });

  it("accepts a personal API token", async () => {
    const { owner, ci } = await projectWithActiveEndpoint();
    const id = await triggered(ci);
    const minted = await owner.json("POST", "/api/auth/tokens", { name: "cancel script" });
    expect(minted.status).toBe(201);
    const script = new TestClient();
    script.bearer = (await minted.json<{ token: string }>()).token;
    const response = await script.json("POST", cancelPath(id));
    expect(response.status).toBe(200);
  });

  it("refuses a deployment that already finished, with a stable code", async () => {
    const { owner, deploymentId } = await runDeployment({ window: 1, responses: [{ metrics: healthy }] });
    const response = await owner.json("POST", cancelPath(deploymentId));
    expect(response.status).toBe(409);
    expect(await errorCode(response)).toBe("DEPLOYMENT_NOT_CANCELLABLE");
    const [row] = await db
      .select({ state: deployments.state })
      .from(deployments)
      .where(eq(deployments.id, deploymentId));
    expect(row?.state).toBe("analyzed");
  });
});
