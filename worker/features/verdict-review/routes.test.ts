import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { insertDeployment } from "../../../db/queries/deployments";
import {
  type DeploymentState,
  deploymentFeedback,
  deployments,
  metricSamples,
  type VerdictValue,
  verdicts,
} from "../../../db/schema";
import { TestClient } from "../../../test/client";
import { errorOf, testDatabase } from "../../../test/helpers";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { judges } from "../analysis/judge";
import type { JudgeInput, JudgeSettings, MetricSample } from "../analysis/types";

const BACKTESTS_PER_MINUTE = RATE_LIMITS.backtestPerUser.limit;
const { db, close } = testDatabase();
afterAll(() => close());

const MINUTE = 60_000;
const WINDOW = 5;

interface Values {
  requestsPerSec: number;
  latencyP95: number;
  errorRate: number;
  cpuUsage: number;
  memoryUsage: number;
}

const HEALTHY: Values = {
  requestsPerSec: 120,
  latencyP95: 120,
  errorRate: 0.002,
  cpuUsage: 0.35,
  memoryUsage: 0.5,
};
/** A service that always runs at 400 ms p95: the classic judge's fixed line flags it on every deploy. */
const SLOW_BUT_STEADY: Values = { ...HEALTHY, latencyP95: 400 };
/** A release that breaks: errors x25, p95 x4, half the traffic. */
const BROKEN: Values = {
  requestsPerSec: 60,
  latencyP95: 480,
  errorRate: 0.05,
  cpuUsage: 0.35,
  memoryUsage: 0.5,
};

async function owner() {
  const client = new TestClient();
  const { user } = await client.signUp();
  const created = await client.json("POST", "/api/projects", {
    name: "Checkout API",
    observationWindowMinutes: WINDOW,
  });
  expect(created.status).toBe(201);
  const { project } = await created.json<{ project: { id: string; judge: string } }>();
  return { client, userId: user.id, projectId: project.id };
}

/** Small deterministic wiggle, so the samples are not all identical (a real service never is). */
const wiggle = (index: number) => 1 + ((index * 37) % 7) / 200 - 0.015;

function samplesOf(values: Values, startedAt: Date, finishedAt: Date, post: Values) {
  const pre = Array.from({ length: 5 }, (_, i) => ({
    phase: "pre" as const,
    sequence: i,
    collectedAt: new Date(startedAt.getTime() + i * MINUTE),
    ...scaled(values, wiggle(i)),
  }));
  const postRows = Array.from({ length: WINDOW }, (_, i) => ({
    phase: "post" as const,
    sequence: i,
    collectedAt: new Date(finishedAt.getTime() + i * MINUTE + 2_000),
    ...scaled(post, wiggle(i + 3)),
  }));
  return [...pre, ...postRows];
}

function scaled(values: Values, factor: number): Values {
  return {
    requestsPerSec: values.requestsPerSec * factor,
    latencyP95: values.latencyP95 * factor,
    errorRate: values.errorRate,
    cpuUsage: values.cpuUsage * factor,
    memoryUsage: values.memoryUsage,
  };
}

/**
 * A deployment of the project, arranged directly in the database: its samples (`before` for the
 * baseline, `after` for the window) and, when analyzed, the verdict `judge` gave (or `stored`).
 */
