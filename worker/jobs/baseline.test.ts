import { env } from "cloudflare:workers";
import { and, asc, eq, inArray, lt } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  claimDueBaselines,
  listBaselineHistories,
  listBaselineHistory,
} from "../../db/queries/baseline-samples";
import { insertProject } from "../../db/queries/projects";
import { insertUser } from "../../db/queries/users";
import { baselineSamples, deployments, metricSamples, projects } from "../../db/schema";
import { testDatabase, until } from "../../test/helpers";
import { type AppResponse, healthy, StandInApp } from "../../test/metrics-app";
import { drainLeftoverJobs, fireCron, MINUTE } from "../../test/pipeline";
import { projectWithActiveEndpoint } from "../../test/projects";
import { judgeInputOf } from "../features/deployments/judge-input";
import { runBaselinePass } from "./baseline";
import { BASELINE_SAMPLE_RETENTION_DAYS, cleanupJob } from "./cleanup";

// The continuous baseline, driven by scheduled events against the stand-in application: idle
// projects sampled at their interval, after the job sweep and within its budget.

const { db, close } = testDatabase();
const DAY = 24 * 60 * MINUTE;

/** Projects this file created: switched off after each test, so later sweeps leave them alone. */
const created: string[] = [];

beforeAll(async () => {
  await drainLeftoverJobs();
  // Idle projects left by earlier files would be due too: out of this file's way.
  await db.update(projects).set({ baselineDueAt: new Date(Date.now() + 365 * DAY) });
});
afterEach(async () => {
  if (created.length > 0)
    await db.update(projects).set({ baselineIntervalMinutes: 0 }).where(inArray(projects.id, created));
});
afterAll(() => close());

async function newOwner() {
  const user = await insertUser(db, {
    email: `baseline-${crypto.randomUUID().slice(0, 8)}@example.com`,
    name: "Baseline",
    passwordHash: null,
  });
  return user!.id;
}

/** A project whose endpoint (a stand-in app of its own, unless given) is active and idle. */
async function idleProject(
  options: {
    ownerId?: string;
    interval?: number;
    responses?: AppResponse[];
    app?: StandInApp;
    backoffUntil?: Date;
  } = {},
) {
  const app = options.app ?? new StandInApp();
  if (!options.app) await app.configure({ responses: options.responses ?? [{ metrics: healthy }] });
  const project = await insertProject(db, {
    ownerId: options.ownerId ?? (await newOwner()),
    name: "idle",
    apiKeyHash: crypto.randomUUID(),
    apiKeyPrefix: "sp_x",
    metricsEndpointActive: app.endpoint,
    endpointState: "active",
    baselineIntervalMinutes: options.interval ?? 10,
    collectionBackoffUntil: options.backoffUntil ?? null,
    collectionTimeoutStreak: options.backoffUntil ? 5 : 0,
  });
  created.push(project.id);
  return { app, project };
}

const samplesOf = (projectId: string) =>
  db
    .select()
    .from(baselineSamples)
    .where(eq(baselineSamples.projectId, projectId))
    .orderBy(asc(baselineSamples.collectedAt));

const projectRow = async (id: string) => (await db.select().from(projects).where(eq(projects.id, id)))[0]!;

