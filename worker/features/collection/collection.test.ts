import { describe, expect, it, vi } from "vitest";
import { healthy, StandInApp } from "../../../test/metrics-app";
import { fetchMetrics } from "./fetch-metrics";
import { canonicalPath, hmacTimestamp, signature, signedHeaders } from "./hmac";
import { checkOutboundUrl, isInternalHost } from "./outbound-url";

describe("HMAC v2 signing", () => {
  it("canonicalises the path as the SDKs do", () => {
    expect(canonicalPath("https://a.com")).toBe("/");
    expect(canonicalPath("https://a.com/ds-metrics/")).toBe("/ds-metrics");
    expect(canonicalPath("https://a.com:8443/a/b?x=1")).toBe("/a/b");
  });

  it("signs `<timestamp>|GET|<path>|<nonce>` with HMAC-SHA256 keyed by the secret string", async () => {
    // Computed independently: printf '2026-02-19T10:00:00Z|GET|/seqpulse-metrics|abc' | openssl dgst -sha256 -hmac spm_test
    expect(await signature("spm_test", "2026-02-19T10:00:00Z|GET|/seqpulse-metrics|abc")).toBe(
      "sha256=a2ede082164cf432b5ce59b50dbc3ddd1bb18b2f7bb2dd722c9e342afde9d1e6",
    );
  });

  it("sends every v2 header", async () => {
    const now = new Date("2026-02-19T10:00:00.789Z");
    const headers = await signedHeaders({
      secret: "spm_test",
      url: "http://app.example:3001/seqpulse-metrics/",
      projectId: "p-1",
      now,
      nonce: "abc",
    });
    expect(hmacTimestamp(now)).toBe("2026-02-19T10:00:00Z");
    expect(headers).toEqual({
      "X-SeqPulse-Timestamp": "2026-02-19T10:00:00Z",
      "X-SeqPulse-Nonce": "abc",
      "X-SeqPulse-Signature": "sha256=a2ede082164cf432b5ce59b50dbc3ddd1bb18b2f7bb2dd722c9e342afde9d1e6",
      "X-SeqPulse-Signature-Version": "v2",
      "X-SeqPulse-Canonical-Path": "/seqpulse-metrics",
      "X-SeqPulse-Method": "GET",
      "X-SeqPulse-Nonce-TTL": "330",
      "X-SeqPulse-Project-Id": "p-1",
    });
  });
});

