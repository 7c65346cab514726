import { doublePrecision, index, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAtColumn } from "./columns";
import { deploymentIdColumn } from "./deployments";

export const hintSeverities = ["critical", "warning", "info"] as const;

/** SeqPulse Diagnostic Hints: what changed and what to check. One per (deployment, metric). */
export const hints = pgTable(
  "hints",
  {
    deploymentId: deploymentIdColumn(),
    metric: text("metric").notNull(),
    code: text("code").notNull(),
    severity: text("severity", { enum: hintSeverities }).notNull(),
    confidence: doublePrecision("confidence").notNull(),
    title: jsonb("title").notNull(),
    diagnosis: jsonb("diagnosis").notNull(),
    suggestedActions: jsonb("suggested_actions").notNull(),
    observedValue: doublePrecision("observed_value"),
    threshold: doublePrecision("threshold"),
    evidence: jsonb("evidence").notNull(),
    createdAt: createdAtColumn(),
  },
  (table) => [
    primaryKey({ columns: [table.deploymentId, table.metric] }),
    index("hints_severity_created_idx").on(table.severity, table.createdAt),
  ],
);
