import type { Database } from "../../../db/client";
import {
  findCollectionTargets,
  insertCollectionErrors,
  insertSamples,
  type SampleSlot,
  slotKey,
  storedSampleSlots,
} from "../../../db/queries/deployments";
import { type CollectionHealth, recordCollectionHealth } from "../../../db/queries/projects";
import { forEachConcurrently } from "../../lib/concurrency";
import { describeError, log } from "../../lib/log";
import { incrementCounter } from "../../lib/metrics";
import { signingSecrets } from "../projects/projects";
import {
  COLLECTION_TIMEOUT_MS,
  type CollectionErrorCode,
  type FetchMetricsResult,
  fetchMetrics,
} from "./fetch-metrics";

export interface CollectSampleParams extends SampleSlot {
  /** Which try this is (1-based) and whether a failure would be the last word. */
  attempt: number;
  lastAttempt: boolean;
}

export type CollectSampleOutcome =
  | { status: "stored" | "already-stored" | "skipped" }
  /** Not tried: the caller's deadline came first. */
  | { status: "not-started" }
  /** Our side failed for this sample (e.g. its project's secret would not decrypt): retry it. */
  | { status: "error"; message: string }
  | { status: "failed"; code: CollectionErrorCode; message: string; retryable: boolean };

export type CollectionTarget = Awaited<ReturnType<typeof findCollectionTargets>>[number];

export interface CollectOptions {
  now: Date;
  /**
   * The one deployment sampled, already known to the caller (a trigger that just created it):
   * skips reading it and its stored slots. Storing stays idempotent.
   */
  known?: CollectionTarget;
  /** Wall-clock ms after which no new fetch starts. */
  deadline?: number;
  /**
   * Fetches in flight at once. A Worker invocation may hold 6 outgoing connections; the sweep's
   * database pool holds up to two (worker/index.ts).
   */
  concurrency?: number;
  /** Per fetch; COLLECTION_TIMEOUT_MS unless a test needs a shorter one. */
  timeoutMs?: number;
}

/**
 * Retrying cannot fix these: the application refuses our signature, the URL is not allowed, or
 * it answers with a wrong payload. They are recorded on the deployment instead of looping.
 */
const NOT_RETRYABLE = new Set<CollectionErrorCode>(["HMAC_REFUSED", "ENDPOINT_NOT_ALLOWED", "BAD_PAYLOAD"]);
const DEFAULT_CONCURRENCY = 4;

/**
 * An endpoint that timed out this many times in a row is backed off: for 1, 2, 4 ... up to 60
 * minutes (growing while it keeps timing out), its attempts get BACKED_OFF_TIMEOUT_MS instead
 * of the full timeout and a timeout is final (not retried). One answer ends it. A stalling
 * endpoint then costs a second a sample instead of three five-second tries.
 */
export const COLLECTION_BACKOFF_AFTER_TIMEOUTS = 3;
export const COLLECTION_MAX_BACKOFF_MINUTES = 60;
const BACKED_OFF_TIMEOUT_MS = 1_000;

const isBackedOff = (project: { collectionBackoffUntil: Date | null }, now: Date) =>
  project.collectionBackoffUntil !== null && project.collectionBackoffUntil.getTime() > now.getTime();

/** Takes one sample of a deployment (the baseline, right after the trigger). */
export async function collectSample(
  db: Database,
  env: Env,
  params: CollectSampleParams,
  options: CollectOptions,
): Promise<CollectSampleOutcome> {
  const [outcome] = await collectSamples(db, env, [params], options);
  return outcome as CollectSampleOutcome;
}

/**
 * Takes many samples with a fixed number of database statements: one to read the deployments
 * and their projects, one for the slots already stored, one to store the samples, one for the
 * errors; the fetches run in parallel in between. Idempotent: a stored slot is never fetched
 * again. Returns one outcome per request, in order.
 */
