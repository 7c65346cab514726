import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { fetchApp, request, uniqueClientIp, until } from "../../../test/helpers";
import { healthy } from "../../../test/metrics-app";
import { drainLeftoverJobs, runDeployment } from "../../../test/pipeline";
import { MAX_SERIES } from "../../durable-objects/metrics-store";
import type { SeriesIncrement } from "../../lib/metric-series";
import { escapeLabelValue, renderExposition } from "./exposition";

const token = env.METRICS_TOKEN;
const scrape = (authorization: string | null = `Bearer ${token}`) =>
  request("/metrics", { headers: authorization ? { Authorization: authorization } : {} });

async function scrapeText(): Promise<string> {
  const response = await scrape();
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one sample (`name{labels}` exactly as exposed), 0 when absent. */
function sampleValue(text: string, series: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

async function grows(series: string, before: number, by: number): Promise<string> {
  return until(
    async () => {
      const text = await scrapeText();
      return sampleValue(text, series) >= before + by ? text : null;
    },
    `${series} to grow by ${by}`,
    100,
  );
}

describe("GET /metrics: who may scrape", () => {
  it("answers 401 without a token, with a wrong one, and to other credentials", async () => {
    for (const authorization of [null, "Bearer wrong", `Bearer ${token}x`, `Basic ${btoa(`x:${token}`)}`]) {
      const response = await scrape(authorization);
      expect(response.status).toBe(401);
      expect((await response.json<{ error: { code: string } }>()).error.code).toBe("UNAUTHENTICATED");
    }
  });

  it("answers 404 to everyone when METRICS_TOKEN is unset: metrics are off", async () => {
    for (const authorization of ["Bearer anything", "Bearer ", ""]) {
      const ctx = createExecutionContext();
      const response = await fetchApp(
        new Request("http://seqpulse.test/metrics", { headers: { Authorization: authorization } }),
        { ...env, METRICS_TOKEN: "" },
        ctx,
      );
      await waitOnExecutionContext(ctx);
      expect(response.status).toBe(404);
    }
  });

  it("serves the text format 0.0.4 with HELP and TYPE for every family", async () => {
    const response = await scrape();
    expect(response.headers.get("Content-Type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const text = await response.text();
    for (const family of [
      "seqpulse_http_requests_total counter",
      "seqpulse_http_request_duration_seconds histogram",
      "seqpulse_analysis_verdict_total counter",
      "seqpulse_scheduler_jobs_pending gauge",
      "seqpulse_metrics_source_up gauge",
    ]) {
      expect(text).toContain(`# TYPE ${family}\n`);
    }
    expect(sampleValue(text, 'seqpulse_metrics_source_up{source="store"}')).toBe(1);
    expect(sampleValue(text, 'seqpulse_metrics_source_up{source="database"}')).toBe(1);
    expect(text.endsWith("\n")).toBe(true);
  });
});

describe("GET /metrics: HTTP requests", () => {
  it("counts answers by route template and status, and never itself", async () => {
    const series = 'seqpulse_http_requests_total{method="GET",path="/health/live",status_code="200"}';
    const before = sampleValue(await scrapeText(), series);
    for (let i = 0; i < 3; i++) expect((await request("/health/live")).status).toBe(200);
    const text = await grows(series, before, 3);
    expect(text).toContain(
      'seqpulse_http_request_duration_seconds_bucket{method="GET",path="/health/live",le="+Inf"}',
    );
    expect(text).not.toContain('path="/metrics"');
  });

  it("labels hostile and unknown paths with their template or __unmatched__, never the raw path", async () => {
    const id = crypto.randomUUID();
    const ip = uniqueClientIp();
    const projectSeries =
      'seqpulse_http_requests_total{method="GET",path="/api/projects/:id",status_code="401"}';
    const unmatched = 'seqpulse_http_requests_total{method="GET",path="__unmatched__",status_code="404"}';
    const first = await scrapeText();
    const [projectBefore, unmatchedBefore] = [
      sampleValue(first, projectSeries),
      sampleValue(first, unmatched),
    ];
    expect((await request(`/api/projects/${id}`, { headers: { "CF-Connecting-IP": ip } })).status).toBe(401);
    expect((await request(`/nope-${id}/<script>"`)).status).toBe(404);
    const nul = await request("/x%00y");
    expect(nul.status).toBeGreaterThanOrEqual(400);
    expect(nul.status).toBeLessThan(500);
    await grows(projectSeries, projectBefore, 1);
    const text = await grows(unmatched, unmatchedBefore, 1);
    expect(text).not.toContain(id);
    expect(text).not.toContain("x%00y");
    expect(text).not.toContain("<script>");
    expect(text).not.toContain("\u0000");
  });

  it("loses no increment when many requests end at once", async () => {
    const series = 'seqpulse_http_requests_total{method="GET",path="/health/live",status_code="200"}';
    const before = sampleValue(await scrapeText(), series);
    const answers = await Promise.all(Array.from({ length: 40 }, () => request("/health/live")));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const text = await grows(series, before, 40);
    expect(sampleValue(text, series)).toBe(before + 40);
  });

  it("still answers, with the database gauges left out, when the database is down", async () => {
    const ctx = createExecutionContext();
    const response = await fetchApp(
      new Request("http://seqpulse.test/metrics", { headers: { Authorization: `Bearer ${token}` } }),
      { ...env, DATABASE_URL: "postgres://postgres@127.0.0.1:1/postgres" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(sampleValue(text, 'seqpulse_metrics_source_up{source="database"}')).toBe(0);
    expect(sampleValue(text, 'seqpulse_metrics_source_up{source="store"}')).toBe(1);
    expect(text).not.toContain("seqpulse_scheduler_jobs_pending");
    expect(text).toContain("# TYPE seqpulse_http_requests_total counter");
  });

  it("counts an unknown method as OTHER", async () => {
    const series = 'seqpulse_http_requests_total{method="OTHER",path="__unmatched__",status_code="404"}';
    const before = sampleValue(await scrapeText(), series);
    const response = await request("/health/live", { method: "PROPFIND" });
    expect(response.status).toBeGreaterThanOrEqual(400);
    const text = await until(
      async () => {
        const current = await scrapeText();
        return current.includes('method="OTHER"') ? current : null;
      },
      "an OTHER method",
      100,
    );
    expect(text).not.toContain("PROPFIND");
    expect(sampleValue(text, series)).toBeGreaterThanOrEqual(before);
  });
});

describe("GET /metrics: analysis and scheduler", () => {
  beforeAll(() => drainLeftoverJobs());

  it("counts a verdict reached through the real pipeline, its samples and its jobs", async () => {
    const verdict = 'seqpulse_analysis_verdict_total{verdict="ok",created="true"}';
    const pre = 'seqpulse_metrics_collected_total{phase="pre"}';
    const post = 'seqpulse_metrics_collected_total{phase="post"}';
    const first = await scrapeText();
    await runDeployment({ window: 3, responses: [{ metrics: healthy }] });
    const text = await grows(verdict, sampleValue(first, verdict), 1);
    expect(sampleValue(text, pre)).toBeGreaterThanOrEqual(sampleValue(first, pre) + 1);
    expect(sampleValue(text, post)).toBeGreaterThanOrEqual(sampleValue(first, post) + 3);
    expect(sampleValue(text, 'seqpulse_analysis_duration_seconds_count{outcome="ok"}')).toBeGreaterThan(0);
    expect(
      sampleValue(
        text,
        'seqpulse_analysis_verdict_hint_consistency_total{verdict="ok",consistency="consistent"}',
      ),
    ).toBeGreaterThan(0);
    expect(
      sampleValue(text, 'seqpulse_analysis_last_verdict_timestamp_seconds{verdict="ok",created="true"}'),
    ).toBeGreaterThan(1_700_000_000);
    expect(
      sampleValue(text, 'seqpulse_scheduler_job_start_delay_seconds_count{job_type="collect_sample"}'),
    ).toBeGreaterThan(0);
    expect(sampleValue(text, "seqpulse_scheduler_sweeps_total")).toBeGreaterThan(0);
    expect(text).toMatch(/^seqpulse_scheduler_jobs_pending \d+$/m);
    expect(text).toMatch(/^seqpulse_scheduler_last_sweep_timestamp_seconds \d/m);
  });
});

describe("the text format", () => {
  it("escapes backslashes, double quotes and line feeds in label values and help", () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const text = renderExposition(
      [
        {
          family: "seqpulse_webhook_deliveries_total",
          labels: JSON.stringify([["result", 'x"\n\\']]),
          value: 2,
        },
      ],
      [],
    );
    expect(text).toContain('seqpulse_webhook_deliveries_total{result="x\\"\\n\\\\"} 2\n');
  });

  it("writes every bucket of a histogram, cumulative, with sum and count", () => {
    const labels = (le: string) =>
      JSON.stringify([
        ["outcome", "ok"],
        ["le", le],
      ]);
    const text = renderExposition(
      [
        { family: "seqpulse_analysis_duration_seconds_bucket", labels: labels("0.25"), value: 1 },
        { family: "seqpulse_analysis_duration_seconds_bucket", labels: labels("+Inf"), value: 2 },
        {
          family: "seqpulse_analysis_duration_seconds_sum",
          labels: JSON.stringify([["outcome", "ok"]]),
          value: 20.2,
        },
        {
          family: "seqpulse_analysis_duration_seconds_count",
          labels: JSON.stringify([["outcome", "ok"]]),
          value: 2,
        },
      ],
      [],
    );
    const lines = text.split("\n").filter((line) => line.startsWith("seqpulse_analysis_duration_seconds"));
    expect(lines).toEqual([
      'seqpulse_analysis_duration_seconds_bucket{outcome="ok",le="0.05"} 0',
      'seqpulse_analysis_duration_seconds_bucket{outcome="ok",le="0.1"} 0',
      'seqpulse_analysis_duration_seconds_bucket{outcome="ok",le="0.25"} 1',
      'seqpulse_analysis_duration_seconds_bucket{outcome="ok",le="0.5"} 1',
      'seqpulse_analysis_duration_seconds_bucket{outcome="ok",le="1"} 1',
      'seqpulse_analysis_duration_seconds_bucket{outcome="ok",le="2"} 1',
      'seqpulse_analysis_duration_seconds_bucket{outcome="ok",le="5"} 1',
      'seqpulse_analysis_duration_seconds_bucket{outcome="ok",le="10"} 1',
      'seqpulse_analysis_duration_seconds_bucket{outcome="ok",le="+Inf"} 2',
      'seqpulse_analysis_duration_seconds_sum{outcome="ok"} 20.2',
      'seqpulse_analysis_duration_seconds_count{outcome="ok"} 2',
    ]);
  });
});

describe("MetricsStore", () => {
  const fresh = () => env.METRICS_STORE.get(env.METRICS_STORE.idFromName(`test:${crypto.randomUUID()}`));
  const series = (i: number, mode: "add" | "max" = "add", value = 1): SeriesIncrement => ({
    family: "seqpulse_webhook_deliveries_total",
    labels: JSON.stringify([["result", `r${i}`]]),
    mode,
    value,
  });

  it("adds counters across batches, keeps the larger value of a gauge, ignores non-finite values", async () => {
    const store = fresh();
    await Promise.all([store.record([series(1), series(1)]), store.record([series(1, "add", 3)])]);
    await store.record([series(2, "max", 10), series(2, "max", 4), series(3, "add", Number.NaN)]);
    const rows = await store.snapshot();
    expect(rows).toEqual([
      { family: "seqpulse_webhook_deliveries_total", labels: JSON.stringify([["result", "r1"]]), value: 5 },
      { family: "seqpulse_webhook_deliveries_total", labels: JSON.stringify([["result", "r2"]]), value: 10 },
    ]);
  });

  it("refuses new series past its maximum, and counts them", async () => {
    const store = fresh();
    await store.record(Array.from({ length: MAX_SERIES + 5 }, (_, i) => series(i)));
    await store.record([series(0), series(MAX_SERIES + 100)]);
    const rows = await runInDurableObject(store, async (instance) => instance.snapshot());
    expect(rows.length).toBe(MAX_SERIES + 1);
    expect(rows.find((row) => row.family === "seqpulse_metrics_series_dropped_total")?.value).toBe(6);
    expect(rows.find((row) => row.labels === JSON.stringify([["result", "r0"]]))?.value).toBe(2);
  });
});
