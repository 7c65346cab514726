import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployments, metricSamples, projects, verdicts } from "../../../db/schema";
import { testDatabase, until } from "../../../test/helpers";
import { type AppResponse, healthy, type StandInApp } from "../../../test/metrics-app";
import { drainLeftoverJobs, fireCron, MINUTE } from "../../../test/pipeline";
import { projectWithActiveEndpoint } from "../../../test/projects";
import type { Judge } from "../analysis/judge";
import { classicJudge } from "../analysis/judges/classic";
import type { JudgeInput } from "../analysis/types";
import { analyzeDeployment, shadowVerdictOf } from "./analyze";
import { LAST_SAMPLE_WAIT_MS } from "./deployments";

// When verdicts are made, driven by the Cron Trigger fired minute by minute at chosen times: the
// stand-in application serves metrics (and checks HMAC), CI triggers and finishes.

beforeAll(() => drainLeftoverJobs());

const { db, close } = testDatabase();
afterAll(() => close());

const sample = (overrides: Partial<typeof healthy> = {}): AppResponse => ({
  metrics: { ...healthy, ...overrides },
});

interface Observed {
  app: StandInApp;
  owner: Awaited<ReturnType<typeof projectWithActiveEndpoint>>["owner"];
  deploymentId: string;
  finishedAt: number;
  windowEnd: number;
}

/** A project (its judge and settings set in the database when given, no continuous baseline), triggered and finished. */
async function finishedDeployment(options: {
  window: number;
  responses: AppResponse[];
  judge?: string;
  judgeSettings?: Record<string, unknown>;
}): Promise<Observed> {
  const { app, owner, ci, project } = await projectWithActiveEndpoint({
    observationWindowMinutes: options.window,
  });
  // Continuous baseline off: once judged, the idle project would get baseline scrapes (tested in
  // worker/jobs/baseline.test.ts), and these tests count the deployment's own.
  await db
    .update(projects)
    .set({
      baselineIntervalMinutes: 0,
      ...(options.judge ? { judge: options.judge } : {}),
      ...(options.judgeSettings ? { judgeSettings: options.judgeSettings } : {}),
    })
    .where(eq(projects.id, project.id));
  await app.configure({ responses: options.responses });
  const { deployment_id: deploymentId } = await (await ci.trigger()).json<{ deployment_id: string }>();
  await until(
    async () =>
      (await db.select().from(metricSamples).where(eq(metricSamples.deploymentId, deploymentId)))[0],
    "the baseline sample",
  );
  expect((await ci.finish(deploymentId)).status).toBe(200);
  const [row] = await db.select().from(deployments).where(eq(deployments.id, deploymentId));
  const finishedAt = row!.finishedAt!.getTime();
  return { app, owner, deploymentId, finishedAt, windowEnd: finishedAt + options.window * MINUTE };
}

const verdictOf = async (id: string) =>
  (await db.select().from(verdicts).where(eq(verdicts.deploymentId, id)))[0] ?? null;

const postSamplesOf = (id: string) =>
  db
    .select()
    .from(metricSamples)
    .where(and(eq(metricSamples.deploymentId, id), eq(metricSamples.phase, "post")));

/**
 * Fires the cron at `finishedAt + minute + offset` for each minute in [0, minutes), `parallel`
 * sweeps at a time. Returns the scheduled time of the run after which the verdict was first seen,
 * with the POST samples stored by then.
 */
async function sweepMinutes(
  run: Observed,
  minutes: number,
  options: { offsetMs?: number; parallel?: number } = {},
) {
  let decidedAt: number | null = null;
  let samplesAtVerdict = 0;
  for (let minute = 0; minute < minutes; minute++) {
    const at = run.finishedAt + minute * MINUTE + (options.offsetMs ?? 1000);
    await Promise.all(Array.from({ length: options.parallel ?? 1 }, () => fireCron(at)));
    if (decidedAt === null && (await verdictOf(run.deploymentId))) {
      decidedAt = at;
      samplesAtVerdict = (await postSamplesOf(run.deploymentId)).length;
    }
  }
  return { decidedAt, samplesAtVerdict };
}

type VerdictView = {
  verdict: string;
  judge: string;
  early: boolean;
  settings: Record<string, unknown>;
  shadow: {
    judge: string;
    judgeVersion: number;
    verdict: string;
    confidence: number;
    summary: { code: string; params: Record<string, unknown>; text: string };
  } | null;
  dataQuality: { score: number };
};

async function verdictView(run: Observed): Promise<VerdictView> {
  const response = await run.owner.fetch(`/api/deployments/${run.deploymentId}`);
  expect(response.status).toBe(200);
  return (await response.json<{ deployment: { verdict: VerdictView } }>()).deployment.verdict;
}