export async function collectSamples(
  db: Database,
  env: Env,
  requests: CollectSampleParams[],
  options: CollectOptions,
): Promise<CollectSampleOutcome[]> {
  const deploymentIds = [...new Set(requests.map((r) => r.deploymentId))];
  const [targets, stored] = options.known
    ? [[options.known], new Set<string>()]
    : await Promise.all([findCollectionTargets(db, deploymentIds), storedSampleSlots(db, deploymentIds)]);
  const targetById = new Map(targets.map((t) => [t.deploymentId, t]));
  const fetchFrom = projectFetcher(env, options);

  const outcomes: Array<CollectSampleOutcome | undefined> = [];
  const toFetch: number[] = [];
  requests.forEach((request, index) => {
    const target = targetById.get(request.deploymentId);
    if (!target || !isStillSampled(target.state, request.phase)) outcomes[index] = { status: "skipped" };
    else if (stored.has(slotKey(request))) outcomes[index] = { status: "already-stored" };
    else toFetch.push(index);
  });

  const attempts = await fetchConcurrently(toFetch, options, (index) => {
    const target = targetById.get((requests[index] as CollectSampleParams).deploymentId) as CollectionTarget;
    return fetchFrom(target.project, target.metricsEndpoint);
  });
  const results = new Map<number, FetchMetricsResult>();
  attempts.forEach((attempt, i) => {
    const index = toFetch[i] as number;
    if (attempt.status === "fetched") results.set(index, attempt.result);
    else outcomes[index] = attempt;
  });

  const samples = [];
  const errors = [];
  const health = new Map<string, CollectionHealth>();
  for (const [index, result] of results) {
    const request = requests[index] as CollectSampleParams;
    const slot = { deploymentId: request.deploymentId, phase: request.phase, sequence: request.sequence };
    const project = (targetById.get(request.deploymentId) as CollectionTarget).project;
    noteHealth(health, project.id, result);
    if (result.ok) {
      samples.push({ ...slot, ...result.values, collectedAt: options.now });
      continue;
    }
    const backedOff = result.code === "ENDPOINT_TIMEOUT" && isBackedOff(project, options.now);
    const retryable = !NOT_RETRYABLE.has(result.code) && !backedOff;
    const message = backedOff
      ? `${result.message} The endpoint keeps timing out: until it answers, its samples are tried once, for ${BACKED_OFF_TIMEOUT_MS / 1000} s.`
      : result.message;
    errors.push({
      ...slot,
      code: result.code,
      message,
      attempt: request.attempt,
      final: !retryable || request.lastAttempt,
      occurredAt: options.now,
    });
    outcomes[index] = { status: "failed", code: result.code, message, retryable };
  }
  const [inserted] = await Promise.all([
    insertSamples(db, samples),
    insertCollectionErrors(db, errors),
    storeCollectionHealth(db, options.now, health),
  ]);
  for (const [index, result] of results) {
    if (result.ok)
      outcomes[index] = {
        status: inserted.has(slotKey(requests[index] as SampleSlot)) ? "stored" : "already-stored",
      };
  }
  recordCollection(requests, outcomes as CollectSampleOutcome[]);
  return outcomes as CollectSampleOutcome[];
}

/** §14.3's events and the collection series, per sample slot (never the endpoint's URL). */
function recordCollection(
  requests: readonly CollectSampleParams[],
  outcomes: readonly CollectSampleOutcome[],
) {
  outcomes.forEach((outcome, index) => {
    const request = requests[index];
    if (!request) return;
    const { deploymentId, phase, sequence } = request;
    if (outcome.status === "stored") {
      incrementCounter("seqpulse_metrics_collected_total", { phase });
      log("info", "metrics_collected", { deploymentId, phase, sequence });
    } else if (outcome.status === "failed") {
      incrementCounter("seqpulse_metrics_fetch_failed_total", { phase, code: outcome.code });
      log("warn", "metrics_fetch_failed", {
        deploymentId,
        phase,
        sequence,
        code: outcome.code,
        attempt: request.attempt,
      });
    }
  });
}