async function arrange(
  projectId: string,
  options: {
    state: DeploymentState;
    before?: Values;
    after?: Values;
    samples?: "none" | "pre" | "all";
    judge?: string;
    stored?: VerdictValue;
    daysAgo?: number;
  },
) {
  const startedAt = new Date(Date.now() - (options.daysAgo ?? 0) * 86_400_000 - 30 * MINUTE);
  const finishedAt = new Date(startedAt.getTime() + 5 * MINUTE);
  const analyzedAt = new Date(finishedAt.getTime() + WINDOW * MINUTE + 30_000);
  const inserted = await insertDeployment(
    db,
    {
      id: crypto.randomUUID(),
      projectId,
      env: "prod",
      metricsEndpoint: "http://127.0.0.1:1/m",
      observationWindowMinutes: WINDOW,
      startedAt,
      expiresAt: new Date(startedAt.getTime() + 2 * 60 * MINUTE),
    },
    [],
  );
  const id = inserted!.id;
  const rows = samplesOf(options.before ?? HEALTHY, startedAt, finishedAt, options.after ?? HEALTHY);
  const kept =
    (options.samples ?? "all") === "all"
      ? rows
      : options.samples === "pre"
        ? rows.filter((r) => r.phase === "pre")
        : [];
  if (kept.length > 0)
    await db.insert(metricSamples).values(kept.map((row) => ({ ...row, deploymentId: id })));
  const analyzed = options.state === "analyzed";
  await db
    .update(deployments)
    .set({
      state: options.state,
      finishedAt:
        options.state === "running" || options.state === "expired" || options.state === "cancelled"
          ? null
          : finishedAt,
      analyzedAt: analyzed ? analyzedAt : null,
    })
    .where(eq(deployments.id, id));
  let storedVerdict: { verdict: VerdictValue; confidence: number } | null = null;
  if (analyzed) {
    const judgeName = options.judge ?? "classic";
    const judged = judges[judgeName]!.judge(inputOf(kept, startedAt, analyzedAt, {}));
    const verdict = options.stored ?? judged.verdict;
    storedVerdict = { verdict, confidence: judged.confidence };
    await db.insert(verdicts).values({
      deploymentId: id,
      judge: judgeName,
      judgeVersion: judges[judgeName]!.version,
      verdict,
      confidence: judged.confidence,
      summary: judged.summary,
      details: judged.details,
      dataQuality: judged.dataQuality,
      audit: judged.audit,
      createdAt: analyzedAt,
    });
  }
  return { id, number: inserted!.number, startedAt, analyzedAt, samples: kept, storedVerdict };
}

function inputOf(
  rows: Array<MetricSample & { phase: "pre" | "post" }>,
  startedAt: Date,
  analyzedAt: Date,
  settings: JudgeSettings,
): JudgeInput {
  const strip = ({
    phase: _phase,
    sequence: _sequence,
    ...sample
  }: MetricSample & { phase: string; sequence?: number }) => sample;
  return {
    pre: rows.filter((row) => row.phase === "pre").map(strip),
    post: rows.filter((row) => row.phase === "post").map(strip),
    analyzedAt,
    observationWindowMinutes: WINDOW,
    triggeredAt: startedAt,
    history: [],
    settings,
  };
}

const rejudgePath = (id: string) => `/api/deployments/${id}/rejudge`;
const feedbackPath = (id: string) => `/api/deployments/${id}/feedback`;
const backtestPath = (id: string) => `/api/projects/${id}/backtest`;
const statsPath = (id: string) => `/api/projects/${id}/verdict-stats`;

interface RejudgeBody {
  judge: string;
  judgeVersion: number;
  settings: JudgeSettings;
  analyzedAt: string;
  replayed: { verdict: VerdictValue; confidence: number; summary: { code: string } };
  stored: { verdict: VerdictValue; confidence: number; judge: string } | null;
  changed: boolean | null;
}