describe("the continuous baseline", () => {
  it("samples an idle project at its interval (5, 10, 30 minutes; 0 never)", async () => {
    const at = Date.now() + 10 * MINUTE;
    const ownerId = await newOwner();
    const byInterval = new Map<number, Awaited<ReturnType<typeof idleProject>>>();
    for (const interval of [5, 10, 30, 0]) byInterval.set(interval, await idleProject({ ownerId, interval }));
    for (let minute = 0; minute <= 30; minute++) await fireCron(at + minute * MINUTE);
    for (const [interval, { app, project }] of byInterval) {
      const minutes = (await samplesOf(project.id)).map((s) => (s.collectedAt.getTime() - at) / MINUTE);
      const expected =
        interval === 0 ? [] : Array.from({ length: 30 / interval + 1 }, (_, i) => i * interval);
      expect(minutes, `every ${interval} min`).toEqual(expected);
      // One scrape per sample: nothing fetched twice, nothing fetched for nothing.
      expect((await app.stats()).requests).toBe(expected.length);
    }
    expect((await samplesOf(byInterval.get(5)!.project.id))[0]).toMatchObject({
      requestsPerSec: healthy.requests_per_sec,
      latencyP95: healthy.latency_p95,
      errorRate: healthy.error_rate,
      cpuUsage: healthy.cpu_usage,
      memoryUsage: healthy.memory_usage,
    });
  }, 90_000);

  it("signs its scrapes: an application checking HMAC accepts them", async () => {
    const { app, project, secret } = await projectWithActiveEndpoint({ hmac: true });
    created.push(project.id);
    await app.configure({ secret, responses: [{ metrics: healthy }] });
    await fireCron(Date.now() + 1000);
    expect(await samplesOf(project.id)).toHaveLength(1);
    const stats = await app.stats();
    expect(stats).toMatchObject({ requests: 1, accepted: 1, rejected: [] });
  });

  it("leaves a project alone while a deployment of it runs or waits for its verdict", async () => {
    const { app, ci, project } = await projectWithActiveEndpoint({ observationWindowMinutes: 1 });
    created.push(project.id);
    const { deployment_id: id } = await (await ci.trigger()).json<{ deployment_id: string }>();
    await until(
      async () => (await db.select().from(metricSamples).where(eq(metricSamples.deploymentId, id)))[0],
      "the trigger's sample",
    );
    const [running] = await db.select().from(deployments).where(eq(deployments.id, id));
    await fireCron(running!.startedAt.getTime() + MINUTE + 1000);
    expect(await samplesOf(project.id)).toEqual([]);
    await ci.finish(id);
    const [finished] = await db.select().from(deployments).where(eq(deployments.id, id));
    const finishedAt = finished!.finishedAt!.getTime();
    let minute = 0;
    for (; minute < 10; minute++) {
      await fireCron(finishedAt + minute * MINUTE + 1000);
      const [row] = await db.select().from(deployments).where(eq(deployments.id, id));
      if (row?.state === "analyzed") break;
      expect(await samplesOf(project.id), `minute ${minute}`).toEqual([]);
    }
    const [analyzed] = await db.select().from(deployments).where(eq(deployments.id, id));
    expect(analyzed?.state).toBe("analyzed");
    // Idle from the run that judged it: sampled in that very run, after the sweep.
    const samples = await samplesOf(project.id);
    expect(samples.map((s) => s.collectedAt.getTime())).toEqual([analyzed!.analyzedAt!.getTime()]);
    // The endpoint test, the trigger's sample, PRE 1, the POST sample and the baseline: nothing
    // else was fetched.
    expect((await app.stats()).requests).toBe(1 + 1 + 1 + 1 + 1);
  }, 60_000);

  it("a deployment whose verdict or finish never came stops blocking the baseline after a while", async () => {
    const now = Date.now() + MINUTE;
    const deployment = async (projectId: string, state: "running" | "finished", at: number) =>
      db.insert(deployments).values({
        projectId,
        number: 1,
        env: "prod",
        state,
        metricsEndpoint: "http://unused.example/m",
        observationWindowMinutes: 5,
        startedAt: new Date(at - MINUTE),
        finishedAt: state === "finished" ? new Date(at) : null,
        // A running one past this is expired (the hourly cleanup will say so).
        expiresAt: new Date(at + 2 * 60 * MINUTE),
      });
    const finishedLately = await idleProject();
    await deployment(finishedLately.project.id, "finished", now - 2 * 60 * MINUTE);
    // Its analysis died: no verdict three hours after the finish.
    const finishedLongAgo = await idleProject();
    await deployment(finishedLongAgo.project.id, "finished", now - 3 * 60 * MINUTE - MINUTE);
    const runningPastExpiry = await idleProject();
    await deployment(runningPastExpiry.project.id, "running", now - 2 * 60 * MINUTE - MINUTE);
    await fireCron(now);
    expect(await samplesOf(finishedLately.project.id)).toEqual([]);
    expect(await samplesOf(finishedLongAgo.project.id)).toHaveLength(1);
    expect(await samplesOf(runningPastExpiry.project.id)).toHaveLength(1);
  });

  it("two overlapping runs never sample the same project twice", async () => {
    const ownerId = await newOwner();
    const idle = await Promise.all([1, 2, 3].map(() => idleProject({ ownerId })));
    const at = Date.now() + 1000;
    await Promise.all([fireCron(at), fireCron(at)]);
    await Promise.all([fireCron(at + 2 * MINUTE), fireCron(at + 2 * MINUTE + 500)]);
    for (const { app, project } of idle) {
      expect(await samplesOf(project.id)).toHaveLength(1);
      expect((await app.stats()).requests).toBe(1);
    }

    // The claim itself, raced: disjoint sets.
    const more = await Promise.all([1, 2, 3, 4].map(() => idleProject({ ownerId: undefined })));
    const ids = new Set(more.map(({ project }) => project.id));
    const now = new Date(Date.now() + 3 * MINUTE);
    const [a, b] = await Promise.all([
      claimDueBaselines(db, { now, limit: 100, perOwnerLimit: 10 }),
      claimDueBaselines(db, { now, limit: 100, perOwnerLimit: 10 }),
    ]);
    const mine = [...a!, ...b!].map((claim) => claim.projectId).filter((id) => ids.has(id));
    expect(mine.sort()).toEqual([...ids].sort());
  });

  it("is fair across accounts: a cap per owner and per run, round-robin", async () => {
    const big = await newOwner();
    const small = await newOwner();
    const app = new StandInApp();
    await app.configure({ responses: [{ metrics: healthy }] });
    const bigs: Array<Awaited<ReturnType<typeof idleProject>>> = [];
    for (let i = 0; i < 15; i++) bigs.push(await idleProject({ ownerId: big, app }));
    const smalls: typeof bigs = [];
    for (let i = 0; i < 3; i++) smalls.push(await idleProject({ ownerId: small, app }));
    const count = async (list: typeof bigs) =>
      (await Promise.all(list.map(async ({ project }) => (await samplesOf(project.id)).length))).reduce(
        (a, b) => a + b,
        0,
      );
    const at = Date.now() + 1000;
    await fireCron(at);
    // Ten per account and run: the small account is served in full, the big one waits its turn.
    expect(await count(bigs)).toBe(10);
    expect(await count(smalls)).toBe(3);
    await fireCron(at + MINUTE);
    expect(await count(bigs)).toBe(15);
    expect(await count(smalls)).toBe(3);

    // Under a per-run cap, accounts alternate: their first, then their second...
    const third = await newOwner();
    const fourth = await newOwner();
    for (let i = 0; i < 5; i++) {
      await idleProject({ ownerId: third, app });
      await idleProject({ ownerId: fourth, app });
    }
    const pass = await runBaselinePass(db, {
      env,
      now: new Date(at + 2 * MINUTE),
      deadline: Date.now() + 10_000,
      limit: 4,
      perOwnerLimit: 3,
    });
    expect(pass).toMatchObject({ claimed: 4, stored: 4, released: 0 });
    const owners = await db
      .select({ ownerId: projects.ownerId })
      .from(baselineSamples)
      .innerJoin(projects, eq(projects.id, baselineSamples.projectId))
      .where(inArray(projects.ownerId, [third, fourth]));
    expect(owners.filter((row) => row.ownerId === third)).toHaveLength(2);
    expect(owners.filter((row) => row.ownerId === fourth)).toHaveLength(2);
  }, 60_000);

  it("respects a collection backoff, and does not retry a failing endpoint every minute", async () => {
    const at = Date.now() + 1000;
    const backedOff = await idleProject({ interval: 5, backoffUntil: new Date(at + 8 * MINUTE) });
    const failing = await idleProject({ interval: 10, responses: [{ status: 503 }] });
    for (let minute = 0; minute <= 10; minute++) await fireCron(at + minute * MINUTE);
    // Skipped at 0 and 5 (backed off until 8), sampled at 8 (due since it was never sampled);
    // the answer ended the backoff.
    expect(
      (await samplesOf(backedOff.project.id)).map((s) => (s.collectedAt.getTime() - at) / MINUTE),
    ).toEqual([8]);
    expect(await projectRow(backedOff.project.id)).toMatchObject({
      collectionTimeoutStreak: 0,
      collectionBackoffUntil: null,
    });
    // Tried at 0 and 10 only; no sample, and an HTTP error says nothing of a stall.
    expect((await failing.app.stats()).requests).toBe(2);
    expect(await samplesOf(failing.project.id)).toEqual([]);
    expect((await projectRow(failing.project.id)).collectionTimeoutStreak).toBe(0);
  }, 60_000);

  it("counts timeouts in the endpoint's streak: three in a row back it off", async () => {
    const stalling = await idleProject({ interval: 5, responses: [{ delayMs: 2_000, metrics: healthy }] });
    const at = Date.now();
    for (let i = 0; i < 3; i++) {
      const pass = await runBaselinePass(db, {
        env,
        now: new Date(at + i * 5 * MINUTE),
        deadline: Date.now() + 10_000,
        timeoutMs: 200,
      });
      expect(pass.failed.ENDPOINT_TIMEOUT).toBeGreaterThanOrEqual(1);
    }
    const row = await projectRow(stalling.project.id);
    expect(row.collectionTimeoutStreak).toBe(3);
    expect(row.collectionBackoffUntil?.getTime()).toBe(at + 10 * MINUTE + MINUTE);
    // Made due at once, it is still not tried until the backoff ends.
    await db.update(projects).set({ baselineDueAt: null }).where(eq(projects.id, stalling.project.id));
    const requests = (await stalling.app.stats()).requests;
    const pass = (minutes: number) =>
      runBaselinePass(db, {
        env,
        now: new Date(at + minutes * MINUTE),
        deadline: Date.now() + 10_000,
        timeoutMs: 200,
      });
    await pass(10.5);
    expect((await stalling.app.stats()).requests).toBe(requests);
    await pass(11);
    expect((await stalling.app.stats()).requests).toBe(requests + 1);
  }, 30_000);
});

