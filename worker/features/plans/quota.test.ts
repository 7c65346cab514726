import { env } from "cloudflare:workers";
import { and, count, eq, like } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { insertDeploymentWithinQuota, type NewDeployment } from "../../../db/queries/deployments";
import { deployments, jobs, projects } from "../../../db/schema";
import { errorOf, testDatabase } from "../../../test/helpers";
import { projectWithActiveEndpoint } from "../../../test/projects";
import { ApiError } from "../../lib/errors";
import { recordDeploymentFinish } from "../deployments/finish";
import { triggerDeployment } from "../deployments/trigger";
import { planLimits } from "./limits";
import { monthStartOf, nextMonthStartOf } from "./plans";

// The free plan's monthly deployment quota, its mails and its forced environment, through the
// real trigger (as a function for dates across a month boundary, over HTTP for the answer).

const { db, close } = testDatabase();
afterAll(() => close());

const FREE_LIMIT = planLimits.free.deploymentsPerMonth as number;

async function freeProject() {
  const arranged = await projectWithActiveEndpoint();
  return { ...arranged, row: await rowOf(arranged.project.id) };
}

async function rowOf(id: string) {
  const [row] = await db.select().from(projects).where(eq(projects.id, id));
  return row!;
}

/** The month's counter, as if `used` deployments were already created in `now`'s month. */
async function alreadyUsed(projectId: string, used: number, now: Date) {
  await db
    .update(projects)
    .set({ deploymentsMonthStart: monthStartOf(now), deploymentsThisMonth: used })
    .where(eq(projects.id, projectId));
}

const background = () => {
  const work: Promise<unknown>[] = [];
  return { inBackground: (p: Promise<unknown>) => void work.push(p), settled: () => Promise.all(work) };
};

async function triggerAndFinish(projectId: string, now: Date, input: { env?: string; key?: string } = {}) {
  const project = await rowOf(projectId);
  const runs = background();
  const triggered = await triggerDeployment(db, env, {
    project,
    input: { env: input.env ?? "prod", idempotencyKey: input.key ?? null },
    now,
    inBackground: runs.inBackground,
  });
  await runs.settled();
  if (!triggered.replayed) {
    await recordDeploymentFinish(db, {
      project,
      input: { deployment_id: triggered.deploymentId, result: "success" },
      now: new Date(now.getTime() + 1000),
    });
  }
  return triggered;
}

async function deploymentCount(projectId: string) {
  const [row] = await db.select({ n: count() }).from(deployments).where(eq(deployments.projectId, projectId));
  return row?.n ?? 0;
}

async function mailJobs(projectId: string, type: string) {
  return db
    .select({ key: jobs.dedupeKey })
    .from(jobs)
    .where(and(eq(jobs.type, "send_email"), like(jobs.dedupeKey, `email:${type}:${projectId}%`)));
}

