import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { enqueueJob } from "../../../db/queries/jobs";
import { getLastSweep, recordSweep } from "../../../db/queries/scheduler";
import { jobs } from "../../../db/schema";
import {
  fetchApp,
  request,
  startBurstInOneWindow,
  testDatabase,
  uniqueClientIp,
} from "../../../test/helpers";
import { HEALTH_CHECK_TIMEOUT_MS, readSchedulerHealth } from "./health";

describe("GET /health/live", () => {
  it("answers without touching anything", async () => {
    const response = await request("/health/live");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});

describe("GET /health", () => {
  it("reports the database ok, with a request id and security headers", async () => {
    const response = await request("/health", { headers: { "CF-Connecting-IP": uniqueClientIp() } });
    expect(response.status).toBe(200);
    // The scheduler's checks depend on what other files' sweeps left: judged on their own below.
    const body = await response.json<{
      status: string;
      checks: Record<string, boolean>;
      reasons: string[];
    }>();
    expect(body.checks.db).toBe(true);
    expect(Object.keys(body.checks)).toEqual([
      "db",
      "scheduler_db_query",
      "scheduler_heartbeat_fresh",
      "stuck_running_jobs",
      "failed_jobs",
    ]);
    expect(body.reasons).toEqual(Object.keys(body.checks).filter((name) => !body.checks[name]));
    expect(body.status).toBe(body.reasons.length === 0 ? "ok" : "degraded");
    expect(response.headers.get("X-Request-Id")).toMatch(/.+/);
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Content-Security-Policy")).toContain("default-src 'none'");
  });

  it("is also served under /api", async () => {
    const response = await request("/api/health", { headers: { "CF-Connecting-IP": uniqueClientIp() } });
    expect(response.status).toBe(200);
  });
});

describe("GET /health when the database is down", () => {
  // The real app, with DATABASE_URL pointing somewhere broken.
  async function healthWith(databaseUrl: string) {
    const ctx = createExecutionContext();
    const started = Date.now();
    const response = await fetchApp(
      new Request("http://seqpulse.test/health", { headers: { "CF-Connecting-IP": uniqueClientIp() } }),
      { ...env, DATABASE_URL: databaseUrl },
      ctx,
    );
    const elapsed = Date.now() - started;
    await waitOnExecutionContext(ctx);
    return { response, elapsed };
  }

  it("answers 503 when nothing listens", async () => {
    const { response } = await healthWith("postgres://postgres@127.0.0.1:1/postgres");
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: "degraded",
      checks: { db: false, scheduler_db_query: false },
      reasons: ["db", "scheduler_db_query"],
    });
  });

  it("answers 503 within the health timeout when the database accepts but never answers", async () => {
    const { response, elapsed } = await healthWith(
      `postgres://postgres@127.0.0.1:${env.TEST_BLACKHOLE_PORT}/postgres`,
    );
    expect(response.status).toBe(503);
    expect(elapsed).toBeGreaterThanOrEqual(HEALTH_CHECK_TIMEOUT_MS - 100);
    expect(elapsed).toBeLessThan(HEALTH_CHECK_TIMEOUT_MS + 1_800);
  });
});

