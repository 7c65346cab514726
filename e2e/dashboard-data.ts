// Data for the dashboard's browser tests, made through the real API (accounts come from
// accounts.ts): a project whose metrics endpoint is a stand-in application in this process, and
// deployments run to a verdict.
//
// The verdict needs the observation window to pass: instead of waiting, each sweep is fired
// with a scheduled time in the future through Miniflare's `/cdn-cgi/local/scheduled?time=`,
// and the Worker's sweep takes that time as "now" (worker/index.ts). One minute of window is
// one sweep.
import { setTimeout as sleep } from "node:timers/promises";
import type { APIRequestContext } from "playwright-core";
import { healthyMetrics } from "../scripts/lib/metrics-payloads.mjs";

export interface Metrics {
  requests_per_sec: number;
  latency_p95: number;
  error_rate: number;
  cpu_usage: number;
  memory_usage: number;
}

export const healthy: Metrics = healthyMetrics();

/** Latency and errors well over their thresholds: a rollback is recommended. */
export const degraded: Metrics = {
  requests_per_sec: 95,
  latency_p95: 460,
  error_rate: 0.045,
  cpu_usage: 0.86,
  memory_usage: 0.62,
};

export async function programApp(
  appUrl: string,
  name: string,
  responses: Array<{ metrics: Metrics } | { status: number }>,
) {
  const response = await fetch(`${appUrl}/__control/apps/${name}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ responses }),
  });
  if (!response.ok) throw new Error(`metrics app: ${response.status}`);
}

export async function fireSweep(baseUrl: string, at: number): Promise<void> {
  const response = await fetch(`${baseUrl}/cdn-cgi/local/scheduled?cron=*+*+*+*+*&time=${Math.round(at)}`);
  if (!response.ok)
    throw new Error(`sweep at ${new Date(at).toISOString()}: ${response.status} ${await response.text()}`);
}

export interface CiCall {
  url: string;
  body: Record<string, unknown>;
}

/** Calls the CI API like a pipeline would. */
export async function ciCall<T>(call: CiCall, apiKey: string): Promise<T> {
  const response = await fetch(call.url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": apiKey },
    body: JSON.stringify(call.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${call.url}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/**
 * Runs the observation of a deployment that just finished, sweep after sweep: one per minute of
 * the window, one for the baseline's retry job (a minute after the trigger), then the analysis
 * (150 s after the last sample). The analysis waits while any of the deployment's sample jobs is
 * open, so later sweeps follow until the verdict is stored.
 */
export async function observeUntilVerdict(
  request: APIRequestContext,
  baseUrl: string,
  deploymentId: string,
  finishedAt: number,
  windowMinutes: number,
): Promise<{ verdict: { verdict: string } }> {
  for (let minute = 0; minute < windowMinutes; minute++) {
    await fireSweep(baseUrl, finishedAt + minute * 60_000 + 1000);
  }
  await fireSweep(baseUrl, finishedAt + windowMinutes * 60_000 + 61_000);
  for (let round = 0; round < 8; round++) {
    await fireSweep(baseUrl, finishedAt + windowMinutes * 60_000 + 151_000 + round * 80_000);
    const response = await request.get(`${baseUrl}/api/deployments/${deploymentId}`);
    const body = (await response.json()) as { deployment: { verdict: { verdict: string } | null } };
    if (body.deployment.verdict) return body.deployment as { verdict: { verdict: string } };
  }
  throw new Error(`deployment ${deploymentId} got no verdict`);
}

/** A project's deployment from trigger to verdict, the app answering `baseline` then `post`. */
export async function deployToVerdict(options: {
  request: APIRequestContext;
  baseUrl: string;
  appUrl: string;
  appName: string;
  apiKey: string;
  env: string;
  branch: string;
  commitSha: string;
  windowMinutes: number;
  baseline: Metrics;
  /** One answer per minute of the window; a status is an error answer (the last one repeats). */
  post: Array<Metrics | { status: number }>;
  result?: "success" | "failed";
}): Promise<string> {
  const { baseUrl, apiKey } = options;
  await programApp(options.appUrl, options.appName, [
    { metrics: options.baseline },
    ...options.post.map((answer) => ("status" in answer ? answer : { metrics: answer })),
  ]);
  const trigger = await ciCall<{ deployment_id: string }>(
    {
      url: `${baseUrl}/deployments/trigger`,
      body: { env: options.env, branch: options.branch, commit_sha: options.commitSha },
    },
    apiKey,
  );
  // The baseline is collected right after the trigger's answer (waitUntil).
  await sleep(500);
  await ciCall(
    {
      url: `${baseUrl}/deployments/finish`,
      body: { deployment_id: trigger.deployment_id, result: options.result ?? "success" },
    },
    apiKey,
  );
  await observeUntilVerdict(
    options.request,
    baseUrl,
    trigger.deployment_id,
    Date.now(),
    options.windowMinutes,
  );
  return trigger.deployment_id;
}