describe("POST /api/deployments/:id/rejudge", () => {
  it("gives another judge's verdict from the stored samples, beside the stored one, and stores nothing", async () => {
    const { client, projectId } = await owner();
    const deployment = await arrange(projectId, {
      state: "analyzed",
      before: SLOW_BUT_STEADY,
      after: SLOW_BUT_STEADY,
      judge: "classic",
    });
    const [verdictBefore] = await db.select().from(verdicts).where(eq(verdicts.deploymentId, deployment.id));
    const [deploymentBefore] = await db.select().from(deployments).where(eq(deployments.id, deployment.id));

    const response = await client.json("POST", rejudgePath(deployment.id), { judge: "robust" });
    expect(response.status).toBe(200);
    const body = await response.json<RejudgeBody>();
    // Exactly what the robust judge says about these samples, judged at the stored analysis time.
    const expected = judges.robust!.judge(
      inputOf(deployment.samples, deployment.startedAt, deployment.analyzedAt, {}),
    );
    expect(body).toMatchObject({
      judge: "robust",
      judgeVersion: judges.robust!.version,
      settings: {},
      analyzedAt: deployment.analyzedAt.toISOString(),
      replayed: {
        verdict: expected.verdict,
        confidence: expected.confidence,
        summary: { code: expected.summary.code },
      },
      stored: { ...deployment.storedVerdict, judge: "classic" },
      changed: expected.verdict !== deployment.storedVerdict!.verdict,
    });
    // The fixed 300 ms line flags a service that always runs at 400 ms; its own baseline does not.
    expect(body.stored?.verdict).not.toBe("ok");
    expect(body.replayed.verdict).toBe("ok");
    expect(body.changed).toBe(true);

    // Read-only: the verdict, the deployment and its hints are as they were.
    expect(await db.select().from(verdicts).where(eq(verdicts.deploymentId, deployment.id))).toEqual([
      verdictBefore,
    ]);
    expect(await db.select().from(deployments).where(eq(deployments.id, deployment.id))).toEqual([
      deploymentBefore,
    ]);
  });

  it("defaults to the project's judge and settings, and passes the settings asked for to the judge", async () => {
    const { client, projectId } = await owner();
    const patched = await client.json("PATCH", `/api/projects/${projectId}`, {
      judge: "classic",
      judgeSettings: { ignoredMetrics: ["latency_p95"] },
    });
    expect(patched.status).toBe(200);
    const deployment = await arrange(projectId, { state: "analyzed", after: BROKEN, judge: "classic" });

    const byDefault = await (await client.json("POST", rejudgePath(deployment.id), {})).json<RejudgeBody>();
    expect(byDefault.judge).toBe("classic");
    expect(byDefault.settings).toEqual({ ignoredMetrics: ["latency_p95"] });

    const settings: JudgeSettings = { sensitivity: "low", ignoredMetrics: ["cpu_usage", "memory_usage"] };
    const asked = await client.json("POST", rejudgePath(deployment.id), { judge: "robust", settings });
    expect(asked.status).toBe(200);
    const body = await asked.json<RejudgeBody>();
    const expected = judges.robust!.judge(
      inputOf(deployment.samples, deployment.startedAt, deployment.analyzedAt, settings),
    );
    expect(body.settings).toEqual(settings);
    expect(body.replayed).toMatchObject({ verdict: expected.verdict, confidence: expected.confidence });
    // Without a body at all: the project's choice.
    const bare = await client.fetch(rejudgePath(deployment.id), { method: "POST" });
    expect(bare.status).toBe(200);
    expect((await bare.json<RejudgeBody>()).judge).toBe("classic");
  });

  it("judges a finished deployment with POST samples at the current time, with no stored verdict to compare", async () => {
    const { client, projectId } = await owner();
    const deployment = await arrange(projectId, { state: "finished" });
    const before = Date.now();
    const response = await client.json("POST", rejudgePath(deployment.id), { judge: "classic" });
    expect(response.status).toBe(200);
    const body = await response.json<RejudgeBody>();
    expect(Date.parse(body.analyzedAt)).toBeGreaterThanOrEqual(before);
    expect(body.stored).toBeNull();
    expect(body.changed).toBeNull();
    expect(await db.select().from(verdicts).where(eq(verdicts.deploymentId, deployment.id))).toEqual([]);
  });

  it("keeps a months-old deployment's data quality as it was (the stored analysis time, not now)", async () => {
    const { client, projectId } = await owner();
    const deployment = await arrange(projectId, { state: "analyzed", daysAgo: 120, judge: "classic" });
    const body = await (await client.json("POST", rejudgePath(deployment.id), { judge: "classic" })).json<
      RejudgeBody & { replayed: { dataQuality: { issues: Array<{ kind: string }> } } }
    >();
    expect(body.analyzedAt).toBe(deployment.analyzedAt.toISOString());
    expect(body.replayed.dataQuality.issues.map((issue) => issue.kind)).not.toContain("stale_post_metrics");
    expect(body.replayed.verdict).toBe("ok");
  });

  it("rejudges an analyzed deployment whose endpoint went dark (no POST samples): never ok", async () => {
    const { client, projectId } = await owner();
    const deployment = await arrange(projectId, { state: "analyzed", samples: "pre", judge: "classic" });
    for (const judge of ["classic", "robust"]) {
      const response = await client.json("POST", rejudgePath(deployment.id), { judge });
      expect(response.status).toBe(200);
      expect((await response.json<RejudgeBody>()).replayed.verdict, judge).not.toBe("ok");
    }
  });

  it.each([
    ["running", "none"],
    ["cancelled", "pre"],
    ["expired", "pre"],
    ["finished", "pre"],
  ] as const)(
    "answers 409 DEPLOYMENT_NOT_JUDGEABLE for a %s deployment without POST samples",
    async (state, samples) => {
      const { client, projectId } = await owner();
      const deployment = await arrange(projectId, { state, samples });
      const response = await client.json("POST", rejudgePath(deployment.id), {});
      expect(response.status).toBe(409);
      expect(await errorOf(response)).toMatchObject({ code: "DEPLOYMENT_NOT_JUDGEABLE", details: { state } });
    },
  );

  it.each([
    ["an unknown judge", { judge: "magic" }, "judge"],
    ["a judge that is not a string", { judge: 3 }, "judge"],
    ["an unknown setting", { settings: { strictness: "high" } }, "settings"],
    ["an unknown sensitivity", { settings: { sensitivity: "extreme" } }, "settings.sensitivity"],
    ["an unknown metric", { settings: { ignoredMetrics: ["disk_usage"] } }, "settings.ignoredMetrics.0"],
    [
      "every metric ignored",
      {
        settings: {
          ignoredMetrics: ["latency_p95", "error_rate", "cpu_usage", "memory_usage", "requests_per_sec"],
        },
      },
      "settings.ignoredMetrics",
    ],
    ["an unknown field", { verdict: "ok" }, "body"],
  ])("answers 400 for %s", async (_, body, field) => {
    const { client, projectId } = await owner();
    const deployment = await arrange(projectId, { state: "analyzed" });
    const response = await client.json("POST", rejudgePath(deployment.id), body);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.fields?.map((item) => item.field)).toContain(field);
  });
});