describe("early verdicts", () => {
  it.each([
    ["errors ten times their baseline", sample({ error_rate: 0.02 })],
    ["p95 three times its baseline", sample({ latency_p95: 540 })],
    ["traffic halved", sample({ requests_per_sec: 55 })],
  ])("%s: rollback within 5 minutes of finish, and collection stops", async (what, regressed) => {
    const run = await finishedDeployment({ window: 10, responses: [sample(), regressed] });
    const { decidedAt, samplesAtVerdict } = await sweepMinutes(run, 12);
    const stored = await verdictOf(run.deploymentId);
    console.log(
      "early verdict",
      JSON.stringify({ case: what, afterFinishMs: (decidedAt ?? 0) - run.finishedAt, samplesAtVerdict }),
    );
    expect(stored).toMatchObject({ verdict: "rollback_recommended", early: true, judge: "robust" });
    expect(decidedAt).not.toBeNull();
    expect(stored!.createdAt.getTime()).toBe(decidedAt);
    expect(decidedAt! - run.finishedAt).toBeLessThanOrEqual(5 * MINUTE);
    // Nothing was scraped after it: the POST samples stored then are all there is, and the
    // application saw the baseline and those samples only.
    expect(await postSamplesOf(run.deploymentId)).toHaveLength(samplesAtVerdict);
    expect(samplesAtVerdict).toBeLessThan(10);
    expect((await run.app.stats()).requests).toBe(1 + samplesAtVerdict);

    const view = await verdictView(run);
    expect(view).toMatchObject({ verdict: "rollback_recommended", early: true, settings: {} });
    expect(view.shadow).toMatchObject({ judge: "classic", judgeVersion: classicJudge.version });
  });

  it("a healthy deploy gets none, and its ok comes from the sweep that stores the last sample", async () => {
    const run = await finishedDeployment({ window: 5, responses: [sample()] });
    const { decidedAt, samplesAtVerdict } = await sweepMinutes(run, 7);
    const stored = await verdictOf(run.deploymentId);
    expect(stored).toMatchObject({ verdict: "ok", early: false });
    // The last sample is due 4 minutes after the finish: its sweep judged, within the window's end.
    expect(decidedAt).toBe(run.finishedAt + 4 * MINUTE + 1000);
    expect(decidedAt! - run.windowEnd).toBeLessThanOrEqual(60_000);
    expect(samplesAtVerdict).toBe(5);
    expect((await verdictView(run)).early).toBe(false);
  });

  it("a classic project keeps classic behaviour: no early verdict, the rollback once the window's samples are in", async () => {
    const run = await finishedDeployment({
      window: 5,
      judge: "classic",
      responses: [sample(), sample({ error_rate: 0.2 })],
    });
    const { decidedAt, samplesAtVerdict } = await sweepMinutes(run, 7);
    expect(await verdictOf(run.deploymentId)).toMatchObject({
      verdict: "rollback_recommended",
      judge: "classic",
      early: false,
    });
    expect(decidedAt).toBe(run.finishedAt + 4 * MINUTE + 1000);
    expect(samplesAtVerdict).toBe(5);
  });
});

describe("a late or missing last sample", () => {
  // The endpoint answers 500 from the last minute on: the baseline and POST 0..3 are served.
  const lastSampleFails = [sample(), sample(), sample(), sample(), sample(), { status: 500 }];

  it.each([
    ["sweeps 1 s after each minute of the finish", 1000],
    ["sweeps 40 s after each minute of the finish", 40_000],
  ])(
    "%s: the verdict comes at most 60 s after the window ends, with lower data quality",
    async (_, offsetMs) => {
      const healthyRun = await finishedDeployment({ window: 5, responses: [sample()] });
      await sweepMinutes(healthyRun, 7, { offsetMs });
      const healthyQuality = (await verdictOf(healthyRun.deploymentId))!.dataQuality as { score: number };

      const run = await finishedDeployment({ window: 5, responses: lastSampleFails });
      const { decidedAt, samplesAtVerdict } = await sweepMinutes(run, 8, { offsetMs });
      const stored = await verdictOf(run.deploymentId);
      console.log(
        "last sample failing",
        JSON.stringify({
          offsetMs,
          afterWindowEndMs: (decidedAt ?? 0) - run.windowEnd,
          verdict: stored?.verdict,
        }),
      );
      expect(stored).not.toBeNull();
      expect(decidedAt).not.toBeNull();
      // The first sweep at or after the window's end: the last sample's retry ran in it, failed,
      // and the verdict did not wait for the next one.
      expect(decidedAt).toBe(run.finishedAt + 5 * MINUTE + offsetMs);
      expect(decidedAt! - run.windowEnd).toBeLessThanOrEqual(60_000);
      expect(samplesAtVerdict).toBe(4);
      expect((stored!.dataQuality as { score: number }).score).toBeLessThan(healthyQuality.score);
      expect(stored!.verdict).not.toBe("ok");
    },
  );

  it("a last sample that fails for good (a wrong payload) is judged in its own sweep", async () => {
    const run = await finishedDeployment({
      window: 5,
      responses: [...lastSampleFails.slice(0, 5), { body: "not metrics" }],
    });
    const { decidedAt, samplesAtVerdict } = await sweepMinutes(run, 6);
    expect(decidedAt).toBe(run.finishedAt + 4 * MINUTE + 1000);
    expect(samplesAtVerdict).toBe(4);
    expect((await run.app.stats()).requests).toBe(1 + 5);
  });

  it("the analysis job waits for a sample being retried at most until 45 s past the window's end", async () => {
    const run = await finishedDeployment({ window: 5, responses: lastSampleFails });
    // Collect the window (the last sample fails once), without reaching the window's end.
    await sweepMinutes(run, 5);
    expect(await verdictOf(run.deploymentId)).toBeNull();
    // At the window's end its retry is due: the backstop waits, but not past the limit...
    const waiting = await analyzeDeployment(db, run.deploymentId, new Date(run.windowEnd + 1000));
    expect(waiting).toEqual({ status: "waiting", until: new Date(run.windowEnd + LAST_SAMPLE_WAIT_MS) });
    // ...from which it judges what is there, the retry still due.
    const judged = await analyzeDeployment(
      db,
      run.deploymentId,
      new Date(run.windowEnd + LAST_SAMPLE_WAIT_MS),
    );
    expect(judged).toMatchObject({ status: "stored", early: false });
    expect(await postSamplesOf(run.deploymentId)).toHaveLength(4);
  });
});