describe("a hanging endpoint", () => {
  it("does not delay another account's deployment samples: the baseline pass comes after them", async () => {
    const hanging = await idleProject({ responses: [{ delayMs: 8_000, metrics: healthy }] });
    const { ci, project } = await projectWithActiveEndpoint({ observationWindowMinutes: 1 });
    created.push(project.id);
    const { deployment_id: id } = await (await ci.trigger()).json<{ deployment_id: string }>();
    await until(
      async () => (await db.select().from(metricSamples).where(eq(metricSamples.deploymentId, id)))[0],
      "the trigger's sample",
    );
    await ci.finish(id);
    const started = Date.now();
    const run = fireCron(Date.now() + 1000);
    await until(
      async () =>
        (
          await db
            .select()
            .from(metricSamples)
            .where(and(eq(metricSamples.deploymentId, id), eq(metricSamples.phase, "post")))
        )[0],
      "the POST sample",
    );
    const sampledAfterMs = Date.now() - started;
    await run;
    const runMs = Date.now() - started;
    // The hanging scrape (5 s timeout) was made, after the sweep had stored the POST sample.
    expect((await hanging.app.stats()).requests).toBe(1);
    expect(await samplesOf(hanging.project.id)).toEqual([]);
    expect(runMs).toBeGreaterThanOrEqual(4_500);
    expect(sampledAfterMs).toBeLessThan(runMs - 2_000);
  }, 30_000);

  it("is bounded by the time left: nothing claimed past the deadline, unstarted claims given back", async () => {
    const ownerId = await newOwner();
    const first = await idleProject({ ownerId, responses: [{ delayMs: 3_000, metrics: healthy }] });
    const second = await idleProject({ ownerId, responses: [{ delayMs: 3_000, metrics: healthy }] });
    const now = new Date(Date.now() + 1000);
    const late = await runBaselinePass(db, { env, now, deadline: Date.now() - 1 });
    expect(late).toMatchObject({ claimed: 0 });
    expect((await projectRow(first.project.id)).baselineDueAt).toBeNull();

    const started = Date.now();
    const pass = await runBaselinePass(db, {
      env,
      now,
      deadline: Date.now() + 200,
      concurrency: 1,
      timeoutMs: 500,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    // Other projects may be due as well: only these two are checked.
    expect(pass.claimed).toBeGreaterThanOrEqual(2);
    const dues = [await projectRow(first.project.id), await projectRow(second.project.id)].map(
      (row) => row.baselineDueAt,
    );
    // One was tried (timed out, due an interval later); the other was given back, due at once.
    expect(dues.filter((due) => due === null)).toHaveLength(1);
    expect(dues.filter((due) => due?.getTime() === now.getTime() + 10 * MINUTE)).toHaveLength(1);
    const requests = (await first.app.stats()).requests + (await second.app.stats()).requests;
    expect(requests).toBe(1);
  }, 30_000);
});

describe("retention", () => {
  it("the hourly cleanup deletes baseline samples older than 8 days, and only those", async () => {
    const { project } = await idleProject({ interval: 0 });
    const now = new Date();
    const limit = now.getTime() - BASELINE_SAMPLE_RETENTION_DAYS * DAY;
    const values = { projectId: project.id, ...sampleValues };
    await db.insert(baselineSamples).values([
      { ...values, collectedAt: new Date(limit - MINUTE) },
      { ...values, collectedAt: new Date(limit - 1) },
      { ...values, collectedAt: new Date(limit + MINUTE) },
      { ...values, collectedAt: new Date(now.getTime() - DAY) },
    ]);
    await cleanupJob.run({
      db,
      env,
      now,
      job: { id: 0, type: "cleanup", payload: {}, attempts: 1, maxAttempts: 3, tenantId: null },
    });
    expect((await samplesOf(project.id)).map((s) => s.collectedAt.getTime())).toEqual([
      limit + MINUTE,
      now.getTime() - DAY,
    ]);
    expect(
      await db
        .select()
        .from(baselineSamples)
        .where(lt(baselineSamples.collectedAt, new Date(limit))),
    ).toEqual([]);
  });
});

const sampleValues = {
  requestsPerSec: 100,
  latencyP95: 150,
  errorRate: 0.001,
  cpuUsage: 0.3,
  memoryUsage: 0.4,
};

describe("history for the judge", () => {
  it("reads the hour before the trigger and ±30 min a day and a week earlier, oldest first", async () => {
    const { project } = await idleProject({ interval: 0 });
    const other = await idleProject({ interval: 0 });
    const trigger = Date.now() - MINUTE;
    const offsets = {
      inside: [
        -60 * MINUTE,
        -MINUTE,
        -1,
        -DAY - 30 * MINUTE,
        -DAY,
        -DAY + 30 * MINUTE - 1,
        -7 * DAY - 30 * MINUTE,
        -7 * DAY + 29 * MINUTE,
      ],
      outside: [
        -60 * MINUTE - 1,
        0,
        MINUTE,
        -3 * 60 * MINUTE,
        -DAY - 30 * MINUTE - 1,
        -DAY + 30 * MINUTE,
        -2 * DAY,
        -7 * DAY - 31 * MINUTE,
        -7 * DAY + 30 * MINUTE,
        -8 * DAY,
      ],
    };
    await db.insert(baselineSamples).values([
      ...[...offsets.inside, ...offsets.outside].map((offset, i) => ({
        projectId: project.id,
        ...sampleValues,
        requestsPerSec: i,
        collectedAt: new Date(trigger + offset),
      })),
      // Another project's samples at the same times are not this one's history.
      ...offsets.inside.map((offset) => ({
        projectId: other.project.id,
        ...sampleValues,
        collectedAt: new Date(trigger + offset),
      })),
    ]);
    const expected = [...offsets.inside].sort((a, b) => a - b).map((offset) => trigger + offset);
    const history = await listBaselineHistory(db, project.id, new Date(trigger));
    expect(history.map((s) => s.collectedAt.getTime())).toEqual(expected);

    const input = await judgeInputOf(
      db,
      {
        id: crypto.randomUUID(),
        projectId: project.id,
        startedAt: new Date(trigger),
        observationWindowMinutes: 5,
      },
      {},
      new Date(),
    );
    expect(input.history?.map((s) => s.collectedAt.getTime())).toEqual(expected);
    expect(input.history?.[0]).toEqual({
      collectedAt: new Date(expected[0]!),
      ...sampleValues,
      requestsPerSec: offsets.inside.indexOf(-7 * DAY - 30 * MINUTE),
    });

    // Read for many deployments at once (a collection batch's early looks), each gets exactly
    // what it gets alone: two of the same project with other trigger times, and another project.
    const targets = [
      { projectId: project.id, triggeredAt: new Date(trigger) },
      { projectId: project.id, triggeredAt: new Date(trigger - 3 * 60 * MINUTE + 1) },
      { projectId: other.project.id, triggeredAt: new Date(trigger) },
      { projectId: project.id, triggeredAt: new Date(trigger - DAY) },
    ];
    const together = await listBaselineHistories(db, targets);
    const alone = await Promise.all(
      targets.map((target) => listBaselineHistory(db, target.projectId, target.triggeredAt)),
    );
    expect(together).toEqual(alone);
    expect(together[0]).toEqual(history);
    expect(together[1]?.map((s) => s.collectedAt.getTime())).toEqual([trigger - 3 * 60 * MINUTE]);
    expect(together[2]).toHaveLength(offsets.inside.length);
    expect(together.every((list) => list.length > 0)).toBe(true);
  });
});
