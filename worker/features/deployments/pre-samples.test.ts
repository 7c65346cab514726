import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectionErrors, deployments, jobs, metricSamples, projects } from "../../../db/schema";
import { testDatabase, until } from "../../../test/helpers";
import { healthy } from "../../../test/metrics-app";
import { drainLeftoverJobs, fireCron, MINUTE } from "../../../test/pipeline";
import { projectWithActiveEndpoint } from "../../../test/projects";

// PRE sampling from trigger to finish: the sample taken during the trigger (sequence 0), then
// one a minute from the scheduled sweeps, until the finish stops them.

const { db, close } = testDatabase();
beforeAll(() => drainLeftoverJobs());
afterAll(() => close());

async function triggered(options: { window?: number } = {}) {
  const project = await projectWithActiveEndpoint({ observationWindowMinutes: options.window ?? 2 });
  // The continuous baseline samples idle projects from the same sweeps; it is tested in
  // worker/jobs/baseline.test.ts, and here it would only add scrapes to count.
  await db.update(projects).set({ baselineIntervalMinutes: 0 }).where(eq(projects.id, project.project.id));
  const response = await project.ci.trigger({ env: "prod", branch: "main" });
  expect(response.status).toBe(200);
  const { deployment_id: id } = await response.json<{ deployment_id: string }>();
  await until(
    async () => (await db.select().from(metricSamples).where(eq(metricSamples.deploymentId, id)))[0],
    "the sample taken by the trigger",
  );
  const [row] = await db.select().from(deployments).where(eq(deployments.id, id));
  return { ...project, id, triggeredAt: row!.startedAt.getTime() };
}

const preSamples = async (id: string) =>
  db
    .select({ sequence: metricSamples.sequence, collectedAt: metricSamples.collectedAt })
    .from(metricSamples)
    .where(and(eq(metricSamples.deploymentId, id), eq(metricSamples.phase, "pre")))
    .orderBy(metricSamples.sequence);

const openPreJobs = async (id: string) =>
  db
    .select({ key: jobs.dedupeKey })
    .from(jobs)
    .where(
      and(
        sql`starts_with(${jobs.dedupeKey}, ${`collect:${id}:pre:`})`,
        sql`${jobs.status} in ('pending', 'failed', 'running')`,
      ),
    );

