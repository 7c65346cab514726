import { bigserial, index, pgTable, timestamp } from "drizzle-orm/pg-core";
import { metricValueColumns } from "./columns";
import { projectIdColumn } from "./projects";

/**
 * Continuous baseline: samples of a project's active endpoint taken between deployments (every
 * `projects.baseline_interval_minutes`), kept 8 days, so a judge sees the hour before a deploy and
 * the same hour a day and a week earlier.
 */
export const baselineSamples = pgTable(
  "baseline_samples",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    projectId: projectIdColumn(),
    ...metricValueColumns(),
    collectedAt: timestamp("collected_at", { withTimezone: true }).notNull(),
  },
  (table) => [
    index("baseline_samples_project_collected_idx").on(table.projectId, table.collectedAt),
    index("baseline_samples_collected_idx").on(table.collectedAt),
  ],
);
