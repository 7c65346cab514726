import { env } from "cloudflare:workers";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finishDeployment, insertDeployment } from "../../db/queries/deployments";
import { insertProject } from "../../db/queries/projects";
import { insertUser } from "../../db/queries/users";
import { collectionErrors, deployments, jobs, metricSamples, projects, verdicts } from "../../db/schema";
import { testDatabase, until } from "../../test/helpers";
import { healthy, StandInApp } from "../../test/metrics-app";
import { drainLeftoverJobs, MINUTE } from "../../test/pipeline";
import { projectWithActiveEndpoint } from "../../test/projects";
import { collectSamples } from "../features/collection/collect-sample";
import { observationJobs } from "../features/deployments/deployments";
import { defineCollectSampleJob } from "./collect-sample";
import { jobHandlers, registeredSweep } from "./registry";
import { runSweep } from "./sweeper";
import type { JobHandlers } from "./types";

const { db, close } = testDatabase();
beforeAll(() => drainLeftoverJobs());
// Other files fire the real cron (5 s timeouts, 40 s budget) on the same database: leave them
// no stalling work.
const tenantsToClear: string[] = [];
afterAll(async () => {
  if (tenantsToClear.length > 0) {
    await db.delete(jobs).where(inArray(jobs.tenantId, tenantsToClear));
    // Nor stalling endpoints for their continuous baseline.
    await db
      .update(projects)
      .set({ baselineIntervalMinutes: 0 })
      .where(inArray(projects.ownerId, tenantsToClear));
  }
  await close();
});

// The production handlers, with a 300 ms fetch timeout instead of 5 s and a 2 s budget instead
// of 40 s: the same proportions as the live incident (stalls of 7 s), in a test's time.
const collect = defineCollectSampleJob({ timeoutMs: 300 }).run;
/** Collection jobs each tenant was handed, per sweep of this file (other files sweep too). */
let collectedByTenant = new Map<string | null, number>();
const handlers: JobHandlers = {
  ...jobHandlers,
  collect_sample: {
    batch: (context) => {
      for (const job of context.jobs)
        collectedByTenant.set(job.tenantId, (collectedByTenant.get(job.tenantId) ?? 0) + 1);
      return collect.batch(context);
    },
  },
};
const sweepWith = (now: Date) =>
  runSweep(db, { ...registeredSweep, handlers, env, now, budgetMs: 2_000, random: () => 0.5 });

async function finishedDeployment(projectId: string, endpoint: string, window: number, finishedAt: Date) {
  const id = crypto.randomUUID();
  await insertDeployment(
    db,
    {
      id,
      projectId,
      env: "prod",
      metricsEndpoint: endpoint,
      observationWindowMinutes: window,
      startedAt: new Date(finishedAt.getTime() - MINUTE),
      expiresAt: new Date(finishedAt.getTime() + 2 * 60 * MINUTE),
    },
    [],
  );
  await finishDeployment(db, {
    id,
    projectId,
    result: "success",
    finishedAt,
    observationWindowMinutes: window,
    jobsToQueue: observationJobs(id, window, finishedAt),
  });
  return id;
}

/** An account with `count` projects whose endpoint passed its test and now stalls, each with a finished deployment. */
async function stallingTenant(count: number, window: number, finishedAt: Date) {
  const app = new StandInApp();
  await app.configure({ responses: [{ delayMs: 7_000, metrics: healthy }] });
  const user = await insertUser(db, {
    email: `stalling-${crypto.randomUUID().slice(0, 8)}@example.com`,
    name: "Stalling",
    passwordHash: null,
  });
  for (let i = 0; i < count; i++) {
    const project = await insertProject(db, {
      ownerId: user!.id,
      name: `stalling ${i}`,
      apiKeyHash: crypto.randomUUID(),
      apiKeyPrefix: "sp_x",
      metricsEndpointActive: app.endpoint,
      endpointState: "active",
      observationWindowMinutes: window,
    });
    await finishedDeployment(project.id, app.endpoint, window, finishedAt);
  }
  tenantsToClear.push(user!.id);
  return { app, userId: user!.id };
}