describe("the free plan's monthly quota", () => {
  it("accepts the 50th deployment of December, refuses the 51st (402), and accepts again on January 1st (UTC)", async () => {
    const { row } = await freeProject();
    const december = new Date("2026-12-31T23:40:00.000Z");
    await alreadyUsed(row.id, 38, december);
    const before = await deploymentCount(row.id);

    // 39th: no warning yet. 40th: the 80 % mail, once, whatever follows.
    await triggerAndFinish(row.id, december);
    expect(await mailJobs(row.id, "free_quota_80")).toEqual([]);
    for (let n = 40; n <= FREE_LIMIT; n++) {
      await triggerAndFinish(row.id, new Date(december.getTime() + n * 10_000));
    }
    expect(await mailJobs(row.id, "free_quota_80")).toEqual([
      { key: `email:free_quota_80:${row.id}:2026-12` },
    ]);
    expect(await deploymentCount(row.id)).toBe(before + 12);
    expect((await rowOf(row.id)).deploymentsThisMonth).toBe(FREE_LIMIT);

    // The 51st, one second before midnight: refused, nothing written, the mail queued once.
    for (const _attempt of [1, 2]) {
      const refused = await triggerAndFinish(row.id, new Date("2026-12-31T23:59:59.000Z")).catch((e) => e);
      expect(refused).toBeInstanceOf(ApiError);
      expect(refused).toMatchObject({ code: "DEPLOYMENT_QUOTA_EXCEEDED", status: 402 });
      expect(refused.message).toContain(`${FREE_LIMIT} deployments per month`);
      expect(refused.message).toContain("2027-01-01T00:00:00.000Z");
    }
    expect(await deploymentCount(row.id)).toBe(before + 12);
    expect((await rowOf(row.id)).deploymentsThisMonth).toBe(FREE_LIMIT);
    expect(await mailJobs(row.id, "free_quota_reached")).toEqual([
      { key: `email:free_quota_reached:${row.id}:2026-12` },
    ]);

    // January: a new month, a new count.
    await triggerAndFinish(row.id, new Date("2027-01-01T00:00:00.000Z"));
    const january = await rowOf(row.id);
    expect(january.deploymentsThisMonth).toBe(1);
    expect(january.deploymentsMonthStart?.toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });

  it("over HTTP: the 51st trigger answers 402 DEPLOYMENT_QUOTA_EXCEEDED, and the project shows its usage", async () => {
    const { ci, owner, project } = await freeProject();
    await alreadyUsed(project.id, FREE_LIMIT, new Date());
    const response = await ci.trigger({ env: "prod", branch: "main" });
    expect(response.status).toBe(402);
    const error = await errorOf(response);
    expect(error.code).toBe("DEPLOYMENT_QUOTA_EXCEEDED");
    expect(error.details).toMatchObject({ plan: "free", limit: FREE_LIMIT });
    expect(await deploymentCount(project.id)).toBe(0);

    const view = await (await owner.fetch(`/api/projects/${project.id}`)).json<{
      project: {
        plan: string;
        usage: { deploymentsThisMonth: number; monthResetsAt: string };
        limits: unknown;
      };
    }>();
    expect(view.project.plan).toBe("free");
    expect(view.project.usage.deploymentsThisMonth).toBe(FREE_LIMIT);
    expect(view.project.usage.monthResetsAt).toBe(nextMonthStartOf(new Date()).toISOString());
    expect(view.project.limits).toEqual(planLimits.free);
  });

  it("a replayed trigger (same idempotency key) is not counted again, even at the limit", async () => {
    const { row } = await freeProject();
    const now = new Date("2026-12-20T10:00:00.000Z");
    await alreadyUsed(row.id, FREE_LIMIT - 1, now);
    const first = await triggerAndFinish(row.id, now, { key: "build-50" });
    const again = await triggerAndFinish(row.id, new Date(now.getTime() + 60_000), { key: "build-50" });
    expect(again).toEqual({ deploymentId: first.deploymentId, replayed: true });
    expect((await rowOf(row.id)).deploymentsThisMonth).toBe(FREE_LIMIT);
  });

  it("of triggers racing for the month's last slot, exactly one wins", async () => {
    const { row, ci } = await freeProject();
    await alreadyUsed(row.id, FREE_LIMIT - 1, new Date());
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => ci.trigger({ env: "prod", commit_sha: `race${i}` })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    // The others: the quota (402) or the one running deployment of prod (409); never a 500.
    for (const answer of answers) expect([200, 402, 409]).toContain(answer.status);
    expect(await deploymentCount(row.id)).toBe(1);
    expect((await rowOf(row.id)).deploymentsThisMonth).toBe(FREE_LIMIT);
  });

  it("the counter settles the race itself: concurrent inserts in different environments, one slot, one row", async () => {
    const { row } = await freeProject();
    const now = new Date("2026-12-10T12:00:00.000Z");
    await alreadyUsed(row.id, FREE_LIMIT - 1, now);
    const values = (i: number): NewDeployment => ({
      id: crypto.randomUUID(),
      projectId: row.id,
      env: `env-${i}`,
      metricsEndpoint: row.metricsEndpointActive!,
      observationWindowMinutes: 5,
      startedAt: now,
      expiresAt: new Date(now.getTime() + 3_600_000),
    });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        insertDeploymentWithinQuota(db, values(i), [], [], {
          monthStart: monthStartOf(now),
          limit: FREE_LIMIT,
        }),
      ),
    );
    expect(results.filter((r) => typeof r === "object" && r !== null)).toHaveLength(1);
    expect(results.filter((r) => r === "quota_exceeded")).toHaveLength(7);
    expect(await deploymentCount(row.id)).toBe(1);
  });
});

describe("the free plan's environment", () => {
  it("records a trigger for another environment as prod, says so, and mails the owner once a day", async () => {
    const { ci, row } = await freeProject();
    const response = await ci.trigger({ env: "staging", branch: "main" });
    expect(response.status).toBe(200);
    const body = await response.json<{ deployment_id: string; message: string | null }>();
    expect(body.message).toBe(
      "Deployment created. Environment was forced from 'staging' to 'prod' (free plan).",
    );
    const [deployment] = await db.select().from(deployments).where(eq(deployments.id, body.deployment_id));
    expect(deployment?.env).toBe("prod");
    expect((await ci.finish(body.deployment_id)).status).toBe(200);
    expect((await ci.trigger({ env: "qa" })).status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(await mailJobs(row.id, "env_forced")).toEqual([{ key: `email:env_forced:${row.id}:${today}` }]);
  });

  it("a trigger for prod itself is not forced: no message, no mail", async () => {
    const { ci, row } = await freeProject();
    const response = await ci.trigger({ env: "prod" });
    expect(await response.json()).toMatchObject({ message: null });
    expect(await mailJobs(row.id, "env_forced")).toEqual([]);
  });
});