/**
 * PRE samples are taken only while the deployment runs: once it is finished (or cancelled,
 * expired) a late PRE sample would measure the new version and call it the baseline. POST
 * samples are taken until the verdict. Nothing is sampled for a cancelled, expired or judged
 * deployment.
 */
function isStillSampled(state: CollectionTarget["state"], phase: SampleSlot["phase"]): boolean {
  return phase === "pre" ? state === "running" : state === "running" || state === "finished";
}

export type CollectionProject = CollectionTarget["project"];

/**
 * The one way a project's endpoint is fetched, for deployments and the continuous baseline
 * alike: signed with its secrets (decrypted once per project for the caller's whole batch), and
 * with the short timeout while the endpoint is backed off.
 */
export function projectFetcher(
  env: Env,
  options: { now: Date; timeoutMs?: number },
): (project: CollectionProject, url: string) => Promise<FetchMetricsResult> {
  const secretsByProject = new Map<string, ReturnType<typeof signingSecrets>>();
  const fullTimeoutMs = options.timeoutMs ?? COLLECTION_TIMEOUT_MS;
  return async (project, url) => {
    let secrets = secretsByProject.get(project.id);
    if (!secrets) {
      secrets = signingSecrets(env.ENCRYPTION_KEYS, project, options.now);
      secretsByProject.set(project.id, secrets);
    }
    return fetchMetrics({
      url,
      projectId: project.id,
      secrets: await secrets,
      allowPrivateTargets: env.ALLOW_PRIVATE_METRICS_URLS === "true",
      timeoutMs: isBackedOff(project, options.now)
        ? Math.min(BACKED_OFF_TIMEOUT_MS, fullTimeoutMs)
        : fullTimeoutMs,
    });
  };
}

export type FetchAttempt =
  | { status: "fetched"; result: FetchMetricsResult }
  | { status: "not-started" }
  | { status: "error"; message: string };

/**
 * Runs `fetch` for each item with at most `concurrency` in flight (the Worker's outgoing
 * connection budget); none starts after `deadline`. One item failing on our side (a secret that
 * will not decrypt) does not sink the others. One attempt per item, in order.
 */
export async function fetchConcurrently<T>(
  items: readonly T[],
  options: { concurrency?: number; deadline?: number },
  run: (item: T) => Promise<FetchMetricsResult>,
): Promise<FetchAttempt[]> {
  const attempts: FetchAttempt[] = [];
  const positions = items.map((item, index) => ({ item, index }));
  await forEachConcurrently(
    positions,
    options.concurrency ?? DEFAULT_CONCURRENCY,
    async ({ item, index }) => {
      if (options.deadline !== undefined && Date.now() >= options.deadline) {
        attempts[index] = { status: "not-started" };
        return;
      }
      try {
        attempts[index] = { status: "fetched", result: await run(item) };
      } catch (error) {
        attempts[index] = { status: "error", message: describeError(error).error };
      }
    },
  );
  return attempts;
}

/** Adds one fetch's result to its project's tally for `storeCollectionHealth`. */
export function noteHealth(
  health: Map<string, CollectionHealth>,
  projectId: string,
  result: FetchMetricsResult,
): void {
  const tally = health.get(projectId) ?? { projectId, succeeded: false, timeouts: 0 };
  health.set(projectId, tally);
  if (result.ok) tally.succeeded = true;
  else if (result.code === "ENDPOINT_TIMEOUT") tally.timeouts += 1;
}

/** The projects' timeout streaks and backoff after a batch of fetches (one statement). */
export function storeCollectionHealth(
  db: Database,
  now: Date,
  health: Map<string, CollectionHealth>,
): Promise<void> {
  return recordCollectionHealth(db, {
    now,
    results: [...health.values()],
    backoffAfter: COLLECTION_BACKOFF_AFTER_TIMEOUTS,
    maxBackoffMinutes: COLLECTION_MAX_BACKOFF_MINUTES,
  });
}