describe("outbound URL policy", () => {
  it.each([
    "http://127.0.0.1:8080/m",
    "http://localhost/m",
    "http://10.1.2.3/m",
    "http://172.20.0.1/m",
    "http://192.168.1.1/m",
    "http://169.254.169.254/latest/meta-data",
    "http://[::1]/m",
    "http://[fd00::1]/m",
    "http://[fe80::1]/m",
    "http://[::ffff:127.0.0.1]/m",
    "http://0.0.0.0/m",
    "http://metadata.internal/m",
  ])("refuses %s in production", (url) => {
    expect(checkOutboundUrl(url, { allowPrivateTargets: false }).ok).toBe(false);
    expect(checkOutboundUrl(url, { allowPrivateTargets: true }).ok).toBe(true);
  });

  // URL parsing turns every IPv4 spelling into a dotted quad; the other forms reach the same
  // hosts through a trailing dot or an IPv6 address that carries an IPv4 one.
  it.each([
    "http://2130706433/m",
    "http://0x7f.1/m",
    "http://127.1/m",
    "http://127.0.0.1./m",
    "http://localhost./m",
    "http://app.localhost./m",
    "http://metadata.google.internal./m",
    "http://[::127.0.0.1]/m",
    "http://[::ffff:0:127.0.0.1]/m",
    "http://[::ffff:169.254.169.254]/m",
    "http://[64:ff9b::127.0.0.1]/m",
    "http://[64:ff9b::a9fe:a9fe]/m",
    "http://[2002:7f00:1::]/m",
    "http://[2002:c0a8:101::1]/m",
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/m",
    "http://[fec0::1]/m",
    "http://[100::1]/m",
    "http://[ff02::1]/m",
  ])("refuses %s in production (other spellings of internal hosts)", (url) => {
    expect(checkOutboundUrl(url, { allowPrivateTargets: false }).ok).toBe(false);
  });

  it.each([
    ["http://intranet/m", "no dot"],
    ["http://metrics./m", "no dot"],
    ["http://example.com../m", "repeated dots"],
    ["http://a..example.com/m", "repeated dots"],
  ])("refuses the host name of %s in production (%s)", (url) => {
    const result = checkOutboundUrl(url, { allowPrivateTargets: false });
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ reason: expect.stringMatching(/host name/) });
    expect(checkOutboundUrl(url, { allowPrivateTargets: true }).ok).toBe(true);
  });

  it("refuses port 0, however spelled", () => {
    for (const url of ["http://example.com:0/m", "https://example.com:000/m", "http://127.0.0.1:0/m"]) {
      expect(checkOutboundUrl(url, { allowPrivateTargets: false }), url).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/port 0/),
      });
      expect(checkOutboundUrl(url, { allowPrivateTargets: true }).ok, url).toBe(false);
    }
  });

  it.each([
    "http://[2606:4700:4700::1111]/m",
    "http://[::ffff:8.8.8.8]/m",
    "http://[64:ff9b::8.8.8.8]/m",
    "http://[2002:808:808::1]/m",
    "https://example.com./m",
  ])("accepts the public address %s", (url) => {
    expect(checkOutboundUrl(url, { allowPrivateTargets: false }).ok).toBe(true);
  });

  it("accepts public http(s) URLs and keeps their port", () => {
    expect(
      checkOutboundUrl("https://api.example.com:3001/ds-metrics#x", { allowPrivateTargets: false }),
    ).toEqual({
      ok: true,
      url: "https://api.example.com:3001/ds-metrics",
    });
    expect(isInternalHost("8.8.8.8")).toBe(false);
  });

  it("refuses other schemes and credentials", () => {
    for (const url of ["ftp://a.com/m", "file:///etc/passwd", "https://user:pw@a.com/m", "not a url"]) {
      expect(checkOutboundUrl(url, { allowPrivateTargets: true }).ok, url).toBe(false);
    }
  });
});

