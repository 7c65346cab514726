import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  baselineSamples,
  collectionErrors,
  deployments,
  metricSamples,
  projects,
  verdicts,
} from "../../../db/schema";
import { testDatabase, until } from "../../../test/helpers";
import { type AppResponse, healthy } from "../../../test/metrics-app";
import { drainLeftoverJobs, fireCron, MINUTE, type Run, runDeployment } from "../../../test/pipeline";
import { projectWithActiveEndpoint } from "../../../test/projects";
import { collectSamples } from "../collection/collect-sample";

// End to end inside the suite: a stand-in application serving metrics (and checking HMAC),
// CI trigger and finish, then the Cron Trigger fired minute by minute until the verdict.

beforeAll(() => drainLeftoverJobs());

const { db, close } = testDatabase();
afterAll(() => close());

type Detail = {
  deployment: {
    state: string;
    pipelineResult: string;
    verdict: {
      verdict: string;
      confidence: number;
      summary: { code: string; text: string };
      dataQuality: { score: number };
    };
    hints: Array<{ metric: string; severity: string; code: string; title: { text: string } }>;
    collectionErrors: Array<{ code: string; final: boolean; sequence: number }>;
  };
};

async function readBack({ owner, deploymentId }: Run) {
  const detail = await owner.fetch(`/api/deployments/${deploymentId}`);
  expect(detail.status).toBe(200);
  const metrics = await (await owner.fetch(`/api/deployments/${deploymentId}/metrics`)).json<{
    pre: unknown[];
    post: Array<{ sequence: number }>;
  }>();
  return { ...(await detail.json<Detail>()).deployment, metrics };
}

const sample = (overrides: Partial<typeof healthy>): AppResponse => ({
  metrics: { ...healthy, ...overrides },
});

describe("a deployment from trigger to verdict", () => {
  it("healthy deploy: ok, no alarming hint", async () => {
    const run = await runDeployment({ window: 5, responses: [sample({})] });
    const result = await readBack(run);
    expect(result.state).toBe("analyzed");
    expect(result.verdict.verdict).toBe("ok");
    // One baseline sample (trigger and finish back to back): the default judge's ok is less sure.
    expect(result.verdict.confidence).toBeGreaterThanOrEqual(0.6);
    expect(result.verdict.dataQuality.score).toBe(1);
    expect(result.hints.filter((hint) => hint.severity !== "info")).toEqual([]);
    expect(result.metrics.pre).toHaveLength(1);
    expect(result.metrics.post.map((s) => s.sequence)).toEqual([0, 1, 2, 3, 4]);
  });

  it("error-rate regression: rollback recommended, with an error-rate hint", async () => {
    const run = await runDeployment({
      window: 5,
      responses: [sample({}), sample({ error_rate: 0.04 }), sample({ error_rate: 0.06 })],
    });
    const result = await readBack(run);
    expect(result.verdict.verdict).toBe("rollback_recommended");
    expect(
      result.hints.some(
        (hint) => hint.severity === "critical" && ["error_rate", "composite"].includes(hint.metric),
      ),
    ).toBe(true);
  });

  it("traffic drop: rollback recommended, with a traffic hint", async () => {
    const run = await runDeployment({ window: 5, responses: [sample({}), sample({ requests_per_sec: 30 })] });
    const result = await readBack(run);
    expect(result.verdict.verdict).toBe("rollback_recommended");
    expect(result.hints.some((hint) => ["requests_per_sec", "composite"].includes(hint.metric))).toBe(true);
  });

  it("endpoint dies half way: the missing samples lower data quality, the verdict still comes", async () => {
    const run = await runDeployment({
      window: 5,
      responses: [sample({}), sample({}), sample({}), { status: 503 }],
    });
    const result = await readBack(run);
    expect(result.state).toBe("analyzed");
    expect(result.metrics.post.map((s) => s.sequence)).toEqual([0, 1]);
    expect(result.verdict.verdict).not.toBe("ok");
    expect(result.verdict.dataQuality.score).toBeLessThan(1);
    // Every dark minute was tried and reported; the verdict did not wait for the retries to run out.
    const failed = result.collectionErrors.filter((error) => error.code === "ENDPOINT_HTTP_STATUS");
    expect([...new Set(failed.map((error) => error.sequence))].sort()).toEqual([2, 3, 4]);
  });

  it("HMAC: signed scrapes accepted; a secret changed in the app is reported once per sample, not retried", async () => {
    const run = await runDeployment({
      window: 3,
      hmac: true,
      responses: [sample({})],
      afterTrigger: async ({ app }) => app.configure({ secret: "spm_changed_in_the_app" }),
    });
    const result = await readBack(run);
    expect(result.metrics.pre).toHaveLength(1);
    expect(result.metrics.post).toHaveLength(0);
    const refused = result.collectionErrors.filter((error) => error.code === "HMAC_REFUSED");
    expect(refused.map((error) => error.sequence).sort()).toEqual([0, 1, 2]);
    expect(refused.every((error) => error.final)).toBe(true);
    expect(result.verdict.verdict).toBe("warning");
  });
});

