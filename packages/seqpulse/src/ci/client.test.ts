import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CiServer, startCiServer } from "../../test/ci-server";
import { createCIClient, SeqPulseError } from "./client";

let server: CiServer;
beforeAll(async () => {
  server = await startCiServer();
});
afterAll(() => server.close());

const clientFor = (apiKey = "sp_test_key") =>
  createCIClient({ baseUrl: server.url, apiKey, timeoutMs: 2000, retries: 2, retryDelayMs: 10 });

describe("createCIClient", () => {
  it("triggers with the key and the idempotency key, finishes, and waits for the verdict", async () => {
    server.set({ verdict: "warning", pendingPolls: 1 });
    const client = clientFor();
    const { deploymentId } = await client.trigger({
      env: "prod",
      branch: "main",
      idempotencyKey: "run-1:prod",
    });
    expect(server.received[0]?.headers["x-idempotency-key"]).toBe("run-1:prod");
    expect(server.received[0]?.body).toEqual({ env: "prod", branch: "main" });
    expect(await client.finish({ deploymentId, result: "success" })).toMatchObject({ status: "accepted" });
    const progress: string[] = [];
    const verdict = await client.waitForVerdict(deploymentId, {
      timeoutMs: 10_000,
      minRoundMs: 10,
      onProgress: (deployment) => progress.push(deployment.state),
    });
    expect(verdict).toMatchObject({ verdict: "warning", deployment_id: deploymentId });
    expect(verdict.findings).toHaveLength(1);
    expect(progress).toEqual(["finished"]);
    expect(server.received.some((r) => /\/verdict\?wait=\d+$/.test(r.path))).toBe(true);
  });

  it("retries 5xx answers with the same idempotency key", async () => {
    server.set({ verdict: "ok", failFirst: { count: 2, status: 503 } });
    const { deploymentId } = await clientFor().trigger({ env: "prod", idempotencyKey: "k" });
    expect(deploymentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.received).toHaveLength(3);
    expect(new Set(server.received.map((r) => r.headers["x-idempotency-key"]))).toEqual(new Set(["k"]));
  });

  it("gives up after the retries, as unreachable", async () => {
    server.set({ verdict: "ok", failFirst: { count: 10, status: 502 } });
    const error = await clientFor()
      .trigger({ env: "prod" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeqPulseError);
    expect((error as SeqPulseError).unreachable).toBe(true);
    expect(server.received).toHaveLength(3);
  });

  it("retries a 429 after its Retry-After", async () => {
    server.set({ verdict: "ok", failFirst: { count: 1, status: 429, retryAfter: 1 } });
    const started = Date.now();
    await clientFor().trigger({ env: "prod" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.received).toHaveLength(2);
  });

  it("never retries a 4xx", async () => {
    server.set({ verdict: "ok" });
    const error = await clientFor("sp_wrong")
      .trigger({ env: "prod" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, code: "UNAUTHENTICATED", unreachable: false });
    expect(server.received).toHaveLength(1);
  });

  it("reports a server that does not listen as unreachable", async () => {
    const client = createCIClient({
      baseUrl: "http://127.0.0.1:9",
      apiKey: "sp_x",
      retries: 1,
      retryDelayMs: 1,
    });
    const error = await client.getDeployment("x").catch((e: unknown) => e);
    expect(error).toMatchObject({ status: null, code: "NETWORK", unreachable: true });
  });
});
