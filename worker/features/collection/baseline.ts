import type { Database } from "../../../db/client";
import {
  type BaselineClaim,
  insertBaselineSamples,
  type NewBaselineSample,
} from "../../../db/queries/baseline-samples";
import type { CollectionHealth } from "../../../db/queries/projects";
import {
  type CollectOptions,
  fetchConcurrently,
  noteHealth,
  projectFetcher,
  storeCollectionHealth,
} from "./collect-sample";
import type { CollectionErrorCode } from "./fetch-metrics";

export interface BaselineCollection {
  stored: number;
  /** Fetches that failed, by code: no sample, nothing retried (the next is an interval away). */
  failed: Partial<Record<CollectionErrorCode | "INTERNAL", number>>;
  /** Claims the deadline left unstarted: the caller gives them back. */
  notStarted: BaselineClaim[];
}

/**
 * Takes one continuous-baseline sample of each claimed project, through the same signed fetch
 * as deployment samples (HMAC, outbound URL policy, timeouts, backoff), and stores the answers
 * in one statement. A failure is only a missing sample: it is counted, not recorded per
 * project, and not retried (the claim already set the next attempt an interval away); timeouts
 * feed the endpoint's timeout streak as deployment samples do.
 */
export async function collectBaselineSamples(
  db: Database,
  env: Env,
  claims: BaselineClaim[],
  options: Pick<CollectOptions, "now" | "deadline" | "concurrency" | "timeoutMs">,
): Promise<BaselineCollection> {
  const fetchFrom = projectFetcher(env, options);
  const attempts = await fetchConcurrently(claims, options, (claim) =>
    fetchFrom(claim.project, claim.metricsEndpoint),
  );
  const outcome: BaselineCollection = { stored: 0, failed: {}, notStarted: [] };
  const samples: NewBaselineSample[] = [];
  const health = new Map<string, CollectionHealth>();
  attempts.forEach((attempt, index) => {
    const claim = claims[index] as BaselineClaim;
    if (attempt.status === "not-started") {
      outcome.notStarted.push(claim);
      return;
    }
    const code = attempt.status === "error" ? "INTERNAL" : attempt.result.ok ? null : attempt.result.code;
    if (code) outcome.failed[code] = (outcome.failed[code] ?? 0) + 1;
    if (attempt.status !== "fetched") return;
    noteHealth(health, claim.projectId, attempt.result);
    if (attempt.result.ok)
      samples.push({ projectId: claim.projectId, ...attempt.result.values, collectedAt: options.now });
  });
  const [stored] = await Promise.all([
    insertBaselineSamples(db, samples),
    storeCollectionHealth(db, options.now, health),
  ]);
  outcome.stored = stored;
  return outcome;
}
