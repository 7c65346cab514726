import { sql } from "drizzle-orm";
import { boolean, check, doublePrecision, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAtColumn } from "./columns";
import { deploymentIdColumn } from "./deployments";

export const verdictValues = ["ok", "warning", "rollback_recommended"] as const;
export type VerdictValue = (typeof verdictValues)[number];

/** Exactly one per deployment (its primary key is the deployment). */
export const verdicts = pgTable(
  "verdicts",
  {
    deploymentId: deploymentIdColumn().primaryKey(),
    judge: text("judge").notNull(),
    judgeVersion: integer("judge_version").notNull(),
    verdict: text("verdict", { enum: verdictValues }).notNull(),
    confidence: doublePrecision("confidence").notNull(),
    /** LocalizedText { code, params, text }. */
    summary: jsonb("summary").notNull(),
    details: jsonb("details").notNull(),
    dataQuality: jsonb("data_quality").notNull(),
    audit: jsonb("audit").notNull(),
    /** The settings the judge ran with (JudgeSettings): a verdict can be replayed exactly. */
    settings: jsonb("settings").notNull().default(sql`'{}'::jsonb`),
    /** Decided before the window was over (an overwhelming regression). */
    early: boolean("early").notNull().default(false),
    /** What the other judge would have said (ShadowVerdict), for comparison; never acted on. */
    shadow: jsonb("shadow"),
    createdAt: createdAtColumn(),
  },
  (table) => [check("verdicts_confidence_check", sql`${table.confidence} between 0 and 1`)],
);