describe("POST /api/projects/:id/backtest", () => {
  it("replays the last analyzed deployments and counts what would change, by transition", async () => {
    const { client, projectId } = await owner();
    // Oldest first; #1 is not analyzed and is left out.
    await arrange(projectId, { state: "finished" });
    const steady = await arrange(projectId, {
      state: "analyzed",
      before: SLOW_BUT_STEADY,
      after: SLOW_BUT_STEADY,
      judge: "classic",
    });
    const healthy = await arrange(projectId, { state: "analyzed", judge: "classic" });
    const broken = await arrange(projectId, { state: "analyzed", after: BROKEN, judge: "classic" });
    // Stored as a warning although robust will not say warning about a healthy release.
    const relabelled = await arrange(projectId, { state: "analyzed", judge: "robust", stored: "warning" });
    const arranged = [relabelled, broken, healthy, steady];

    const response = await client.json("POST", backtestPath(projectId), { judge: "robust" });
    expect(response.status).toBe(200);
    const body = await response.json<{
      judge: string;
      items: Array<{
        id: string;
        number: number;
        stored: { verdict: VerdictValue; confidence: number; judge: string };
        replayed: { verdict: VerdictValue; confidence: number };
        changed: boolean;
      }>;
      summary: { total: number; changed: number; byTransition: Record<string, number> };
    }>();
    expect(body.judge).toBe("robust");
    expect(body.items.map((item) => item.number)).toEqual(arranged.map((d) => d.number));

    const expectedTransitions: Record<string, number> = {};
    arranged.forEach((deployment, index) => {
      const replayed = judges.robust!.judge(
        inputOf(deployment.samples, deployment.startedAt, deployment.analyzedAt, {}),
      );
      const stored = deployment.storedVerdict!;
      const changed = replayed.verdict !== stored.verdict;
      expect(body.items[index]).toEqual({
        id: deployment.id,
        number: deployment.number,
        stored: {
          verdict: stored.verdict,
          confidence: stored.confidence,
          judge: index === 0 ? "robust" : "classic",
        },
        replayed: { verdict: replayed.verdict, confidence: replayed.confidence },
        changed,
      });
      if (changed) {
        const key = `${stored.verdict}->${replayed.verdict}`;
        expectedTransitions[key] = (expectedTransitions[key] ?? 0) + 1;
      }
    });
    // The two that must change whatever the judges' details: the steady slow service and the relabelled one.
    expect(body.items.find((item) => item.id === steady.id)?.changed).toBe(true);
    expect(body.items.find((item) => item.id === relabelled.id)).toMatchObject({
      changed: true,
      replayed: { verdict: "ok" },
    });
    expect(body.items.find((item) => item.id === broken.id)?.changed).toBe(false);
    expect(body.summary).toEqual({
      total: 4,
      changed: Object.values(expectedTransitions).reduce((a, b) => a + b, 0),
      byTransition: expectedTransitions,
    });
    expect(body.summary.byTransition["warning->ok"]).toBeGreaterThanOrEqual(1);

    // `limit` takes the newest; nothing was stored.
    const limited = await (
      await client.json("POST", backtestPath(projectId), { judge: "robust", limit: 2 })
    ).json<{
      items: Array<{ id: string }>;
    }>();
    expect(limited.items.map((item) => item.id)).toEqual([relabelled.id, broken.id]);
    const [row] = await db.select().from(verdicts).where(eq(verdicts.deploymentId, relabelled.id));
    expect(row?.verdict).toBe("warning");
  });

  it("replays at most 100 deployments, the newest, in one bounded request", async () => {
    const { client, projectId } = await owner();
    // 101 analyzed deployments arranged in bulk, 10 samples each.
    const base = Date.now() - 3 * 86_400_000;
    const rows = Array.from({ length: 101 }, (_, i) => {
      const startedAt = new Date(base + i * 20 * MINUTE);
      return {
        id: crypto.randomUUID(),
        projectId,
        number: i + 1,
        env: "prod",
        state: "analyzed" as const,
        metricsEndpoint: "http://127.0.0.1:1/m",
        observationWindowMinutes: WINDOW,
        startedAt,
        finishedAt: new Date(startedAt.getTime() + 5 * MINUTE),
        analyzedAt: new Date(startedAt.getTime() + 10 * MINUTE + 30_000),
        expiresAt: new Date(startedAt.getTime() + 120 * MINUTE),
      };
    });
    await db.insert(deployments).values(rows);
    await db.insert(metricSamples).values(
      rows.flatMap((row) =>
        samplesOf(HEALTHY, row.startedAt, row.finishedAt, HEALTHY).map((sample) => ({
          ...sample,
          deploymentId: row.id,
        })),
      ),
    );
    const summary = { code: "analysis.verdict.summary.ok", params: {}, text: "ok" };
    await db.insert(verdicts).values(
      rows.map((row) => ({
        deploymentId: row.id,
        judge: "classic",
        judgeVersion: 1,
        verdict: "ok" as const,
        confidence: 0.9,
        summary,
        details: [],
        dataQuality: { score: 1, issues: [] },
        audit: [],
      })),
    );

    const started = performance.now();
    const response = await client.json("POST", backtestPath(projectId), { judge: "robust", limit: 100 });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(200);
    const body = await response.json<{ items: Array<{ number: number }>; summary: { total: number } }>();
    expect(body.summary.total).toBe(100);
    expect(body.items[0]?.number).toBe(101);
    expect(body.items.at(-1)?.number).toBe(2);
    console.info(`backtest of 100 deployments (10 samples each): ${Math.round(elapsed)} ms`);
  }, 60_000);

  it("answers an empty backtest for a project without analyzed deployments", async () => {
    const { client, projectId } = await owner();
    const response = await client.json("POST", backtestPath(projectId), {});
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      items: [],
      summary: { total: 0, changed: 0, byTransition: {} },
    });
  });

  it.each([
    ["limit 0", { limit: 0 }, "limit"],
    ["limit 101", { limit: 101 }, "limit"],
    ["a fractional limit", { limit: 2.5 }, "limit"],
    ["an unknown judge", { judge: "magic" }, "judge"],
    ["an unknown setting", { settings: { ignored: ["cpu_usage"] } }, "settings"],
  ])("answers 400 for %s", async (_, body, field) => {
    const { client, projectId } = await owner();
    const response = await client.json("POST", backtestPath(projectId), body);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).fields?.map((item) => item.field)).toContain(field);
  });

  it(`is limited to ${BACKTESTS_PER_MINUTE} a minute per user`, async () => {
    const { client, projectId } = await owner();
    const statuses: number[] = [];
    for (let i = 0; i <= BACKTESTS_PER_MINUTE; i++) {
      statuses.push((await client.json("POST", backtestPath(projectId), { limit: 1 })).status);
    }
    // Windows are aligned to the minute and weighed across two: at least the last one is refused.
    expect(statuses.slice(0, BACKTESTS_PER_MINUTE / 2).every((status) => status === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe("feedback", () => {
  it("stores one answer per deployment, the latest wins, with the verdict it was about and who gave it", async () => {
    const { client, userId, projectId } = await owner();
    const deployment = await arrange(projectId, { state: "analyzed", after: BROKEN, judge: "classic" });
    const empty = await client.fetch(feedbackPath(deployment.id));
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ feedback: null });

    const first = await client.json("POST", feedbackPath(deployment.id), {
      correct: false,
      note: "  it was the CDN  ",
    });
    expect(first.status).toBe(200);
    expect((await first.json<{ feedback: unknown }>()).feedback).toMatchObject({
      deploymentId: deployment.id,
      correct: false,
      note: "it was the CDN",
      verdict: deployment.storedVerdict!.verdict,
      userId,
    });
    const second = await client.json("POST", feedbackPath(deployment.id), { correct: true, note: "   " });
    expect((await second.json<{ feedback: unknown }>()).feedback).toMatchObject({
      correct: true,
      note: null,
    });

    const rows = await db
      .select()
      .from(deploymentFeedback)
      .where(eq(deploymentFeedback.deploymentId, deployment.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ correct: true, note: null, userId });
    expect(
      (await (await client.fetch(feedbackPath(deployment.id))).json<{ feedback: unknown }>()).feedback,
    ).toMatchObject({
      correct: true,
      verdict: deployment.storedVerdict!.verdict,
    });
  });

  it.each(["running", "finished", "cancelled", "expired"] as const)(
    "answers 409 DEPLOYMENT_NOT_ANALYZED for a %s deployment",
    async (state) => {
      const { client, projectId } = await owner();
      const deployment = await arrange(projectId, { state, samples: "pre" });
      const response = await client.json("POST", feedbackPath(deployment.id), { correct: true });
      expect(response.status).toBe(409);
      expect(await errorOf(response)).toMatchObject({ code: "DEPLOYMENT_NOT_ANALYZED" });
    },
  );

  it.each([
    ["correct missing", { note: "x" }, "correct"],
    ["correct not a boolean", { correct: "yes" }, "correct"],
    ["a note too long", { correct: true, note: "x".repeat(1001) }, "note"],
    ["a note that is not a string", { correct: true, note: 5 }, "note"],
  ])("answers 400 for %s", async (_, body, field) => {
    const { client, projectId } = await owner();
    const deployment = await arrange(projectId, { state: "analyzed" });
    const response = await client.json("POST", feedbackPath(deployment.id), body);
    expect(response.status).toBe(400);
    expect((await errorOf(response)).fields?.map((item) => item.field)).toContain(field);
  });

  it("accepts a note of exactly 1000 characters after trimming, and refuses a NUL", async () => {
    const { client, projectId } = await owner();
    const deployment = await arrange(projectId, { state: "analyzed" });
    const ok = await client.json("POST", feedbackPath(deployment.id), {
      correct: true,
      note: ` ${"n".repeat(1000)} `,
    });
    expect(ok.status).toBe(200);
    const nul = await client.json("POST", feedbackPath(deployment.id), { correct: true, note: "a\u0000b" });
    expect(nul.status).toBe(400);
  });

  it("counts the project's verdicts and how many were marked right, per verdict", async () => {
    const { client, projectId } = await owner();
    const fine = await arrange(projectId, { state: "analyzed", judge: "classic", stored: "ok" });
    const alsoFine = await arrange(projectId, { state: "analyzed", judge: "classic", stored: "ok" });
    await arrange(projectId, { state: "analyzed", judge: "classic", stored: "ok" });
    const wrong = await arrange(projectId, {
      state: "analyzed",
      judge: "classic",
      stored: "rollback_recommended",
    });
    await arrange(projectId, { state: "finished" });
    await client.json("POST", feedbackPath(fine.id), { correct: true });
    await client.json("POST", feedbackPath(alsoFine.id), { correct: false });
    await client.json("POST", feedbackPath(alsoFine.id), { correct: true });
    await client.json("POST", feedbackPath(wrong.id), { correct: false, note: "a bot storm" });

    const response = await client.fetch(statsPath(projectId));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      projectId,
      analyzed: 4,
      marked: 3,
      markedCorrect: 2,
      byVerdict: {
        ok: { analyzed: 3, marked: 2, markedCorrect: 2 },
        warning: { analyzed: 0, marked: 0, markedCorrect: 0 },
        rollback_recommended: { analyzed: 1, marked: 1, markedCorrect: 0 },
      },
    });
  });
});

