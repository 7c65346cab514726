import { doublePrecision, timestamp } from "drizzle-orm/pg-core";

/*
 * Column builders that several tables repeat. Each is a function: a drizzle column builder
 * belongs to one table, so every table needs its own instance.
 */

/** When the row was written; set by the database. */
export const createdAtColumn = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** When the row last changed. */
export const updatedAtColumn = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/**
 * The five values of one scrape of an application's metrics endpoint, as a deployment sample
 * and a continuous-baseline sample both store them.
 */
export const metricValueColumns = () => ({
  requestsPerSec: doublePrecision("requests_per_sec").notNull(),
  /** Milliseconds. */
  latencyP95: doublePrecision("latency_p95").notNull(),
  /** Ratios 0..1. */
  errorRate: doublePrecision("error_rate").notNull(),
  cpuUsage: doublePrecision("cpu_usage").notNull(),
  memoryUsage: doublePrecision("memory_usage").notNull(),
});
