import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { hints, verdicts } from "../../../db/schema";
import { TestClient } from "../../../test/client";
import {
  errorOf,
  fetchApp,
  fieldsOf,
  startBurstInOneWindow,
  testDatabase,
  uniqueClientIp,
} from "../../../test/helpers";
import { type CiClient, projectWithActiveEndpoint } from "../../../test/projects";
import { pollUntil } from "./verdict-wait";

const { db, close } = testDatabase();
afterAll(() => close());

interface VerdictBody {
  deployment_id: string;
  state: string;
  verdict: string | null;
  confidence: number | null;
  summary: string | null;
  findings: Array<{ metric: string; severity: string; title: string }>;
  early: boolean;
  dashboard_url: string;
}

const text = (value: string) => ({ code: "test.text", params: {}, text: value });

/** A project with a running deployment, and the key's client. */
async function runningDeployment() {
  const setup = await projectWithActiveEndpoint();
  const triggered = await setup.ci.trigger({ env: "prod" });
  expect(triggered.status).toBe(200);
  const { deployment_id: id } = await triggered.json<{ deployment_id: string }>();
  return { ...setup, id };
}

/** Stores a verdict with four findings, as the analysis would. */
async function storeVerdict(deploymentId: string) {
  await db.insert(verdicts).values({
    deploymentId,
    judge: "classic",
    judgeVersion: 1,
    verdict: "rollback_recommended",
    confidence: 0.92,
    summary: text("Error rate tripled after the deploy."),
    details: [],
    dataQuality: { score: 1, issues: [] },
    audit: {},
    early: true,
  });
  const evidence = {
    securedThreshold: null,
    exceedRatio: null,
    tolerance: null,
    preMean: null,
    postMean: null,
  };
  const hint = (metric: string, severity: "critical" | "warning" | "info", confidence: number) => ({
    deploymentId,
    metric,
    code: `test.${metric}`,
    severity,
    confidence,
    title: text(`${metric} moved`),
    diagnosis: text("diagnosis"),
    suggestedActions: [],
    observedValue: null,
    threshold: null,
    evidence,
  });
  await db
    .insert(hints)
    .values([
      hint("cpu_usage", "info", 0.9),
      hint("latency_p95", "warning", 0.6),
      hint("error_rate", "critical", 0.95),
      hint("memory_usage", "warning", 0.8),
    ]);
}

const keyGet = (ci: CiClient, path: string) => ci.client.fetch(path, { headers: { "X-API-Key": ci.apiKey } });

describe("a pipeline reads its deployment with the project key", () => {
  it("reads the deployment under both path sets, by X-API-Key or Bearer, in the dashboard's shape", async () => {
    const { ci, owner, id, apiKey } = await runningDeployment();
    const viaCi = await keyGet(ci, `/deployments/${id}`);
    expect(viaCi.status).toBe(200);
    const body = await viaCi.json<{ deployment: { id: string; state: string } }>();
    expect(body.deployment).toMatchObject({ id, state: "running" });
    const viaApi = await keyGet(ci, `/api/deployments/${id}`);
    expect(await viaApi.json()).toEqual(body);
    const bearer = await new TestClient().fetch(`/api/deployments/${id}`, {
      headers: { Authorization: `Bearer ${apiKey}` },
    });
    expect(bearer.status).toBe(200);
    // The owner's session reads it under /api as before; the CI paths take the key only.
    expect(await (await owner.fetch(`/api/deployments/${id}`)).json()).toEqual(body);
    expect((await owner.fetch(`/deployments/${id}`)).status).toBe(401);
  });

  it("answers the verdict in snake_case, null until there is one, then with the top three findings", async () => {
    const { ci, owner, id } = await runningDeployment();
    const before = await keyGet(ci, `/deployments/${id}/verdict`);
    expect(before.status).toBe(200);
    expect(await before.json<VerdictBody>()).toEqual({
      deployment_id: id,
      state: "running",
      verdict: null,
      confidence: null,
      summary: null,
      findings: [],
      early: false,
      dashboard_url: `http://seqpulse.test/deployments/view/?id=${id}`,
    });
    await storeVerdict(id);
    const after = await (await keyGet(ci, `/api/deployments/${id}/verdict`)).json<VerdictBody>();
    expect(after).toMatchObject({
      verdict: "rollback_recommended",
      confidence: 0.92,
      summary: "Error rate tripled after the deploy.",
      early: true,
      findings: [
        { metric: "error_rate", severity: "critical", title: "error_rate moved" },
        { metric: "memory_usage", severity: "warning", title: "memory_usage moved" },
        { metric: "latency_p95", severity: "warning", title: "latency_p95 moved" },
      ],
    });
    // A session reads it under /api too.
    expect(await (await owner.fetch(`/api/deployments/${id}/verdict`)).json()).toEqual(after);
  });

  it("answers 404 to another project's key, and to unknown or malformed ids", async () => {
    const { id } = await runningDeployment();
    const other = await projectWithActiveEndpoint();
    for (const path of [
      `/deployments/${id}`,
      `/deployments/${id}/verdict`,
      `/api/deployments/${id}`,
      `/api/deployments/${id}/verdict?wait=5`,
      `/deployments/${crypto.randomUUID()}/verdict`,
      "/deployments/not-a-uuid",
    ]) {
      const response = await keyGet(other.ci, path);
      expect(response.status, path).toBe(404);
      expect((await errorOf(response)).code, path).toBe("NOT_FOUND");
    }
  });

  it("answers 401 without a key, and with a wrong one even beside a valid session", async () => {
    const { owner, id } = await runningDeployment();
    expect((await new TestClient().fetch(`/deployments/${id}/verdict`)).status).toBe(401);
    const wrong = await owner.fetch(`/api/deployments/${id}`, { headers: { "X-API-Key": "sp_wrong" } });
    expect(wrong.status).toBe(401);
  });

  it.each(["61", "-1", "1.5", "abc", "", "1e1"])("answers 400 naming wait for wait=%j", async (wait) => {
    const { ci, id } = await runningDeployment();
    const response = await keyGet(ci, `/deployments/${id}/verdict?wait=${wait}`);
    expect(response.status).toBe(400);
    expect(await fieldsOf(response)).toEqual(["wait"]);
  });
});

