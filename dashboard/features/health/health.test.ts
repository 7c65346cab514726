import { describe, expect, it } from "vitest";
import { checkHealth, interpretHealthResponse } from "./health";

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** A fetch that never answers but rejects like a real one when its signal aborts. */
const hangingFetch: typeof fetch = (_input, init) =>
  new Promise((_resolve, reject) => {
    init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
  });

describe("interpretHealthResponse", () => {
  it("reports ok for the Worker's healthy answer", () => {
    expect(interpretHealthResponse(200, { status: "ok", checks: { db: true } })).toEqual({
      kind: "ok",
    });
  });

  it("ignores fields it does not know", () => {
    const body = { status: "ok", checks: { db: true }, version: "1.2.3", uptime: 42 };
    expect(interpretHealthResponse(200, body)).toEqual({ kind: "ok" });
  });

  it("reports the database as failing on 503 with checks.db false", () => {
    expect(interpretHealthResponse(503, { status: "degraded", checks: { db: false } })).toEqual({
      kind: "degraded",
      failingChecks: ["db"],
    });
  });

  it("reports degraded without a named check when the 503 body has no checks", () => {
    expect(interpretHealthResponse(503, { status: "degraded" })).toEqual({
      kind: "degraded",
      failingChecks: [],
    });
  });

  it("never reports ok when a check failed, whatever the status field says", () => {
    expect(interpretHealthResponse(200, { status: "ok", checks: { db: false } }).kind).toBe("error");
  });

  it.each([
    ["a 200 without status", 200, { checks: { db: true } }],
    ["a 500", 500, { status: "ok" }],
    ["a 503 that is not degraded", 503, { status: "ok", checks: { db: true } }],
    ["a non-object body", 200, "ok"],
    ["an array body", 200, [{ status: "ok" }]],
    ["a null body", 200, null],
  ])("treats %s as an unexpected response", (_name, status, body) => {
    expect(interpretHealthResponse(status, body)).toEqual({
      kind: "error",
      reason: "unexpected-response",
    });
  });
});

describe("checkHealth", () => {
  it("requests /health without cache and interprets the answer", async () => {
    const requests: { url: string; init: RequestInit | undefined }[] = [];
    const fakeFetch: typeof fetch = async (input, init) => {
      requests.push({ url: String(input), init });
      return jsonResponse(503, { status: "degraded", checks: { db: false } });
    };
    await expect(checkHealth({ fetch: fakeFetch })).resolves.toEqual({
      kind: "degraded",
      failingChecks: ["db"],
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe("/health");
    expect(requests[0]?.init?.cache).toBe("no-store");
  });

  it("reports a timeout when the server does not answer in time", async () => {
    const started = Date.now();
    await expect(checkHealth({ fetch: hangingFetch, timeoutMs: 50 })).resolves.toEqual({
      kind: "error",
      reason: "timeout",
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("reports a network error when the request fails", async () => {
    const failingFetch: typeof fetch = async () => {
      throw new TypeError("Failed to fetch");
    };
    await expect(checkHealth({ fetch: failingFetch })).resolves.toEqual({
      kind: "error",
      reason: "network",
    });
  });

  it("reports an unexpected response when the body is not JSON", async () => {
    const htmlFetch: typeof fetch = async () =>
      new Response("<!doctype html><title>Not found</title>", { status: 200 });
    await expect(checkHealth({ fetch: htmlFetch })).resolves.toEqual({
      kind: "error",
      reason: "unexpected-response",
    });
  });

  it("stops waiting when the caller aborts", async () => {
    const controller = new AbortController();
    const pending = checkHealth({ fetch: hangingFetch, signal: controller.signal });
    controller.abort();
    await expect(pending).resolves.toEqual({ kind: "error", reason: "network" });
  });
});
