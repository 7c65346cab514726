import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { claimDueJobs, completeJobs, enqueueJob, getJob } from "../../db/queries/jobs";
import { jobs } from "../../db/schema";
import { request, testDatabase, uniqueClientIp, uniqueName } from "../../test/helpers";
import worker from "../index";
import { cleanupJob } from "./cleanup";
import { retryDelaySeconds } from "./retry";
import { runSweep } from "./sweeper";
import { DeferJobError, type JobHandlers, type JobOutcome, PermanentJobError } from "./types";

const { db, close } = testDatabase();
afterAll(() => close());

const seconds = (date: Date, n: number) => new Date(date.getTime() + n * 1000);

function sweep(handlers: JobHandlers, now: Date, extra: Partial<Parameters<typeof runSweep>[1]> = {}) {
  return runSweep(db, { handlers, env, now, random: () => 0.5, ...extra });
}

describe("runSweep", () => {
  it("runs due jobs once and leaves future ones alone", async () => {
    const type = uniqueName("ok");
    const now = new Date();
    const due = await enqueueJob(db, { type, payload: { n: 1 }, runAt: seconds(now, -1) });
    const later = await enqueueJob(db, { type, runAt: seconds(now, 60) });
    const seen: unknown[] = [];
    const result = await sweep({ [type]: async ({ job }) => void seen.push(job.payload) }, now);

    expect(result).toMatchObject({ claimed: 1, succeeded: 1, failed: 0, dead: 0 });
    expect(seen).toEqual([{ n: 1 }]);
    expect(await getJob(db, due!)).toMatchObject({ status: "succeeded", attempts: 1, leaseOwner: null });
    expect(await getJob(db, later!)).toMatchObject({ status: "pending", attempts: 0 });

    const again = await sweep({ [type]: async ({ job }) => void seen.push(job.payload) }, seconds(now, 1));
    expect(again.claimed).toBe(0);
  });

  it("retries a failing job with growing backoff, then marks it dead after its last attempt", async () => {
    const type = uniqueName("flaky");
    let now = new Date();
    const id = await enqueueJob(db, { type, maxAttempts: 3, runAt: now });
    const handlers: JobHandlers = {
      [type]: async ({ job }) => {
        throw new Error(`boom ${job.attempts}`);
      },
    };

    const first = await sweep(handlers, now);
    expect(first).toMatchObject({ claimed: 1, failed: 1, dead: 0 });
    let job = await getJob(db, id!);
    expect(job).toMatchObject({ status: "failed", attempts: 1, lastError: "Error: boom 1" });
    expect(job!.runAt.getTime() - now.getTime()).toBe(retryDelaySeconds(1, () => 0.5) * 1000);

    // Not due yet: nothing happens a second before the retry time.
    expect((await sweep(handlers, seconds(job!.runAt, -1))).claimed).toBe(0);

    now = job!.runAt;
    await sweep(handlers, now);
    job = await getJob(db, id!);
    expect(job).toMatchObject({ status: "failed", attempts: 2, lastError: "Error: boom 2" });
    const secondDelay = job!.runAt.getTime() - now.getTime();
    expect(secondDelay).toBe(retryDelaySeconds(2, () => 0.5) * 1000);
    expect(secondDelay).toBeGreaterThan(retryDelaySeconds(1, () => 0.5) * 1000);

    const last = await sweep(handlers, job!.runAt);
    expect(last).toMatchObject({ claimed: 1, failed: 1, dead: 1 });
    job = await getJob(db, id!);
    expect(job).toMatchObject({ status: "dead", attempts: 3, lastError: "Error: boom 3" });
    expect(job!.finishedAt).not.toBeNull();

    expect((await sweep(handlers, seconds(job!.runAt, 3600))).claimed).toBe(0);
  });

  it("waits between attempts as the job type's backoff says", async () => {
    const type = uniqueName("own-backoff");
    const now = new Date();
    const id = await enqueueJob(db, { type, maxAttempts: 3, runAt: now });
    const handlers: JobHandlers = {
      [type]: async () => {
        throw new Error("boom");
      },
    };
    const attempts: number[] = [];
    const backoff = (attempt: number) => {
      attempts.push(attempt);
      return 7;
    };
    await sweep(handlers, now, { backoffs: { [type]: backoff } });
    const job = await getJob(db, id!);
    expect(job).toMatchObject({ status: "failed", attempts: 1 });
    expect(job!.runAt.getTime() - now.getTime()).toBe(7_000);
    expect(attempts).toEqual([1]);
  });

  it("kills a job at once on a permanent error", async () => {
    const type = uniqueName("permanent");
    const now = new Date();
    const id = await enqueueJob(db, { type, runAt: now });
    await sweep(
      {
        [type]: async () => {
          throw new PermanentJobError("project deleted");
        },
      },
      now,
    );
    expect(await getJob(db, id!)).toMatchObject({ status: "dead", attempts: 1 });
  });

  it("counts a hung handler as a failure and retries it", async () => {
    const type = uniqueName("hung");
    const now = new Date();
    const id = await enqueueJob(db, { type, runAt: now });
    const result = await sweep({ [type]: () => new Promise(() => {}) }, now, { handlerTimeoutMs: 50 });
    expect(result).toMatchObject({ claimed: 1, failed: 1 });
    expect(await getJob(db, id!)).toMatchObject({ status: "failed", lastError: "timed out after 50 ms" });
  });

  it("reclaims a job whose lease expired, and ignores the late completion of the old owner", async () => {
    const type = uniqueName("lease");
    const now = new Date();
    const id = await enqueueJob(db, { type, runAt: now });
    // A sweep that claims the job, then dies before finishing it.
    const [claimed] = await claimDueJobs(db, {
      owner: "dead-sweep",
      now,
      leaseSeconds: 300,
      limit: 10,
      types: [type],
    });
    expect(claimed?.id).toBe(id);

    const runs: number[] = [];
    const handlers: JobHandlers = { [type]: async ({ job }) => void runs.push(job.attempts) };
    // While the lease holds, nobody else takes it.
    expect((await sweep(handlers, seconds(now, 299))).claimed).toBe(0);
    const result = await sweep(handlers, seconds(now, 301));
    expect(result).toMatchObject({ claimed: 1, succeeded: 1 });
    expect(runs).toEqual([2]);
    const late = await completeJobs(db, {
      owner: "dead-sweep",
      now: seconds(now, 302),
      completions: [{ id: id!, status: "succeeded" }],
    });
    expect(late.size).toBe(0);
    expect(await getJob(db, id!)).toMatchObject({ status: "succeeded", attempts: 2 });
  });

  it("buries a job whose lease expired on its last attempt instead of running it again", async () => {
    const type = uniqueName("exhausted");
    const now = new Date();
    const id = await enqueueJob(db, { type, runAt: now, maxAttempts: 1 });
    await claimDueJobs(db, { owner: "crashed", now, leaseSeconds: 60, limit: 1, types: [type] });
    const runs: number[] = [];
    const result = await sweep({ [type]: async ({ job }) => void runs.push(job.id) }, seconds(now, 61));
    expect(runs).toEqual([]);
    expect(result.dead).toBeGreaterThanOrEqual(1);
    expect(await getJob(db, id!)).toMatchObject({
      status: "dead",
      lastError: "lease expired on the last attempt",
    });
  });

  it("never runs a job twice when two sweeps run at the same time", async () => {
    const type = uniqueName("race");
    const now = new Date();
    const ids = await Promise.all(Array.from({ length: 40 }, () => enqueueJob(db, { type, runAt: now })));
    const runs: number[] = [];
    const handlers: JobHandlers = {
      [type]: async ({ job }) => {
        runs.push(job.id);
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    };
    const [a, b] = await Promise.all([
      runSweep(db, { handlers, env, now, batchSize: 25 }),
      runSweep(testDatabase().db, { handlers, env, now, batchSize: 25 }),
    ]);
    expect(a.claimed + b.claimed).toBe(40);
    expect(runs.length).toBe(40);
    expect(new Set(runs)).toEqual(new Set(ids));
  });

  it("runs batch after batch until nothing is due, recording each batch in one go", async () => {
    const type = uniqueName("many");
    const now = new Date();
    const ids = await Promise.all(Array.from({ length: 25 }, () => enqueueJob(db, { type, runAt: now })));
    const batches: number[][] = [];
    const handlers: JobHandlers = {
      [type]: {
        batch: async ({ jobs }) => {
          batches.push(jobs.map((job) => job.id));
          return jobs.map((): JobOutcome => ({ ok: true }));
        },
      },
    };
    const result = await sweep(handlers, now, { batchSize: 10 });
    expect(result).toMatchObject({ claimed: 25, succeeded: 25, batches: 3 });
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 5]);
    expect(new Set(batches.flat())).toEqual(new Set(ids));
    for (const id of ids) expect(await getJob(db, id!)).toMatchObject({ status: "succeeded", attempts: 1 });
  });

  it("stops claiming when its time budget is spent and leaves the rest for the next sweep", async () => {
    const type = uniqueName("budget");
    const now = new Date();
    await Promise.all(Array.from({ length: 5 }, () => enqueueJob(db, { type, runAt: now })));
    const handlers: JobHandlers = { [type]: async () => {} };
    expect(await sweep(handlers, now, { batchSize: 2, budgetMs: 0 })).toMatchObject({
      claimed: 2,
      batches: 1,
    });
    expect(await sweep(handlers, now, { batchSize: 2 })).toMatchObject({ claimed: 3, batches: 2 });
  });

  it("records each outcome of a batch: success, retry, dead, deferred without using an attempt", async () => {
    const type = uniqueName("mixed");
    const now = new Date();
    const [ok, retry, permanent, deferred] = await Promise.all(
      ["ok", "retry", "permanent", "deferred"].map((kind) =>
        enqueueJob(db, { type, payload: { kind }, runAt: now }),
      ),
    );
    const later = seconds(now, 120);
    const outcome: Record<string, JobOutcome> = {
      ok: { ok: true },
      retry: { ok: false, permanent: false, error: "try again" },
      permanent: { ok: false, permanent: true, error: "never" },
      deferred: { ok: false, deferUntil: later },
    };
    const result = await sweep(
      { [type]: { batch: async ({ jobs }) => jobs.map((job) => outcome[job.payload.kind as string]!) } },
      now,
    );
    expect(result).toMatchObject({ claimed: 4, succeeded: 1, failed: 2, dead: 1, deferred: 1 });
    expect(await getJob(db, ok!)).toMatchObject({ status: "succeeded", lastError: null });
    const retried = await getJob(db, retry!);
    expect(retried).toMatchObject({ status: "failed", attempts: 1, lastError: "try again" });
    expect(retried!.runAt.getTime() - now.getTime()).toBe(retryDelaySeconds(1, () => 0.5) * 1000);
    expect(await getJob(db, permanent!)).toMatchObject({ status: "dead", lastError: "never" });
    expect(await getJob(db, deferred!)).toMatchObject({ status: "pending", attempts: 0, runAt: later });
  });

  it("fails every job of a batch whose handler throws, and defers on DeferJobError", async () => {
    const throwing = uniqueName("batch-throws");
    const waiting = uniqueName("single-defers");
    const now = new Date();
    const a = await enqueueJob(db, { type: throwing, runAt: now });
    const b = await enqueueJob(db, { type: throwing, runAt: now });
    const c = await enqueueJob(db, { type: waiting, runAt: now });
    const result = await sweep(
      {
        [throwing]: {
          batch: async () => {
            throw new Error("database went away");
          },
        },
        [waiting]: async () => {
          // A deferral to a time already past still waits: never back into the same sweep.
          throw new DeferJobError(seconds(now, -10));
        },
      },
      now,
    );
    expect(result).toMatchObject({ claimed: 3, failed: 2, deferred: 1, batches: 1 });
    for (const id of [a, b])
      expect(await getJob(db, id!)).toMatchObject({
        status: "failed",
        lastError: "Error: database went away",
      });
    const waited = await getJob(db, c!);
    expect(waited).toMatchObject({ status: "pending", attempts: 0 });
    expect(waited!.runAt.getTime()).toBe(now.getTime() + 1000);
  });

  it.runIf(env.TEST_DATABASE_KIND === "postgres")(
    "skips a job locked by another transaction instead of waiting for it (real Postgres)",
    async () => {
      const type = uniqueName("skip");
      const now = new Date();
      const locked = await enqueueJob(db, { type, runAt: now });
      const free = await enqueueJob(db, { type, runAt: now });
      const other = testDatabase();
      const ran: number[] = [];
      try {
        await other.db.transaction(async (tx) => {
          await tx.execute(sql`select id from jobs where id = ${locked} for update`);
          const result = await runSweep(db, {
            handlers: { [type]: async ({ job }) => void ran.push(job.id) },
            env,
            now,
          });
          expect(result.claimed).toBe(1);
        });
      } finally {
        await other.close();
      }
      expect(ran).toEqual([free]);
      expect(await getJob(db, locked!)).toMatchObject({ status: "pending" });
    },
  );
});

