import type { Database } from "../../../db/client";
import { countJobsByStatus } from "../../../db/queries/jobs";
import { getLastSweep } from "../../../db/queries/scheduler";
import { jobStatuses } from "../../../db/schema";
import { SWEEPER_NAME } from "../../jobs/sweeper";
import { constantTimeEqualString } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { describeError, log } from "../../lib/log";
import { metricsStore } from "../../lib/metrics";
import { withTimeout } from "../../lib/time";
import { renderExposition, type ScrapedFamily } from "./exposition";

/** A scrape answers within about this, even when the store or the database hangs. */
export const SCRAPE_SOURCE_TIMEOUT_MS = 3_000;

/**
 * Who may scrape: `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time. With the
 * token unset or empty the metrics are off and the route answers 404, as if it did not exist;
 * a missing or wrong token is a 401.
 */
export function authorizeScrape(authorization: string | undefined, metricsToken: string | undefined): void {
  if (!metricsToken) throw new ApiError("NOT_FOUND", "Metrics are not enabled on this server.");
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (!token || !constantTimeEqualString(token, metricsToken)) {
    throw new ApiError("UNAUTHENTICATED", "A valid metrics token is required.");
  }
}

/** What the database says at scrape time: the jobs by status and the last sweep. */
async function scrapeDatabase(db: Database): Promise<ScrapedFamily[] | null> {
  const read = Promise.all([countJobsByStatus(db), getLastSweep(db, SWEEPER_NAME)]);
  const values = await withTimeout(
    read.catch((error: unknown) => {
      log("warn", "metrics_scrape_database_failed", describeError(error));
      return null;
    }),
    SCRAPE_SOURCE_TIMEOUT_MS,
    null,
  );
  if (!values) return null;
  const [counts, sweep] = values;
  const families: ScrapedFamily[] = [
    {
      name: "seqpulse_scheduler_jobs_pending",
      help: "Jobs waiting to run (pending, or failed and waiting for their retry), read from the database at scrape time.",
      kind: "gauge",
      samples: [{ labels: [], value: counts.pending + counts.failed }],
    },
    {
      name: "seqpulse_scheduler_jobs",
      help: "Jobs in the jobs table by status, read at scrape time (finished ones until the cleanup job removes them).",
      kind: "gauge",
      samples: jobStatuses.map((status) => ({ labels: [["status", status]], value: counts[status] })),
    },
  ];
  if (sweep) {
    families.push({
      name: "seqpulse_scheduler_last_sweep_timestamp_seconds",
      help: "Unix time at which the last sweep finished.",
      kind: "gauge",
      samples: [{ labels: [], value: sweep.lastSweepFinishedAt.getTime() / 1000 }],
    });
  }
  return families;
}

/** The text exposition: the store's counters, the database's gauges, and whether each answered. */
export async function scrapeMetrics(db: Database, env: Pick<Env, "METRICS_STORE">): Promise<string> {
  const [stored, database] = await Promise.all([
    withTimeout(
      metricsStore(env)
        .snapshot()
        .catch((error: unknown) => {
          log("warn", "metrics_scrape_store_failed", describeError(error));
          return null;
        }),
      SCRAPE_SOURCE_TIMEOUT_MS,
      null,
    ),
    scrapeDatabase(db),
  ]);
  const up: ScrapedFamily = {
    name: "seqpulse_metrics_source_up",
    help: "Whether a source of this scrape answered: store (counters and histograms) and database (job gauges).",
    kind: "gauge",
    samples: [
      { labels: [["source", "store"]], value: stored ? 1 : 0 },
      { labels: [["source", "database"]], value: database ? 1 : 0 },
    ],
  };
  return renderExposition(stored ?? [], [...(database ?? []), up]);
}
