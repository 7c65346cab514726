import { beforeAll, describe, expect, it } from "vitest";
import { errorCode, TestClient } from "../../../test/client";
import { healthy } from "../../../test/metrics-app";
import { drainLeftoverJobs, runDeployment } from "../../../test/pipeline";
import { robustJudge } from "../analysis/judges/robust";

beforeAll(() => drainLeftoverJobs());

type ListBody = {
  items: Array<{
    id: string;
    number: number;
    env: string;
    state: string;
    verdict: { verdict: string } | null;
  }>;
  nextCursor: string | null;
};

describe("dashboard reads", () => {
  it("list, filter, search and page through the user's deployments; detail, metrics, hints and stats", async () => {
    const run = await runDeployment({
      window: 3,
      responses: [{ metrics: healthy }, { metrics: { ...healthy, error_rate: 0.05 } }],
    });
    const { owner, deploymentId, projectId } = run;

    const all = await (await owner.fetch("/api/deployments")).json<ListBody>();
    expect(all.items.map((item) => item.id)).toEqual([deploymentId]);
    expect(all.items[0]).toMatchObject({
      number: 1,
      env: "prod",
      state: "analyzed",
      verdict: { verdict: "rollback_recommended" },
    });

    const filtered = async (query: string) =>
      (await (await owner.fetch(`/api/deployments?${query}`)).json<ListBody>()).items.length;
    expect(await filtered(`project=${projectId}&verdict=rollback_recommended&state=analyzed&env=prod`)).toBe(
      1,
    );
    expect(await filtered("verdict=ok")).toBe(0);
    expect(await filtered("q=mai")).toBe(1); // branch "main"
    expect(await filtered("q=0a1b")).toBe(1); // commit prefix
    expect(await filtered("q=zzz")).toBe(0);
    expect((await owner.fetch("/api/deployments?verdict=great")).status).toBe(400);
    expect((await owner.fetch("/api/deployments?project=nope")).status).toBe(400);

    const firstPage = await (await owner.fetch("/api/deployments?limit=1")).json<ListBody>();
    expect(firstPage.nextCursor).toBeNull();

    const detail = await (await owner.fetch(`/api/deployments/${deploymentId}`)).json<{
      deployment: {
        verdict: { summary: { code: string } };
        hints: Array<{ severity: string }>;
        collectionErrors: unknown[];
      };
    }>();
    expect(detail.deployment.verdict.summary.code).toMatch(/^analysis\./);
    expect(detail.deployment.hints[0]?.severity).toBe("critical");

    // The lines the verdict compared samples with: the default judge's, from the baseline's means.
    const metrics = await (await owner.fetch(`/api/deployments/${deploymentId}/metrics`)).json<{
      pre: unknown[];
      post: Array<{ errorRate: number }>;
      lines: Record<string, number | null>;
    }>();
    expect(metrics.pre).toHaveLength(1);
    expect(metrics.post.map((sample) => sample.errorRate)).toEqual([0.05, 0.05, 0.05]);
    const baselineMeans = {
      latency_p95: healthy.latency_p95,
      error_rate: healthy.error_rate,
      cpu_usage: healthy.cpu_usage,
      memory_usage: healthy.memory_usage,
      requests_per_sec: healthy.requests_per_sec,
    };
    const expected = robustJudge.comparisonLines(baselineMeans);
    for (const [metric, line] of Object.entries(expected)) {
      expect(metrics.lines[metric], metric).toBeCloseTo(line as number, 9);
    }
    expect(metrics.lines.latency_p95).toBeGreaterThan(healthy.latency_p95);
    expect(metrics.lines.requests_per_sec).toBeLessThan(healthy.requests_per_sec);

    const hints = await (await owner.fetch(`/api/sdh?project=${projectId}&severity=critical`)).json<{
      items: Array<{ deployment: { id: string } }>;
    }>();
    expect(hints.items.length).toBeGreaterThan(0);
    expect(hints.items.every((hint) => hint.deployment.id === deploymentId)).toBe(true);
    expect((await owner.fetch("/api/sdh?severity=loud")).status).toBe(400);

    const stats = await (await owner.fetch("/api/stats/deployments?days=7")).json<{
      days: Array<{ day: string; total: number }>;
      totals: { total: number; rollback_recommended: number };
    }>();
    expect(stats.days).toHaveLength(7);
    expect(stats.totals).toMatchObject({ total: 1, rollback_recommended: 1 });
  });

  it("another user's deployment is 404 everywhere, and nothing of it is listed", async () => {
    const { deploymentId, projectId } = await runDeployment({ window: 1, responses: [{ metrics: healthy }] });
    const intruder = new TestClient();
    await intruder.signUp();
    expect((await intruder.fetch(`/api/deployments/${deploymentId}`)).status).toBe(404);
    expect((await intruder.fetch(`/api/deployments/${deploymentId}/metrics`)).status).toBe(404);
    expect((await intruder.fetch("/api/deployments/not-a-uuid")).status).toBe(404);
    expect(
      (await (await intruder.fetch(`/api/deployments?project=${projectId}`)).json<ListBody>()).items,
    ).toEqual([]);
    expect(
      (await (await intruder.fetch(`/api/sdh?deployment=${deploymentId}`)).json<{ items: unknown[] }>())
        .items,
    ).toEqual([]);
  });

  // A cursor is opaque but client-held: one a column cannot hold must be refused, not reach SQL.
  const cursorOf = (at: string, id: string) =>
    btoa(JSON.stringify([at, id]))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
  const someId = "00000000-0000-4000-8000-000000000000";
  it.each([
    ["/api/projects", "an id that is not a UUID", cursorOf("2026-01-01T00:00:00Z", "not-a-uuid")],
    ["/api/deployments", "an id that is not a UUID", cursorOf("2026-01-01T00:00:00Z", "not-a-uuid")],
    ["/api/deployments", "the earliest JS date", cursorOf("-271821-04-20T00:00:00.000Z", someId)],
    ["/api/deployments", "the latest JS date", cursorOf("+275760-09-13T00:00:00.000Z", someId)],
    ["/api/deployments", "year 0", cursorOf("0000-01-01T00:00:00.000Z", someId)],
    ["/api/projects", "year 20000", cursorOf("+020000-01-01T00:00:00.000Z", someId)],
    ["/api/sdh", "a negative year", cursorOf("-000001-01-01T00:00:00.000Z", `${someId}/error_rate`)],
    ["/api/sdh", "a malformed hint key", cursorOf("2026-01-01T00:00:00Z", "not-a-hint-key")],
  ])("GET %s answers 400 VALIDATION_FAILED for a cursor with %s", async (path, _label, cursor) => {
    const client = new TestClient();
    await client.signUp();
    const response = await client.fetch(`${path}?cursor=${cursor}`);
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("VALIDATION_FAILED");
  });

  it("accepts a well-formed hint cursor (`<deployment id>/<metric>`)", async () => {
    const client = new TestClient();
    await client.signUp();
    const cursor = cursorOf("2026-01-01T00:00:00.000Z", `${someId}/latency_p95`);
    expect((await client.fetch(`/api/sdh?cursor=${cursor}`)).status).toBe(200);
  });

  it.each([
    "/api/deployments",
    "/api/deployments/00000000-0000-4000-8000-000000000000",
    "/api/deployments/00000000-0000-4000-8000-000000000000/metrics",
    "/api/sdh",
    "/api/stats/deployments",
  ])("GET %s answers 401 without a session", async (path) => {
    expect((await new TestClient().fetch(path)).status).toBe(401);
  });
});