describe("fetchMetrics against the stand-in application", () => {
  const fetchFrom = (app: StandInApp, secrets: { current: string; previous: string | null } | null = null) =>
    fetchMetrics({
      url: app.endpoint,
      projectId: "p-1",
      secrets,
      allowPrivateTargets: true,
      timeoutMs: 1000,
    });

  it("reads and validates the five metrics, numeric strings included", async () => {
    const app = new StandInApp();
    await app.configure({ responses: [{ metrics: { ...healthy, latency_p95: "210.5" } }] });
    expect(await fetchFrom(app)).toEqual({
      ok: true,
      usedPreviousSecret: false,
      values: { requestsPerSec: 120, latencyP95: 210.5, errorRate: 0.002, cpuUsage: 0.45, memoryUsage: 0.55 },
    });
  });

  it("signs requests the application accepts, and reports a wrong secret as HMAC_REFUSED", async () => {
    const app = new StandInApp();
    await app.configure({ secret: "spm_right" });
    expect((await fetchFrom(app, { current: "spm_right", previous: null })).ok).toBe(true);
    const refused = await fetchFrom(app, { current: "spm_wrong", previous: null });
    expect(refused).toMatchObject({ ok: false, code: "HMAC_REFUSED", httpStatus: 401 });
    // Refused twice: the second request, freshly signed, rules out a replayed nonce.
    expect((await app.stats()).rejected).toEqual([
      { reason: "invalid signature" },
      { reason: "invalid signature" },
    ]);
  });

  it("falls back to the previous secret during a rotation's grace period", async () => {
    const app = new StandInApp();
    await app.configure({ secret: "spm_old" });
    expect(await fetchFrom(app, { current: "spm_new", previous: "spm_old" })).toMatchObject({
      ok: true,
      usedPreviousSecret: true,
    });
  });

  it.each([
    [{ status: 503 }, "ENDPOINT_HTTP_STATUS"],
    [{ redirect: "http://127.0.0.1:1/elsewhere" }, "ENDPOINT_HTTP_STATUS"],
    [{ body: "not metrics" }, "BAD_PAYLOAD"],
    [{ metrics: { ...healthy, error_rate: 7 } }, "BAD_PAYLOAD"],
    [{ metrics: { ...healthy, cpu_usage: undefined } }, "BAD_PAYLOAD"],
    [{ delayMs: 3000, metrics: healthy }, "ENDPOINT_TIMEOUT"],
  ])("reports %j as %s", async (response, code) => {
    const app = new StandInApp();
    await app.configure({ responses: [response as never] });
    expect(await fetchFrom(app)).toMatchObject({ ok: false, code });
  });

  it("counts the body in the timeout: a body trickled past it is ENDPOINT_TIMEOUT, not BAD_PAYLOAD", async () => {
    const app = new StandInApp();
    await app.configure({ responses: [{ trickleMs: 3000, metrics: healthy }] });
    const started = Date.now();
    expect(await fetchFrom(app)).toMatchObject({ ok: false, code: "ENDPOINT_TIMEOUT" });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("reports a connection reset as ENDPOINT_UNREACHABLE, each request with its own nonce", async () => {
    const app = new StandInApp();
    // The first scrape leaves a kept-alive connection; the second is reset on it.
    await app.configure({
      secret: "spm_right",
      responses: [{ metrics: healthy }, { reset: true }, { metrics: healthy }],
    });
    const secrets = { current: "spm_right", previous: null };
    expect(await fetchFrom(app, secrets)).toMatchObject({ ok: true });
    expect(await fetchFrom(app, secrets)).toMatchObject({ ok: false, code: "ENDPOINT_UNREACHABLE" });
    expect(await fetchFrom(app, secrets)).toMatchObject({ ok: true });
    const { nonces, rejected } = await app.stats();
    expect(nonces).toHaveLength(3);
    expect(new Set(nonces).size).toBe(3);
    expect(rejected).toEqual([]);
  });

  it("does not call a replayed request's refusal a wrong secret: a freshly signed request follows", async () => {
    // An HTTP client that, as connection pools do on a reset keep-alive connection, sends the
    // very same request again: the application has already spent its nonce and answers 401.
    const realFetch = globalThis.fetch;
    const replaying = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      try {
        return await realFetch(input, init);
      } catch {
        return realFetch(input, init);
      }
    });
    try {
      const app = new StandInApp();
      await app.configure({ secret: "spm_right", responses: [{ reset: true }, { metrics: healthy }] });
      expect(await fetchFrom(app, { current: "spm_right", previous: null })).toMatchObject({ ok: true });
      const { nonces, rejected } = await app.stats();
      expect(rejected).toEqual([{ reason: "nonce reuse" }]);
      // The replay repeated the first nonce; our second request carried a new one.
      expect(nonces).toHaveLength(3);
      expect(nonces[1]).toBe(nonces[0]);
      expect(nonces[2]).not.toBe(nonces[0]);

      const wrong = new StandInApp();
      await wrong.configure({ secret: "spm_right" });
      expect(await fetchFrom(wrong, { current: "spm_wrong", previous: null })).toMatchObject({
        ok: false,
        code: "HMAC_REFUSED",
      });
    } finally {
      replaying.mockRestore();
    }
  });

  it("names the bad field", async () => {
    const app = new StandInApp();
    await app.configure({ responses: [{ metrics: { ...healthy, error_rate: 2 } }] });
    expect(await fetchFrom(app)).toMatchObject({
      ok: false,
      code: "BAD_PAYLOAD",
      field: "metrics.error_rate",
    });
  });

  it("reports a closed port as ENDPOINT_UNREACHABLE and a private URL in production as not allowed", async () => {
    const closed = await fetchMetrics({
      url: "http://127.0.0.1:1/m",
      projectId: "p",
      secrets: null,
      allowPrivateTargets: true,
    });
    expect(closed).toMatchObject({ ok: false, code: "ENDPOINT_UNREACHABLE" });
    const app = new StandInApp();
    const production = await fetchMetrics({
      url: app.endpoint,
      projectId: "p",
      secrets: null,
      allowPrivateTargets: false,
    });
    expect(production).toMatchObject({ ok: false, code: "ENDPOINT_NOT_ALLOWED" });
    expect((await app.stats()).requests).toBe(0);
  });
});