describe("access control", () => {
  it("answers 401 without credentials and 404 for another user's project or deployment", async () => {
    const { projectId } = await owner();
    const deployment = await arrange(projectId, { state: "analyzed" });
    const intruder = new TestClient();
    await intruder.signUp();
    const anonymous = new TestClient();
    const calls: Array<[string, string, unknown?]> = [
      ["POST", rejudgePath(deployment.id), {}],
      ["POST", feedbackPath(deployment.id), { correct: true }],
      ["GET", feedbackPath(deployment.id)],
      ["POST", backtestPath(projectId), {}],
      ["GET", statsPath(projectId)],
    ];
    for (const [method, path, body] of calls) {
      expect((await anonymous.json(method, path, body)).status, `${method} ${path} anonymous`).toBe(401);
      const foreign = await intruder.json(method, path, body);
      expect(foreign.status, `${method} ${path} foreign`).toBe(404);
      expect((await errorOf(foreign)).code).toBe("NOT_FOUND");
      const notUuid = path.replace(/[0-9a-f-]{36}/, "not-a-uuid");
      expect((await intruder.json(method, notUuid, body)).status, `${method} ${notUuid}`).toBe(404);
    }
    // The intruder's attempts left nothing behind.
    expect(
      await db.select().from(deploymentFeedback).where(eq(deploymentFeedback.deploymentId, deployment.id)),
    ).toEqual([]);
  });
});