describe("GET /health/scheduler", () => {
  const scheduler = (headers: Record<string, string> = {}) =>
    request("/health/scheduler", { headers: { "CF-Connecting-IP": uniqueClientIp(), ...headers } });

  it("shows anonymous callers status and staleness only, no platform-wide counts", async () => {
    const response = await scheduler();
    const body = await response.json<Record<string, unknown>>();
    expect(Object.keys(body).sort()).toEqual(["checks", "lastSweepAt", "reasons", "stale", "status"]);
    expect(body.status).toMatch(/^(ok|stale|degraded)$/);
    expect(response.status).toBe(body.stale ? 503 : 200);
  });

  it("shows the job counts and last sweep to an operator (OPERATOR_TOKEN as Bearer)", async () => {
    const response = await scheduler({ Authorization: `Bearer ${env.OPERATOR_TOKEN}` });
    const body = await response.json<{
      jobs: Record<string, number>;
      lastSweep: unknown;
      recent: Record<string, number>;
    }>();
    expect(Object.keys(body.jobs).sort()).toEqual(["dead", "failed", "pending", "running"]);
    expect(body).toHaveProperty("lastSweep");
    expect(Object.keys(body.recent).sort()).toEqual(["dead", "failed", "stuckRunning", "windowSeconds"]);
    expect(body.recent.windowSeconds).toBe(900);
  });

  it("answers 401 to a wrong token, and never takes a session or API token for one", async () => {
    for (const token of ["wrong", `${env.OPERATOR_TOKEN}x`, "spt_abc_def"]) {
      const response = await scheduler({ Authorization: `Bearer ${token}` });
      expect(response.status).toBe(401);
      expect((await response.json<{ error: { code: string } }>()).error.code).toBe("UNAUTHENTICATED");
    }
  });
});

