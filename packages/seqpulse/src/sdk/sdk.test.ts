import { execFileSync } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchMetrics } from "../../../../worker/features/collection/fetch-metrics";
import { seqpulsePlugin } from "./fastify";
import { withSeqPulse } from "./fetch";
import { seqpulse as honoMiddleware } from "./hono";
import { instrument, metrics } from "./node";
import { SeqPulse } from "./seqpulse";

const SECRET = "spm_test_secret_0123456789";
const PROJECT = "7a0b7f4c-2f0e-4c55-9d7d-3f1f2d0b9a11";

async function serve(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An application instrumented with the SDK (node:http), serving 500s on /fail. */
function application(sdk: SeqPulse): http.RequestListener {
  return instrument((request, response) => {
    response.statusCode = request.url === "/fail" ? 500 : 200;
    response.end("hello");
  }, sdk);
}

describe("the SDK scraped by the product's collector", () => {
  let app: { url: string; close: () => Promise<void> };
  const sdk = new SeqPulse({ hmacEnabled: true, hmacSecret: SECRET });
  beforeAll(async () => {
    app = await serve(application(sdk));
    for (let i = 0; i < 18; i++) await fetch(`${app.url}/`);
    for (let i = 0; i < 2; i++) await fetch(`${app.url}/fail`);
  });
  afterAll(() => app.close());

  it("serves the five metrics, HMAC-verified, in the contract's shape", async () => {
    const result = await fetchMetrics({
      url: `${app.url}/seqpulse-metrics/`,
      projectId: PROJECT,
      secrets: { current: SECRET, previous: null },
      allowPrivateTargets: true,
    });
    expect(result).toMatchObject({ ok: true, usedPreviousSecret: false });
    if (!result.ok) return;
    expect(result.values.errorRate).toBeCloseTo(0.1);
    expect(result.values.requestsPerSec).toBeGreaterThan(0);
    expect(result.values.latencyP95).toBeGreaterThanOrEqual(0);
    expect(result.values.cpuUsage).toBeGreaterThanOrEqual(0);
    expect(result.values.cpuUsage).toBeLessThanOrEqual(1);
    expect(result.values.memoryUsage).toBeGreaterThan(0);
    expect(result.values.memoryUsage).toBeLessThanOrEqual(1);
  });

  it("refuses a wrong secret, and an unsigned scrape", async () => {
    const wrong = await fetchMetrics({
      url: `${app.url}/seqpulse-metrics`,
      projectId: PROJECT,
      secrets: { current: "spm_not_the_secret", previous: null },
      allowPrivateTargets: true,
    });
    expect(wrong).toMatchObject({ ok: false, code: "HMAC_REFUSED", httpStatus: 401 });
    const unsigned = await fetchMetrics({
      url: `${app.url}/seqpulse-metrics`,
      projectId: PROJECT,
      secrets: null,
      allowPrivateTargets: true,
    });
    expect(unsigned).toMatchObject({ ok: false, code: "ENDPOINT_HTTP_STATUS", httpStatus: 401 });
  });

  it("does not count the scrapes as traffic", async () => {
    const before = sdk.metrics().error_rate;
    for (let i = 0; i < 5; i++) await fetch(`${app.url}/seqpulse-metrics`);
    expect(sdk.metrics().error_rate).toBe(before);
  });
});

/** The signature computed by an independent implementation: `openssl dgst -sha256 -hmac`. */
function opensslSignature(secret: string, message: string): string {
  const out = execFileSync("openssl", ["dgst", "-sha256", "-hmac", secret], { input: message }).toString();
  const hex = /([0-9a-f]{64})\s*$/.exec(out.trim())?.[1];
  if (!hex) throw new Error(`Unexpected openssl output: ${out}`);
  return `sha256=${hex}`;
}

function timestampAt(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function signedByOpenssl(path: string, offsetSeconds: number, nonce: string): Record<string, string> {
  const timestamp = timestampAt(Date.now() + offsetSeconds * 1000);
  return {
    "X-SeqPulse-Timestamp": timestamp,
    "X-SeqPulse-Nonce": nonce,
    "X-SeqPulse-Signature": opensslSignature(SECRET, `${timestamp}|GET|${path}|${nonce}`),
    "X-SeqPulse-Signature-Version": "v2",
    "X-SeqPulse-Canonical-Path": path,
    "X-SeqPulse-Method": "GET",
    "X-SeqPulse-Project-Id": PROJECT,
  };
}

describe("the SDK's verification against openssl signatures", () => {
  let app: { url: string; close: () => Promise<void> };
  const rejections: string[] = [];
  beforeAll(async () => {
    const sdk = new SeqPulse({
      hmacEnabled: true,
      hmacSecret: SECRET,
      endpoint: "/ds-metrics",
      onRejected: (reason) => rejections.push(reason),
    });
    app = await serve(application(sdk));
  });
  afterAll(() => app.close());
  const scrape = (headers: Record<string, string>) => fetch(`${app.url}/ds-metrics`, { headers });

  it("accepts a valid signature once, and refuses its replay", async () => {
    const headers = signedByOpenssl("/ds-metrics", 0, "bm9uY2Utb25lLW9mLXR3bw");
    const first = await scrape(headers);
    expect(first.status).toBe(200);
    expect(Object.keys(((await first.json()) as { metrics: object }).metrics).sort()).toEqual([
      "cpu_usage",
      "error_rate",
      "latency_p95",
      "memory_usage",
      "requests_per_sec",
    ]);
    const replay = await scrape(headers);
    expect(replay.status).toBe(401);
    expect(await replay.text()).toBe('{"error":"unauthorized"}');
    expect(rejections.at(-1)).toBe("nonce reuse");
  });

  it("accepts a timestamp within the allowed skew", async () => {
    expect((await scrape(signedByOpenssl("/ds-metrics", -280, "within-past-skew"))).status).toBe(200);
    expect((await scrape(signedByOpenssl("/ds-metrics", 20, "within-future-skew"))).status).toBe(200);
  });

  it("refuses a skewed timestamp", async () => {
    expect((await scrape(signedByOpenssl("/ds-metrics", -301, "too-old"))).status).toBe(401);
    expect(rejections.at(-1)).toBe("timestamp too old");
    expect((await scrape(signedByOpenssl("/ds-metrics", 32, "too-new"))).status).toBe(401);
    expect(rejections.at(-1)).toBe("timestamp in the future");
  });

  it("refuses a signature for another path, or with another secret", async () => {
    const headers = signedByOpenssl("/other", 0, "other-path");
    headers["X-SeqPulse-Canonical-Path"] = "/ds-metrics";
    expect((await scrape(headers)).status).toBe(401);
    expect(rejections.at(-1)).toBe("invalid signature");
    const timestamp = timestampAt(Date.now());
    const forged = signedByOpenssl("/ds-metrics", 0, "forged");
    forged["X-SeqPulse-Signature"] = opensslSignature("spm_other", `${timestamp}|GET|/ds-metrics|forged`);
    expect((await scrape(forged)).status).toBe(401);
  });

  it("refuses a request without the signature headers or with another version", async () => {
    expect((await scrape({})).status).toBe(401);
    expect(rejections.at(-1)).toBe("missing headers");
    const v1 = signedByOpenssl("/ds-metrics", 0, "version-one");
    v1["X-SeqPulse-Signature-Version"] = "v1";
    expect((await scrape(v1)).status).toBe(401);
  });
});

describe("adapters", () => {
  it("Express-style middleware passes other requests on and serves the endpoint", async () => {
    const sdk = new SeqPulse({ hmacEnabled: false });
    const middleware = metrics(sdk);
    const app = await serve((request, response) =>
      middleware(request, response, () => {
        response.statusCode = 503;
        response.end();
      }),
    );
    try {
      expect((await fetch(`${app.url}/api`)).status).toBe(503);
      const answer = (await (await fetch(`${app.url}/seqpulse-metrics`)).json()) as {
        metrics: { error_rate: number };
      };
      expect(answer.metrics.error_rate).toBe(1);
      expect((await fetch(`${app.url}/seqpulse-metrics`, { method: "POST" })).status).toBe(405);
    } finally {
      await app.close();
    }
  });

  it("Hono middleware measures handlers, thrown errors included", async () => {
    const sdk = new SeqPulse({ hmacEnabled: false });
    const app = new Hono();
    app.use(honoMiddleware(sdk));
    app.onError((_, c) => c.text("failed", 500));
    app.get("/ok", (c) => c.text("ok"));
    app.get("/boom", () => {
      throw new Error("boom");
    });
    expect((await app.request("/ok")).status).toBe(200);
    expect((await app.request("/boom")).status).toBe(500);
    const answer = await app.request("/seqpulse-metrics");
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { metrics: { error_rate: number } }).metrics.error_rate).toBe(0.5);
    expect(sdk.metrics().requests_per_sec).toBeGreaterThan(0);
  });

  it("the fetch wrapper verifies signatures with options read from env", async () => {
    const handler = withSeqPulse(
      async () => new Response("hi"),
      (env: { SECRET: string }) => ({ hmacEnabled: true, hmacSecret: env.SECRET }),
    );
    const env = { SECRET };
    expect((await handler(new Request("http://app.test/x"), env, {})).status).toBe(200);
    const unsigned = await handler(new Request("http://app.test/seqpulse-metrics"), env, {});
    expect(unsigned.status).toBe(401);
    const signed = await handler(
      new Request("http://app.test/seqpulse-metrics", {
        headers: signedByOpenssl("/seqpulse-metrics", 0, "fetch-1"),
      }),
      env,
      {},
    );
    expect(signed.status).toBe(200);
    expect(
      ((await signed.json()) as { metrics: { requests_per_sec: number } }).metrics.requests_per_sec,
    ).toBeGreaterThan(0);
  });

  it("refuses HMAC without a secret", () => {
    expect(() => new SeqPulse({ hmacEnabled: true, hmacSecret: "" })).toThrow(/hmacSecret/);
  });
});

