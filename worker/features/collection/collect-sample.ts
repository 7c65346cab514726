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
import { describeError } from "../../lib/log";
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
  // Decrypt each project's secrets once per batch, not once per sample.
  const secretsByProject = new Map<string, ReturnType<typeof signingSecrets>>();
  const secretsOf = (project: (typeof targets)[number]["project"]) => {
    let secrets = secretsByProject.get(project.id);
    if (!secrets) {
      secrets = signingSecrets(env.ENCRYPTION_KEYS, project, options.now);
      secretsByProject.set(project.id, secrets);
    }
    return secrets;
  };

  const outcomes: Array<CollectSampleOutcome | undefined> = [];
  const fetches: Array<{ index: number; run: () => Promise<FetchMetricsResult> }> = [];
  const fullTimeoutMs = options.timeoutMs ?? COLLECTION_TIMEOUT_MS;
  requests.forEach((request, index) => {
    const target = targetById.get(request.deploymentId);
    // Deleted with its project, expired or cancelled, or already judged: nothing to measure any more.
    if (!target || target.state === "expired" || target.state === "cancelled" || target.state === "analyzed")
      outcomes[index] = { status: "skipped" };
    else if (stored.has(slotKey(request))) outcomes[index] = { status: "already-stored" };
    else
      fetches.push({
        index,
        run: async () =>
          fetchMetrics({
            url: target.metricsEndpoint,
            projectId: target.project.id,
            secrets: await secretsOf(target.project),
            allowPrivateTargets: env.ALLOW_PRIVATE_METRICS_URLS === "true",
            timeoutMs: isBackedOff(target.project, options.now)
              ? Math.min(BACKED_OFF_TIMEOUT_MS, fullTimeoutMs)
              : fullTimeoutMs,
          }),
      });
  });

  const results = new Map<number, FetchMetricsResult>();
  await forEachConcurrently(fetches, options.concurrency ?? DEFAULT_CONCURRENCY, async (next) => {
    if (options.deadline !== undefined && Date.now() >= options.deadline) {
      outcomes[next.index] = { status: "not-started" };
      return;
    }
    // One sample's failure on our side must not sink the rest of the batch.
    try {
      results.set(next.index, await next.run());
    } catch (error) {
      outcomes[next.index] = { status: "error", message: describeError(error).error };
    }
  });

  const samples = [];
  const errors = [];
  const health = new Map<string, CollectionHealth>();
  for (const [index, result] of results) {
    const request = requests[index] as CollectSampleParams;
    const slot = { deploymentId: request.deploymentId, phase: request.phase, sequence: request.sequence };
    const project = (targetById.get(request.deploymentId) as CollectionTarget).project;
    const projectHealth = health.get(project.id) ?? { projectId: project.id, succeeded: false, timeouts: 0 };
    health.set(project.id, projectHealth);
    if (result.ok) {
      projectHealth.succeeded = true;
      samples.push({ ...slot, ...result.values, collectedAt: options.now });
      continue;
    }
    const backedOff = result.code === "ENDPOINT_TIMEOUT" && isBackedOff(project, options.now);
    if (result.code === "ENDPOINT_TIMEOUT") projectHealth.timeouts += 1;
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
    recordCollectionHealth(db, {
      now: options.now,
      results: [...health.values()],
      backoffAfter: COLLECTION_BACKOFF_AFTER_TIMEOUTS,
      maxBackoffMinutes: COLLECTION_MAX_BACKOFF_MINUTES,
    }),
  ]);
  for (const [index, result] of results) {
    if (result.ok)
      outcomes[index] = {
        status: inserted.has(slotKey(requests[index] as SampleSlot)) ? "stored" : "already-stored",
      };
  }
  return outcomes as CollectSampleOutcome[];
}
