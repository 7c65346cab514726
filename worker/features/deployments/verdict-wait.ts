import type { Database } from "../../../db/client";
import { findDeploymentProgress, listDeploymentHints } from "../../../db/queries/deployment-views";
import type { HintMetric, HintSeverity, LocalizedText } from "../analysis/types";
import { getReadableDeployment } from "./deployment-reads";
import type { DeploymentReader } from "./project-key";
import type { VerdictAnswer } from "./schemas";

/** How often a waiting request looks for the verdict: one short query, no transaction held. */
export const VERDICT_POLL_INTERVAL_MS = 2_000;
/** Findings in the answer: the hints a pipeline log shows, most severe first. */
const TOP_FINDINGS = 3;

/** States in which a verdict may still come; in any other the wait is over at once. */
export const AWAITING_VERDICT: ReadonlySet<string> = new Set(["running", "finished"]);

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

/**
 * Reads with `read` until `done` says so, `waitMs` is over or `signal` aborts (the client went
 * away), `intervalMs` apart; returns the last value read. Never reads after the abort.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  options: { waitMs: number; intervalMs: number; signal: AbortSignal; now?: () => number },
): Promise<T> {
  const now = options.now ?? Date.now;
  const deadline = now() + options.waitMs;
  let value = await read();
  while (!done(value) && !options.signal.aborted) {
    const left = deadline - now();
    if (left <= 0) break;
    await sleep(Math.min(options.intervalMs, left), options.signal);
    if (options.signal.aborted) break;
    value = await read();
  }
  return value;
}

/**
 * The deployment's verdict as a pipeline reads it. With `waitSeconds` > 0 and no verdict yet,
 * waits for one (polling the database) until it is stored, the deployment can no longer get one
 * (expired, cancelled), the time is up or the client goes away; `verdict` is null until then.
 */
export async function readDeploymentVerdict(
  db: Database,
  params: {
    reader: DeploymentReader;
    id: string;
    waitSeconds: number;
    signal: AbortSignal;
    /** The dashboard's origin (the request's): `dashboard_url` points there. */
    origin: string;
  },
): Promise<VerdictAnswer> {
  let deployment = await getReadableDeployment(db, params.reader, params.id);
  if (params.waitSeconds > 0 && deployment.verdict === null && AWAITING_VERDICT.has(deployment.state)) {
    const { projectId, id } = deployment;
    const progress = await pollUntil(
      () => findDeploymentProgress(db, projectId, id),
      (current) => current === null || current.verdict !== null || !AWAITING_VERDICT.has(current.state),
      { waitMs: params.waitSeconds * 1000, intervalMs: VERDICT_POLL_INTERVAL_MS, signal: params.signal },
    );
    if (progress?.verdict || progress?.state !== deployment.state) {
      deployment = await getReadableDeployment(db, params.reader, params.id);
    }
  }
  const findings = deployment.verdict
    ? (await listDeploymentHints(db, deployment.id)).slice(0, TOP_FINDINGS)
    : [];
  return {
    deployment_id: deployment.id,
    state: deployment.state,
    verdict: deployment.verdict,
    confidence: deployment.verdict ? deployment.confidence : null,
    summary: deployment.verdict ? (deployment.summary as LocalizedText).text : null,
    findings: findings.map((hint) => ({
      metric: hint.metric as HintMetric,
      severity: hint.severity as HintSeverity,
      title: (hint.title as LocalizedText).text,
    })),
    early: deployment.early ?? false,
    dashboard_url: `${params.origin}/deployments/view/?id=${deployment.id}`,
  };
}