describe("shadow verdicts and settings", () => {
  it.each([
    ["robust", "classic"],
    ["classic", "robust"],
  ])(
    "a %s project's verdict carries the %s judge's as its shadow, and its settings",
    async (judge, shadow) => {
      const settings = { sensitivity: "high", ignoredMetrics: ["cpu_usage"] };
      const run = await finishedDeployment({
        window: 3,
        judge,
        judgeSettings: settings,
        responses: [sample()],
      });
      await sweepMinutes(run, 4);
      const stored = await verdictOf(run.deploymentId);
      expect(stored).toMatchObject({ judge, settings, early: false, shadow: { judge: shadow } });

      const view = await verdictView(run);
      expect(view.judge).toBe(judge);
      expect(view.settings).toEqual(settings);
      expect(view.shadow).toEqual({
        judge: shadow,
        judgeVersion: expect.any(Number),
        verdict: expect.stringMatching(/^(ok|warning|rollback_recommended)$/),
        confidence: expect.any(Number),
        summary: { code: expect.any(String), params: expect.any(Object), text: expect.any(String) },
      });
    },
  );

  it("a shadow judge that throws gives no shadow, never loses the verdict", () => {
    const failing: Judge = {
      name: "failing",
      version: 1,
      judge: () => {
        throw new Error("broken");
      },
      comparisonLines: () => classicJudge.comparisonLines(null),
    };
    const input: JudgeInput = {
      pre: [],
      post: [],
      analyzedAt: new Date(),
      observationWindowMinutes: 5,
    };
    expect(shadowVerdictOf(failing, input, crypto.randomUUID())).toBeNull();
    expect(shadowVerdictOf(classicJudge, input, crypto.randomUUID())).toMatchObject({ judge: "classic" });
  });
});

describe("overlapping sweeps", () => {
  it("store one verdict, early or not", async () => {
    const early = await finishedDeployment({
      window: 10,
      responses: [sample(), sample({ error_rate: 0.02 })],
    });
    const full = await finishedDeployment({ window: 3, responses: [sample(), sample({ latency_p95: 300 })] });
    await Promise.all([sweepMinutes(early, 6, { parallel: 2 }), sweepMinutes(full, 5, { parallel: 2 })]);
    for (const run of [early, full]) {
      expect(
        await db.select().from(verdicts).where(eq(verdicts.deploymentId, run.deploymentId)),
      ).toHaveLength(1);
    }
    expect(await verdictOf(early.deploymentId)).toMatchObject({ early: true });

    // The analysis job and a late sweep's analysis racing: the first stores, the other finds it.
    const racing = await finishedDeployment({ window: 3, responses: [sample()] });
    const [first, second] = await Promise.all([
      analyzeDeployment(db, racing.deploymentId, new Date(racing.windowEnd + LAST_SAMPLE_WAIT_MS)),
      analyzeDeployment(db, racing.deploymentId, new Date(racing.windowEnd + LAST_SAMPLE_WAIT_MS)),
    ]);
    expect([first.status, second.status].sort()).toEqual(["already-analyzed", "stored"]);
    expect(
      await db.select().from(verdicts).where(eq(verdicts.deploymentId, racing.deploymentId)),
    ).toHaveLength(1);
  });
});