describe("waiting for the verdict", () => {
  it("answers as soon as the verdict is stored during the wait", async () => {
    const { ci, id } = await runningDeployment();
    const started = Date.now();
    const waiting = keyGet(ci, `/deployments/${id}/verdict?wait=30`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await storeVerdict(id);
    const response = await waiting;
    const elapsed = Date.now() - started;
    expect(response.status).toBe(200);
    expect((await response.json<VerdictBody>()).verdict).toBe("rollback_recommended");
    // Polled every 2 s: the next poll after the verdict sees it, far before the 30 s are over.
    expect(elapsed).toBeGreaterThanOrEqual(500);
    expect(elapsed).toBeLessThan(5_000);
  });

  it("answers with verdict null when the wait is over", async () => {
    const { ci, id } = await runningDeployment();
    const started = Date.now();
    const response = await keyGet(ci, `/deployments/${id}/verdict?wait=1`);
    const elapsed = Date.now() - started;
    expect(await response.json<VerdictBody>()).toMatchObject({ state: "running", verdict: null });
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
    expect(elapsed).toBeLessThan(3_000);
  });

  it("does not wait for a deployment that can no longer get a verdict", async () => {
    const { ci, owner, id } = await runningDeployment();
    expect((await owner.json("POST", `/api/deployments/${id}/cancel`)).status).toBe(200);
    const started = Date.now();
    const answer = await (await keyGet(ci, `/deployments/${id}/verdict?wait=30`)).json<VerdictBody>();
    expect(answer).toMatchObject({ state: "cancelled", verdict: null });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("stops waiting when the client goes away", async () => {
    const { apiKey, id } = await runningDeployment();
    const client = new AbortController();
    const ctx = createExecutionContext();
    const started = Date.now();
    const sent = new Request(`http://seqpulse.test/deployments/${id}/verdict?wait=30`, {
      headers: { "X-API-Key": apiKey, "CF-Connecting-IP": uniqueClientIp() },
      signal: client.signal,
    });
    const answered = fetchApp(sent, env, ctx);
    setTimeout(() => client.abort(), 300);
    const response = await answered;
    await waitOnExecutionContext(ctx);
    expect((await response.json<VerdictBody>()).verdict).toBeNull();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("limits the waits a key may start: 30 a minute, then 429; reads without a wait still pass", async () => {
    const { ci, id } = await runningDeployment();
    await storeVerdict(id); // each wait answers at once, and still counts
    await startBurstInOneWindow(15);
    for (let wait = 0; wait < 30; wait++) {
      expect((await keyGet(ci, `/deployments/${id}/verdict?wait=5`)).status).toBe(200);
    }
    const refused = await keyGet(ci, `/deployments/${id}/verdict?wait=5`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).not.toBeNull();
    expect((await keyGet(ci, `/deployments/${id}/verdict`)).status).toBe(200);
  });

  it("never reads again once aborted, and stops reading when done or out of time", async () => {
    const reads: number[] = [];
    const counting = async () => reads.push(Date.now());
    const aborted = new AbortController();
    const polling = pollUntil(counting, () => false, {
      waitMs: 10_000,
      intervalMs: 20,
      signal: aborted.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 70));
    aborted.abort();
    await polling;
    const count = reads.length;
    expect(count).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reads.length).toBe(count);

    reads.length = 0;
    expect(
      await pollUntil(counting, (n) => n >= 3, {
        waitMs: 10_000,
        intervalMs: 5,
        signal: new AbortController().signal,
      }),
    ).toBe(3);
    reads.length = 0;
    await pollUntil(counting, () => false, {
      waitMs: 50,
      intervalMs: 20,
      signal: new AbortController().signal,
    });
    expect(reads.length).toBeLessThanOrEqual(4);
  });
});