describe("GET /health/scheduler without OPERATOR_TOKEN", () => {
  it("shows nobody the counts: any token is refused", async () => {
    const ctx = createExecutionContext();
    const response = await fetchApp(
      new Request("http://seqpulse.test/health/scheduler", {
        headers: { "CF-Connecting-IP": uniqueClientIp(), Authorization: "Bearer anything" },
      }),
      { ...env, OPERATOR_TOKEN: "" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(401);
  });
});

describe("unknown API paths", () => {
  it("answer a JSON 404 with a stable code and the request id", async () => {
    const response = await request("/api/nope", { headers: { "X-Request-Id": "req-404-test" } });
    expect(response.status).toBe(404);
    expect(response.headers.get("Content-Type")).toContain("application/json");
    expect(await response.json()).toEqual({
      error: { code: "NOT_FOUND", message: "No such route.", requestId: "req-404-test" },
    });
  });
});

describe("rate limiting /health", () => {
  it("answers 429 with Retry-After once a client passes 120 a minute, other clients unaffected", {
    timeout: 45_000,
  }, async () => {
    const ip = uniqueClientIp();
    await startBurstInOneWindow(15);
    const statuses: number[] = [];
    for (let i = 0; i < 120; i++) {
      statuses.push((await request("/health", { headers: { "CF-Connecting-IP": ip } })).status);
    }
    expect(statuses.every((status) => status === 200)).toBe(true);
    const limited = await request("/health", { headers: { "CF-Connecting-IP": ip } });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(120);
    const body = await limited.json<{ error: { code: string } }>();
    expect(body.error.code).toBe("RATE_LIMITED");

    const other = await request("/health", { headers: { "CF-Connecting-IP": uniqueClientIp() } });
    expect(other.status).toBe(200);
  });
});

describe("concurrency through the local database chain", () => {
  it("serves 60 parallel database-touching requests with zero errors", async () => {
    const ip = uniqueClientIp();
    const requests = Array.from({ length: 60 }, (_, i) =>
      request(i % 2 === 0 ? "/health" : "/health/scheduler", { headers: { "CF-Connecting-IP": ip } }),
    );
    const responses = await Promise.all(requests);
    const bodies = await Promise.all(
      responses.map((response) => response.json<{ checks: { db: boolean } }>()),
    );
    // /health/scheduler may be 503 when no sweep ran recently; the database must be up for all.
    expect(bodies.filter((body) => body.checks.db !== true)).toEqual([]);
    expect(responses.filter((r, i) => i % 2 === 0 && r.status !== 200)).toEqual([]);
  });

  it("takes 50 parallel writes, each on its own connection, with zero errors", async () => {
    const writes = Array.from({ length: 50 }, (_, i) => {
      const handle = testDatabase();
      return enqueueJob(handle.db, {
        type: "concurrency-probe",
        payload: { i },
        runAt: new Date("2999-01-01"),
      }).finally(() => handle.close());
    });
    const ids = await Promise.all(writes);
    expect(new Set(ids).size).toBe(50);
  });
});

describe("the scheduler's checks, judged over a recent window", () => {
  // A clock far ahead, where only this test's rows (and its heartbeat) are recent.
  const T = Date.parse("2990-06-01T12:00:00Z");
  const MINUTE = 60_000;

  it("names each failed check in reasons, and forgets a dead job once the window has passed", async () => {
    const { db, close } = testDatabase();
    const ids: number[] = [];
    try {
      const before = await readSchedulerHealth(db, new Date(T));
      const stuckBefore = before!.recent.stuckRunning;
      const dead = await enqueueJob(db, { type: "health-probe-dead", runAt: new Date(T - 10 * MINUTE) });
      const stuck = await enqueueJob(db, { type: "health-probe-stuck", runAt: new Date(T - 10 * MINUTE) });
      // A sample refused by a customer's endpoint: recorded on its deployment, not a platform failure.
      const customerSide = await enqueueJob(db, {
        type: "collect_sample",
        dedupeKey: `health-probe-collect:${crypto.randomUUID()}`,
        runAt: new Date(T - 10 * MINUTE),
      });
      ids.push(dead!, stuck!, customerSide!);
      await db
        .update(jobs)
        .set({ status: "dead", finishedAt: new Date(T - MINUTE), lastError: "boom" })
        .where(inArray(jobs.id, [dead!, customerSide!]));
      await db
        .update(jobs)
        .set({ status: "running", leaseOwner: "gone", leaseExpiresAt: new Date(T - 5 * MINUTE) })
        .where(inArray(jobs.id, [stuck!]));

      const now = await readSchedulerHealth(db, new Date(T));
      expect(now!.recent.dead).toBe(1);
      expect(now!.recent.stuckRunning).toBe(stuckBefore + 1);
      expect(now!.checks.failed_jobs).toBe(false);
      expect(now!.checks.stuck_running_jobs).toBe(false);
      expect(now!.reasons).toEqual(expect.arrayContaining(["failed_jobs", "stuck_running_jobs"]));
      // No sweep in 2990: stale, named first after the database query.
      expect(now!.reasons[0]).toBe("scheduler_heartbeat_fresh");
      expect(now!.status).toBe("stale");

      // The stuck job taken back, 20 minutes later: the old death no longer counts.
      await db.delete(jobs).where(inArray(jobs.id, [stuck!]));
      const later = await readSchedulerHealth(db, new Date(T + 20 * MINUTE));
      expect(later!.recent.dead).toBe(0);
      expect(later!.checks.failed_jobs).toBe(true);
      expect(later!.reasons).not.toContain("failed_jobs");
    } finally {
      await db.delete(jobs).where(inArray(jobs.id, ids));
      await close();
    }
  });

  it("is ok after a fresh sweep with nothing stuck or dead", async () => {
    const { db, close } = testDatabase();
    try {
      const at = new Date(T + 3 * 60 * MINUTE);
      const name = "sweeper";
      // The heartbeat is shared: put it back as it was afterwards.
      const previous = await getLastSweep(db, name);
      await recordSweep(db, { name, startedAt: at, finishedAt: at, claimed: 0, succeeded: 0, failed: 0 });
      try {
        const health = await readSchedulerHealth(db, new Date(at.getTime() + MINUTE));
        const stuck = health!.recent.stuckRunning;
        expect(health!.checks.scheduler_heartbeat_fresh).toBe(true);
        expect(health!.checks.failed_jobs).toBe(true);
        expect(health!.status).toBe(stuck === 0 ? "ok" : "degraded");
      } finally {
        if (previous) {
          await recordSweep(db, {
            name,
            startedAt: previous.lastSweepStartedAt,
            finishedAt: previous.lastSweepFinishedAt,
            claimed: previous.claimed,
            succeeded: previous.succeeded,
            failed: previous.failed,
          });
        }
      }
    } finally {
      await close();
    }
  });
});