describe("two concurrent sweeps", () => {
  it("never store a duplicate sample or verdict", async () => {
    const { app, ci, project } = await projectWithActiveEndpoint({ observationWindowMinutes: 3 });
    const projectId = project.id;
    await app.configure({ responses: [sample({})] });
    const { deployment_id: id } = await (await ci.trigger()).json<{ deployment_id: string }>();
    await until(
      async () => (await db.select().from(metricSamples).where(eq(metricSamples.deploymentId, id)))[0],
      "baseline",
    );
    await ci.finish(id);
    const [row] = await db.select().from(deployments).where(eq(deployments.id, id));
    const finishedAt = row!.finishedAt!.getTime();
    for (let minute = 0; minute < 12; minute++) {
      const at = finishedAt + minute * MINUTE + 1000;
      await Promise.all([fireCron(at), fireCron(at)]);
    }
    const samples = await db
      .select()
      .from(metricSamples)
      .where(and(eq(metricSamples.deploymentId, id), eq(metricSamples.phase, "post")));
    expect(samples.map((s) => s.sequence).sort()).toEqual([0, 1, 2]);
    expect(await db.select().from(verdicts).where(eq(verdicts.deploymentId, id))).toHaveLength(1);
    expect(await db.select().from(collectionErrors).where(eq(collectionErrors.deploymentId, id))).toEqual([]);
    // Each slot was fetched once: the second sweep skipped what the first had claimed. Idle
    // once judged, the project also got its continuous-baseline sample, once.
    const baseline = await db.select().from(baselineSamples).where(eq(baselineSamples.projectId, projectId));
    expect(baseline).toHaveLength(1);
    expect((await app.stats()).requests).toBe(1 + 3 + 1);
  });
});

describe("collecting a batch of samples", () => {
  /** A project with an active endpoint and one deployment just triggered. */
  async function triggeredProject() {
    const project = await projectWithActiveEndpoint();
    const { deployment_id } = await (await project.ci.trigger()).json<{ deployment_id: string }>();
    return { ...project, deploymentId: deployment_id };
  }

  it("answers each slot in one call: stored, already stored, skipped, failed, not started", async () => {
    const a = await triggeredProject();
    const b = await triggeredProject();
    const [idA, idB] = [a.deploymentId, b.deploymentId];
    for (const id of [idA, idB]) {
      await until(
        async () => (await db.select().from(metricSamples).where(eq(metricSamples.deploymentId, id)))[0],
        "baseline",
      );
    }
    await b.app.configure({ responses: [{ status: 503 }] });
    const slot = (deploymentId: string, phase: "pre" | "post", sequence: number) => ({
      deploymentId,
      phase,
      sequence,
      attempt: 1,
      lastAttempt: false,
    });
    const requests = [
      slot(idA, "post", 0),
      slot(idA, "pre", 0),
      slot(crypto.randomUUID(), "post", 0),
      slot(idB, "post", 0),
    ];
    const outcomes = await collectSamples(db, env, requests, { now: new Date() });
    expect(outcomes).toEqual([
      { status: "stored" },
      { status: "already-stored" },
      { status: "skipped" },
      expect.objectContaining({ status: "failed", code: "ENDPOINT_HTTP_STATUS", retryable: true }),
    ]);
    const errors = await db.select().from(collectionErrors).where(eq(collectionErrors.deploymentId, idB));
    expect(errors).toMatchObject([
      { phase: "post", sequence: 0, code: "ENDPOINT_HTTP_STATUS", final: false },
    ]);

    // Past its deadline, a batch starts no fetch and stores nothing.
    const late = await collectSamples(db, env, [slot(idA, "post", 1)], {
      now: new Date(),
      deadline: Date.now() - 1,
    });
    expect(late).toEqual([{ status: "not-started" }]);
    // The endpoint test, the baseline and post #0: the late call fetched nothing.
    expect((await a.app.stats()).requests).toBe(3);
  });

  it("keeps going when one sample fails on our side: that one is retried, the others stored", async () => {
    const healthyProject = await triggeredProject();
    const broken = await triggeredProject();
    const ids = [healthyProject.deploymentId, broken.deploymentId];
    // A secret that no key decrypts (say, a key removed from ENCRYPTION_KEYS too early).
    await db
      .update(projects)
      .set({ hmacEnabled: true, hmacSecretEncrypted: "v1.not-a-box" })
      .where(eq(projects.id, broken.project.id));
    const slot = (deploymentId: string) => ({
      deploymentId,
      phase: "post" as const,
      sequence: 0,
      attempt: 1,
      lastAttempt: false,
    });
    const outcomes = await collectSamples(db, env, [slot(ids[1]!), slot(ids[0]!)], { now: new Date() });
    expect(outcomes).toEqual([{ status: "error", message: expect.any(String) }, { status: "stored" }]);
  });
});