describe("the Cron Trigger", () => {
  it("sweeps, enqueues the hourly cleanup, and reports the sweep on /health/scheduler", async () => {
    const controller = createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" });
    const ctx = createExecutionContext();
    await worker.scheduled(controller, env, ctx);
    await waitOnExecutionContext(ctx);

    // Whichever sweep of this hour came first (other test files fire the cron too) ran it.
    const hour = new Date().toISOString().slice(0, 13);
    const [cleanup] = await db
      .select()
      .from(jobs)
      .where(eq(jobs.dedupeKey, `cleanup:${hour}`));
    expect(cleanup?.status).toBe("succeeded");

    // The job counts are for operators (OPERATOR_TOKEN as Bearer).
    const response = await request("/health/scheduler", {
      headers: { "CF-Connecting-IP": uniqueClientIp(), Authorization: `Bearer ${env.OPERATOR_TOKEN}` },
    });
    expect(response.status).toBe(200);
    const body = await response.json<{ stale: boolean; lastSweepAt: string; jobs: Record<string, number> }>();
    expect(body.stale).toBe(false);
    expect(Date.now() - Date.parse(body.lastSweepAt)).toBeLessThan(60_000);
    expect(Object.keys(body.jobs).sort()).toEqual(["dead", "failed", "pending", "running"]);
  });

  it("cleanup deletes finished jobs past their retention and keeps recent ones", async () => {
    const DAY = 24 * 3600 * 1000;
    const now = new Date();
    const finished = async (status: "succeeded" | "dead", daysAgo: number) => {
      const id = await enqueueJob(db, { type: uniqueName(`${status}-${daysAgo}`), runAt: now });
      await db
        .update(jobs)
        .set({ status, finishedAt: new Date(now.getTime() - daysAgo * DAY) })
        .where(eq(jobs.id, id!));
      return id!;
    };
    const oldSucceeded = await finished("succeeded", 8);
    const recentSucceeded = await finished("succeeded", 1);
    const oldDead = await finished("dead", 31);
    const recentDead = await finished("dead", 8);
    const job = { id: 0, type: "cleanup", payload: {}, attempts: 1, maxAttempts: 3, tenantId: null };
    await cleanupJob.run({ db, env, job, now });
    expect(await getJob(db, oldSucceeded)).toBeNull();
    expect(await getJob(db, oldDead)).toBeNull();
    expect(await getJob(db, recentSucceeded)).not.toBeNull();
    expect(await getJob(db, recentDead)).not.toBeNull();
  });
});