describe("frameworks", () => {
  it("Express: measures the routes and serves the endpoint", async () => {
    const sdk = new SeqPulse({ hmacEnabled: true, hmacSecret: SECRET });
    const app = express();
    app.use(metrics(sdk));
    app.get("/ok", (_request, response) => {
      response.send("ok");
    });
    app.get("/fail", (_request, response) => {
      response.status(502).send("bad gateway");
    });
    const server = await serve(app);
    try {
      await fetch(`${server.url}/ok`);
      await fetch(`${server.url}/fail`);
      await fetch(`${server.url}/ok`);
      await fetch(`${server.url}/ok`);
      const result = await fetchMetrics({
        url: `${server.url}/seqpulse-metrics`,
        projectId: PROJECT,
        secrets: { current: SECRET, previous: null },
        allowPrivateTargets: true,
      });
      expect(result).toMatchObject({ ok: true, values: { errorRate: 0.25 } });
    } finally {
      await server.close();
    }
  });

  it("Fastify: the plugin's hooks reach routes outside its context", async () => {
    const sdk = new SeqPulse({ hmacEnabled: true, hmacSecret: SECRET });
    const app = Fastify();
    await app.register(seqpulsePlugin, { instance: sdk });
    app.get("/ok", async () => "ok");
    app.get("/fail", async () => {
      throw new Error("boom");
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as AddressInfo;
    try {
      expect((await fetch(`http://127.0.0.1:${port}/ok`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/fail`)).status).toBe(500);
      const result = await fetchMetrics({
        url: `http://127.0.0.1:${port}/seqpulse-metrics`,
        projectId: PROJECT,
        secrets: { current: SECRET, previous: null },
        allowPrivateTargets: true,
      });
      expect(result).toMatchObject({ ok: true, values: { errorRate: 0.5 } });
      const unsigned = await fetch(`http://127.0.0.1:${port}/seqpulse-metrics`);
      expect(unsigned.status).toBe(401);
    } finally {
      await app.close();
    }
  });
});
