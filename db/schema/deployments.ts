import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { projectIdColumn } from "./projects";

export const deploymentStates = ["running", "finished", "analyzed", "expired", "cancelled"] as const;
export type DeploymentState = (typeof deploymentStates)[number];

/**
 * One CI deployment run. `running` (trigger) -> `finished` (finish; sampling scheduled) ->
 * `analyzed` (verdict stored). A run whose finish never comes becomes `expired` and stops
 * blocking its environment; its owner may end it sooner: `running` -> `cancelled` (no samples
 * after, no verdict). `state` is a plain text column, so a new state needs no migration.
 */
export const deployments = pgTable(
  "deployments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    projectId: projectIdColumn(),
    /** Per project, from 1: shown as #n. */
    number: integer("number").notNull(),
    env: text("env").notNull(),
    state: text("state", { enum: deploymentStates }).notNull().default("running"),
    pipelineResult: text("pipeline_result", { enum: ["success", "failed"] }),
    branch: text("branch"),
    commitSha: text("commit_sha"),
    /** Optional context the pipeline sends with the trigger: the release's version, links to the
     * commit and the CI run (http(s) only, checked at the edge), and who started it. */
    version: text("version"),
    commitUrl: text("commit_url"),
    ciRunUrl: text("ci_run_url"),
    actor: text("actor"),
    idempotencyKey: text("idempotency_key"),
    /** SHA-256 of the trigger body: the same key with another body is refused. */
    idempotencyFingerprint: text("idempotency_fingerprint"),
    /** The active metrics endpoint when triggered: every sample of this run reads it. */
    metricsEndpoint: text("metrics_endpoint").notNull(),
    observationWindowMinutes: integer("observation_window_minutes").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** A `running` deployment past this time is expired. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    analyzedAt: timestamp("analyzed_at", { withTimezone: true }),
  },
  (table) => [
    uniqueIndex("deployments_project_number_unique").on(table.projectId, table.number),
    // At most one running deployment per project and environment.
    uniqueIndex("deployments_one_running_unique")
      .on(table.projectId, table.env)
      .where(sql`${table.state} = 'running'`),
    uniqueIndex("deployments_idempotency_unique")
      .on(table.projectId, table.idempotencyKey)
      .where(sql`${table.idempotencyKey} is not null`),
    index("deployments_project_started_idx").on(table.projectId, table.startedAt),
    index("deployments_running_expiry_idx").on(table.expiresAt).where(sql`${table.state} = 'running'`),
  ],
);

/** The deployment a row is about: the row is deleted with its deployment. */
export const deploymentIdColumn = () =>
  uuid("deployment_id")
    .notNull()
    .references(() => deployments.id, { onDelete: "cascade" });
