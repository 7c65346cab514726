import { DurableObject } from "cloudflare:workers";
import type { SeriesIncrement, StoredSeries } from "../lib/metric-series";

/** Beyond this many series new ones are refused (and counted): a bug must not fill the store. */
export const MAX_SERIES = 5_000;

/**
 * The counters and histograms of `GET /metrics`, for the whole platform: one named instance
 * (lib/metrics.ts `METRICS_STORE_NAME`) that every isolate sends its batches to. Workers
 * isolates are short-lived and many, so a counter kept in memory would restart at zero and
 * differ per isolate; a Durable Object is one place, single-threaded (no lost update between two
 * batches), and its SQLite storage outlives restarts. One write per request (batched, after the
 * answer) is well within what one object takes; the scrape reads it in one query.
 */
export class MetricsStore extends DurableObject<Env> {
  private seriesCount: number | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(`create table if not exists series (
      family text not null,
      labels text not null,
      value real not null,
      primary key (family, labels)
    )`);
  }

  /** Adds a batch: `add` increments, `max` keeps the larger value. */
  async record(increments: SeriesIncrement[]): Promise<void> {
    const sql = this.ctx.storage.sql;
    // Counted once per object lifetime, then kept up to date here (the object is single-threaded).
    this.seriesCount ??= Number(sql.exec<{ n: number }>("select count(*) as n from series").one().n);
    let count = this.seriesCount;
    let dropped = 0;
    try {
      this.ctx.storage.transactionSync(() => {
        for (const { family, labels, mode, value } of increments) {
          if (typeof value !== "number" || !Number.isFinite(value)) continue;
          const exists = sql.exec("select 1 from series where family = ? and labels = ?", family, labels);
          if (exists.toArray().length === 0) {
            if (count >= MAX_SERIES) {
              dropped += 1;
              continue;
            }
            count += 1;
          }
          sql.exec(
            mode === "max"
              ? `insert into series (family, labels, value) values (?, ?, ?)
               on conflict (family, labels) do update set value = max(value, excluded.value)`
              : `insert into series (family, labels, value) values (?, ?, ?)
               on conflict (family, labels) do update set value = value + excluded.value`,
            family,
            labels,
            value,
          );
        }
        this.seriesCount = count;
        if (dropped > 0) {
          sql.exec(
            `insert into series (family, labels, value) values ('seqpulse_metrics_series_dropped_total', '[]', ?)
           on conflict (family, labels) do update set value = value + excluded.value`,
            dropped,
          );
        }
      });
    } catch (error) {
      // Rolled back: count again next time.
      this.seriesCount = undefined;
      throw error;
    }
  }

  /** Every series, for a scrape. */
  async snapshot(): Promise<StoredSeries[]> {
    return this.ctx.storage.sql
      .exec<{ family: string; labels: string; value: number }>(
        "select family, labels, value from series order by family, labels",
      )
      .toArray()
      .map((row) => ({ family: String(row.family), labels: String(row.labels), value: Number(row.value) }));
  }
}
