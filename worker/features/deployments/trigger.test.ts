import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { metricSamples, projects } from "../../../db/schema";
import { testDatabase } from "../../../test/helpers";
import { projectWithActiveEndpoint } from "../../../test/projects";
import { ApiError } from "../../lib/errors";
import { recordDeploymentFinish } from "./finish";
import { triggerDeployment } from "./trigger";

// The CI flows called as a job, a webhook retry or a CLI's server side would: no request, no
// Hono context, only the database, the environment and the project.

const { db, close } = testDatabase();
afterAll(() => close());

async function activeProject(window = 3) {
  const arranged = await projectWithActiveEndpoint({ observationWindowMinutes: window });
  const [project] = await db.select().from(projects).where(eq(projects.id, arranged.project.id));
  return { ...arranged, row: project! };
}

/** What `inBackground` was given, so the test can wait for it as the request's pool would. */
function background() {
  const work: Promise<unknown>[] = [];
  return { inBackground: (p: Promise<unknown>) => void work.push(p), settled: () => Promise.all(work) };
}

describe("the trigger and finish flows, without HTTP", () => {
  it("trigger, then finish: the owner sees a finished deployment with its baseline", async () => {
    const { row, owner } = await activeProject(3);
    const runs = background();
    const triggered = await triggerDeployment(db, env, {
      project: row,
      input: { env: "prod", branch: "main", commit_sha: "f00d", idempotencyKey: "build-7" },
      now: new Date(),
      inBackground: runs.inBackground,
    });
    expect(triggered.replayed).toBe(false);
    await runs.settled();
    const baseline = await db
      .select({ phase: metricSamples.phase, sequence: metricSamples.sequence })
      .from(metricSamples)
      .where(eq(metricSamples.deploymentId, triggered.deploymentId));
    expect(baseline).toEqual([{ phase: "pre", sequence: 0 }]);

    // A pipeline retrying with the same key and body gets the same deployment, nothing new.
    const retried = await triggerDeployment(db, env, {
      project: row,
      input: { env: "prod", branch: "main", commit_sha: "f00d", idempotencyKey: " build-7 " },
      now: new Date(),
      inBackground: runs.inBackground,
    });
    expect(retried).toEqual({ deploymentId: triggered.deploymentId, replayed: true });

    const finished = await recordDeploymentFinish(db, {
      project: row,
      input: { deployment_id: triggered.deploymentId, result: "success" },
      now: new Date(),
    });
    expect(finished).toEqual({ status: "accepted", windowMinutes: 3 });

    const shown = await owner.json("GET", `/api/deployments/${triggered.deploymentId}`);
    expect(shown.status).toBe(200);
    const { deployment } = await shown.json<{
      deployment: { state: string; pipelineResult: string; branch: string; commitSha: string };
    }>();
    expect(deployment).toMatchObject({
      state: "finished",
      pipelineResult: "success",
      branch: "main",
      commitSha: "f00d",
    });

    // A second finish changes nothing and says why.
    expect(
      await recordDeploymentFinish(db, {
        project: row,
        input: { deployment_id: triggered.deploymentId, result: "failed" },
        now: new Date(),
      }),
    ).toEqual({ status: "ignored", state: "finished" });
  });

  it("refuses a second running deployment in the same environment, and unknown finishes", async () => {
    const { row } = await activeProject();
    const runs = background();
    const first = await triggerDeployment(db, env, {
      project: row,
      input: { env: "prod", idempotencyKey: null },
      now: new Date(),
      inBackground: runs.inBackground,
    });
    const second = triggerDeployment(db, env, {
      project: row,
      input: { env: "prod", idempotencyKey: null },
      now: new Date(),
      inBackground: runs.inBackground,
    });
    await expect(second).rejects.toBeInstanceOf(ApiError);
    await expect(second).rejects.toMatchObject({
      code: "DEPLOYMENT_RUNNING",
      details: { deployment_id: first.deploymentId },
    });
    await runs.settled();

    expect(
      await recordDeploymentFinish(db, {
        project: row,
        input: { deployment_id: crypto.randomUUID(), result: "success" },
        now: new Date(),
      }),
    ).toEqual({ status: "not_found" });
  });
});