describe("fair claiming", () => {
  const tenant = () => crypto.randomUUID();

  it("takes due jobs round-robin across tenants, whatever their run_at", async () => {
    const type = uniqueName("fair");
    const now = new Date();
    const [busy, quiet, other] = [tenant(), tenant(), tenant()];
    // The busy tenant's backlog is older than everyone else's work.
    for (let i = 0; i < 30; i++)
      await enqueueJob(db, {
        type,
        tenantId: busy,
        runAt: seconds(now, -600 + i),
        payload: { t: "busy", i },
      });
    await enqueueJob(db, { type, tenantId: quiet, runAt: seconds(now, -1), payload: { t: "quiet" } });
    await enqueueJob(db, { type, tenantId: other, runAt: seconds(now, -2), payload: { t: "other" } });

    const claimed = await claimDueJobs(db, { owner: "o", now, leaseSeconds: 60, limit: 5, types: [type] });
    expect(claimed.map((job) => (job.payload as { t: string }).t)).toEqual([
      "busy",
      "other",
      "quiet",
      "busy",
      "busy",
    ]);
    expect(claimed[0]).toMatchObject({ tenantId: busy, payload: { i: 0 } });
  });

  it("claims each tenant's share first, then the rest of the backlogs while the budget lasts", async () => {
    const type = uniqueName("cap");
    const now = new Date();
    const [busy, quiet] = [tenant(), tenant()];
    for (let i = 0; i < 12; i++) await enqueueJob(db, { type, tenantId: busy, runAt: seconds(now, -60) });
    await enqueueJob(db, { type, tenantId: quiet, runAt: now });
    await enqueueJob(db, { type, runAt: now }); // platform work: never capped
    const ran: Array<string | null> = [];
    const handlers: JobHandlers = { [type]: async ({ job }) => void ran.push(job.tenantId) };
    const first = await sweep(handlers, now, { batchSize: 3, perTenantLimit: 4 });
    // Nobody else waits: the busy tenant's whole backlog goes in the same sweep...
    expect(first).toMatchObject({ claimed: 14, succeeded: 14 });
    // ...but only after the quiet tenant and the platform had theirs.
    const share = ran.slice(0, 6);
    expect(share.filter((t) => t === busy)).toHaveLength(4);
    expect(share).toContain(quiet);
    expect(share).toContain(null);
    expect(await sweep(handlers, seconds(now, 60), { batchSize: 3, perTenantLimit: 4 })).toMatchObject({
      claimed: 0,
    });
  });

  it("leaves a backlog beyond the shares to the next sweep once the budget is spent", async () => {
    const type = uniqueName("budget");
    const now = new Date();
    const [busy, quiet] = [tenant(), tenant()];
    for (let i = 0; i < 12; i++) await enqueueJob(db, { type, tenantId: busy, runAt: seconds(now, -60) });
    await enqueueJob(db, { type, tenantId: quiet, runAt: now });
    const ran: Array<string | null> = [];
    const handlers: JobHandlers = {
      [type]: async ({ job }) => {
        ran.push(job.tenantId);
        await new Promise((resolve) => setTimeout(resolve, 60));
      },
    };
    const first = await sweep(handlers, now, { batchSize: 5, perTenantLimit: 4, budgetMs: 100 });
    expect(first.claimed).toBe(5);
    expect(ran).toContain(quiet);
    expect(ran.filter((t) => t === busy)).toHaveLength(4);
  });

  it("claims lane by lane: a full collection backlog cannot keep an analysis waiting", async () => {
    const collect = uniqueName("collect");
    const analyze = uniqueName("analyze");
    const now = new Date();
    for (let i = 0; i < 10; i++)
      await enqueueJob(db, { type: collect, tenantId: tenant(), runAt: seconds(now, -300) });
    await enqueueJob(db, { type: analyze, tenantId: tenant(), runAt: now });
    const order: string[] = [];
    const handlers: JobHandlers = {
      [collect]: async () => {
        order.push("collect");
        // A stalling endpoint: the sweep's budget is spent after the first batch.
        await new Promise((resolve) => setTimeout(resolve, 300));
      },
      [analyze]: async () => void order.push("analyze"),
    };
    const result = await sweep(handlers, now, { batchSize: 4, budgetMs: 250, lanes: [[analyze], [collect]] });
    expect(order[0]).toBe("analyze");
    expect(result.claimed).toBe(1 + 4);
    // Without lanes, the older collection backlog fills the batch and the analysis waits.
    await enqueueJob(db, { type: analyze, tenantId: tenant(), runAt: seconds(now, 1) });
    order.length = 0;
    await sweep(handlers, seconds(now, 1), { batchSize: 4, budgetMs: 250 });
    expect(order).not.toContain("analyze");
  });
});
