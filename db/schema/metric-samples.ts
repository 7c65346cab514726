import { integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { metricValueColumns } from "./columns";
import { deploymentIdColumn } from "./deployments";

export const samplePhases = ["pre", "post"] as const;
export type SamplePhase = (typeof samplePhases)[number];

/** One scrape of the application's metrics endpoint. */
export const metricSamples = pgTable(
  "metric_samples",
  {
    deploymentId: deploymentIdColumn(),
    phase: text("phase", { enum: samplePhases }).notNull(),
    /**
     * PRE: 0 at the trigger, then 1..10 one a minute until the finish (these may already hold the
     * new version: a rolling deploy under way). POST: 0..window-1, one a minute from the finish.
     */
    sequence: integer("sequence").notNull(),
    ...metricValueColumns(),
    /** Our clock at the scrape, not the application's. */
    collectedAt: timestamp("collected_at", { withTimezone: true }).notNull(),
  },
  // Idempotent collection: a retried or duplicated job cannot add a second sample.
  (table) => [primaryKey({ columns: [table.deploymentId, table.phase, table.sequence] })],
);