describe("one tenant's stalling endpoints", () => {
  it("do not delay another tenant's samples or verdict", async () => {
    const now = new Date();
    // 50 endpoints that stall, with ten minutes of samples already due (older than anyone's).
    const stalling = await stallingTenant(50, 10, new Date(now.getTime() - 10 * MINUTE));

    const { ci } = await projectWithActiveEndpoint({ observationWindowMinutes: 1 });
    const { deployment_id: id } = await (await ci.trigger()).json<{ deployment_id: string }>();
    await until(
      async () => (await db.select().from(metricSamples).where(eq(metricSamples.deploymentId, id)))[0],
      "the baseline",
    );
    expect((await ci.finish(id)).status).toBe(200);
    const [row] = await db.select().from(deployments).where(eq(deployments.id, id));
    const finishedAt = row!.finishedAt!.getTime();

    // The quiet tenant's one sample is due this minute, behind 500 older ones.
    const stallingClaims: number[] = [];
    const sweepAt = async (at: Date) => {
      collectedByTenant = new Map();
      const result = await sweepWith(at);
      stallingClaims.push(collectedByTenant.get(stalling.userId) ?? 0);
      return result;
    };
    const first = await sweepAt(new Date(finishedAt + 1000));
    const postSamples = () =>
      db
        .select()
        .from(metricSamples)
        .where(and(eq(metricSamples.deploymentId, id), eq(metricSamples.phase, "post")));
    expect(await postSamples()).toHaveLength(1);
    console.log("fairness: first sweep", JSON.stringify(first));

    // Its one-minute window's only sample is in: the same sweep judged it.
    const verdict = async () => (await db.select().from(verdicts).where(eq(verdicts.deploymentId, id)))[0];
    expect(await verdict()).toMatchObject({ createdAt: new Date(finishedAt + 1000) });
    // The next sweeps keep sharing collection out fairly (the stalling tenant's retries).
    const sweeps = [first];
    for (let minute = 1; minute <= 3; minute++)
      sweeps.push(await sweepAt(new Date(finishedAt + minute * MINUTE + 1000)));
    console.log(
      "fairness: sweeps",
      JSON.stringify(sweeps.map(({ owner, ...counts }) => counts)),
      "stalling tenant's collection claims per sweep",
      JSON.stringify(stallingClaims),
    );
    // The stalling tenant's backlog went on after everyone's share was served.
    expect(stallingClaims[0]).toBeGreaterThan(0);
  }, 120_000);
});

describe("an endpoint that keeps timing out", () => {
  it("is backed off: short attempts, not retried, shown on the project, until it answers again", async () => {
    const { app, owner, project } = await projectWithActiveEndpoint();
    const { user } = await (await owner.json("GET", "/api/auth/me")).json<{ user: { id: string } }>();
    tenantsToClear.push(user.id);
    await app.configure({ responses: [{ delayMs: 7_000, metrics: healthy }] });
    const now = new Date();
    // Four samples due at once, all timing out: the streak passes the threshold (3). The window
    // (10 minutes) is still running, so those failing for good do not end it with a verdict.
    const id = await finishedDeployment(project.id, app.endpoint, 10, new Date(now.getTime() - 3.5 * MINUTE));
    await sweepWith(now);
    const view = async () =>
      (
        await (
          await owner.json("GET", `/api/projects/${project.id}`)
        ).json<{ project: { collection: unknown } }>()
      ).project.collection;
    const backedOff = (await view()) as { consecutiveTimeouts: number; backedOffUntil: string | null };
    expect(backedOff.consecutiveTimeouts).toBe(4);
    // 2^(4 - 3) minutes from the sweep.
    expect(backedOff.backedOffUntil).toBe(new Date(now.getTime() + 2 * MINUTE).toISOString());

    // The retries come while it is backed off: one try each, final.
    await sweepWith(new Date(now.getTime() + 31_000));
    const errors = await db.select().from(collectionErrors).where(eq(collectionErrors.deploymentId, id));
    const second = errors.filter((error) => error.attempt === 2);
    expect(second).toHaveLength(4);
    expect(second.every((error) => error.final && /keeps timing out/.test(error.message))).toBe(true);
    // One answer ends it.
    await app.configure({ responses: [{ metrics: healthy }] });
    await collectSamples(
      db,
      env,
      [{ deploymentId: id, phase: "post", sequence: 3, attempt: 3, lastAttempt: true }],
      {
        now: new Date(now.getTime() + 3 * MINUTE),
      },
    );
    expect(await view()).toEqual({ consecutiveTimeouts: 0, backedOffUntil: null });
  }, 60_000);
});