describe("PRE samples between trigger and finish", () => {
  it("the trigger queues one a minute, at most ten after its own", async () => {
    const { id, triggeredAt } = await triggered();
    const queued = await db
      .select({ key: jobs.dedupeKey, runAt: jobs.runAt, maxAttempts: jobs.maxAttempts })
      .from(jobs)
      .where(sql`starts_with(${jobs.dedupeKey}, ${`collect:${id}:pre:`})`);
    const offsets = Object.fromEntries(
      queued.map((job) => [job.key, (job.runAt.getTime() - triggeredAt) / MINUTE]),
    );
    // Sequence 0 is the retry of the trigger's own sample.
    expect(offsets).toEqual(
      Object.fromEntries(Array.from({ length: 11 }, (_, n) => [`collect:${id}:pre:${n}`, Math.max(1, n)])),
    );
    expect(queued.every((job) => job.maxAttempts === 3)).toBe(true);
  });

  it("trigger at T, sweeps at T+1..T+4 min, then the finish: PRE 0..4, none after", async () => {
    const { app, ci, id, triggeredAt } = await triggered({ window: 2 });
    for (let minute = 1; minute <= 4; minute++) await fireCron(triggeredAt + minute * MINUTE + 1000);
    const before = await preSamples(id);
    expect(before.map((s) => s.sequence)).toEqual([0, 1, 2, 3, 4]);
    // Each taken by the sweep of its minute, stamped with the sweep's clock.
    expect(before.slice(1).map((s) => (s.collectedAt.getTime() - triggeredAt - 1000) / MINUTE)).toEqual([
      1, 2, 3, 4,
    ]);

    expect((await ci.finish(id)).status).toBe(200);
    // The finish dropped the PRE samples still to come.
    expect(await openPreJobs(id)).toEqual([]);
    const requestsAtFinish = (await app.stats()).requests;
    const [row] = await db.select().from(deployments).where(eq(deployments.id, id));
    const finishedAt = row!.finishedAt!.getTime();
    for (let minute = 0; minute <= 8; minute++) await fireCron(finishedAt + minute * MINUTE + 1000);
    expect((await preSamples(id)).map((s) => s.sequence)).toEqual([0, 1, 2, 3, 4]);
    // Only the window's two POST samples were fetched after the finish.
    expect((await app.stats()).requests - requestsAtFinish).toBe(2);
    const [judged] = await db.select().from(deployments).where(eq(deployments.id, id));
    expect(judged?.state).toBe("analyzed");
  }, 60_000);

  it("a PRE job that runs once the deployment is no longer running takes nothing and succeeds", async () => {
    for (const state of ["finished", "expired", "cancelled"] as const) {
      const { app, id, triggeredAt } = await triggered();
      // As if the state changed while the job was already claimed (the finish and the cancel
      // delete pending PRE jobs; expiry does not): the jobs are still there.
      await db.update(deployments).set({ state }).where(eq(deployments.id, id));
      const requestsBefore = (await app.stats()).requests;
      await fireCron(triggeredAt + 2 * MINUTE + 1000);
      expect(
        (await preSamples(id)).map((s) => s.sequence),
        state,
      ).toEqual([0]);
      expect((await app.stats()).requests, state).toBe(requestsBefore);
      expect(
        await db.select().from(collectionErrors).where(eq(collectionErrors.deploymentId, id)),
        state,
      ).toEqual([]);
      const ran = await db
        .select({ key: jobs.dedupeKey, status: jobs.status })
        .from(jobs)
        .where(sql`${jobs.dedupeKey} in (${`collect:${id}:pre:1`}, ${`collect:${id}:pre:2`})`)
        .orderBy(jobs.dedupeKey);
      expect(
        ran.map((job) => job.status),
        state,
      ).toEqual(["succeeded", "succeeded"]);
      // The rest are left to their minutes, and will do the same; none stays behind for later files.
      await db.delete(jobs).where(sql`starts_with(${jobs.dedupeKey}, ${`collect:${id}:`})`);
    }
  }, 60_000);

  it("a cancelled deployment gets no further PRE sample", async () => {
    const { app, owner, id, triggeredAt } = await triggered();
    await fireCron(triggeredAt + MINUTE + 1000);
    expect((await preSamples(id)).map((s) => s.sequence)).toEqual([0, 1]);
    expect((await owner.json("POST", `/api/deployments/${id}/cancel`)).status).toBe(200);
    expect(await openPreJobs(id)).toEqual([]);
    const requestsBefore = (await app.stats()).requests;
    for (let minute = 2; minute <= 11; minute++) await fireCron(triggeredAt + minute * MINUTE + 1000);
    expect((await preSamples(id)).map((s) => s.sequence)).toEqual([0, 1]);
    expect((await app.stats()).requests).toBe(requestsBefore);
  }, 60_000);

  it("PRE scrapes are signed like the others", async () => {
    const project = await projectWithActiveEndpoint({ hmac: true });
    await db.update(projects).set({ baselineIntervalMinutes: 0 }).where(eq(projects.id, project.project.id));
    await project.app.configure({ secret: project.secret, responses: [{ metrics: healthy }] });
    const { deployment_id: id } = await (await project.ci.trigger()).json<{ deployment_id: string }>();
    const [row] = await db.select().from(deployments).where(eq(deployments.id, id));
    await fireCron(row!.startedAt.getTime() + MINUTE + 1000);
    expect((await preSamples(id)).map((s) => s.sequence)).toEqual([0, 1]);
    const stats = await project.app.stats();
    expect(stats.rejected).toEqual([]);
    expect(stats.accepted).toBe(2);
    await project.ci.finish(id);
  });
});
