import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { projects } from "./projects";
import { users } from "./users";

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
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    /** Per project, from 1: shown as #n. */
    number: integer("number").notNull(),
    env: text("env").notNull(),
    state: text("state", { enum: deploymentStates }).notNull().default("running"),
    pipelineResult: text("pipeline_result", { enum: ["success", "failed"] }),
    branch: text("branch"),
    commitSha: text("commit_sha"),
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

export const samplePhases = ["pre", "post"] as const;
export type SamplePhase = (typeof samplePhases)[number];

/** One scrape of the application's metrics endpoint. */
export const metricSamples = pgTable(
  "metric_samples",
  {
    deploymentId: uuid("deployment_id")
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    phase: text("phase", { enum: samplePhases }).notNull(),
    /**
     * PRE: 0 at the trigger, then 1..10 one a minute until the finish (these may already hold the
     * new version: a rolling deploy under way). POST: 0..window-1, one a minute from the finish.
     */
    sequence: integer("sequence").notNull(),
    requestsPerSec: doublePrecision("requests_per_sec").notNull(),
    /** Milliseconds. */
    latencyP95: doublePrecision("latency_p95").notNull(),
    /** Ratios 0..1. */
    errorRate: doublePrecision("error_rate").notNull(),
    cpuUsage: doublePrecision("cpu_usage").notNull(),
    memoryUsage: doublePrecision("memory_usage").notNull(),
    /** Our clock at the scrape, not the application's. */
    collectedAt: timestamp("collected_at", { withTimezone: true }).notNull(),
  },
  // Idempotent collection: a retried or duplicated job cannot add a second sample.
  (table) => [primaryKey({ columns: [table.deploymentId, table.phase, table.sequence] })],
);

/** Why a sample is missing: shown on the deployment, used by support. */
export const collectionErrors = pgTable(
  "collection_errors",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deploymentId: uuid("deployment_id")
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    phase: text("phase", { enum: samplePhases }).notNull(),
    sequence: integer("sequence").notNull(),
    /** Stable code: ENDPOINT_UNREACHABLE, ENDPOINT_TIMEOUT, ENDPOINT_HTTP_STATUS, HMAC_REFUSED, BAD_PAYLOAD... */
    code: text("code").notNull(),
    message: text("message").notNull(),
    attempt: integer("attempt").notNull(),
    /** True when no retry follows (the sample stays missing). */
    final: boolean("final").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
  },
  (table) => [index("collection_errors_deployment_idx").on(table.deploymentId, table.occurredAt)],
);

export const verdictValues = ["ok", "warning", "rollback_recommended"] as const;
export type VerdictValue = (typeof verdictValues)[number];

/** Exactly one per deployment (its primary key is the deployment). */
export const verdicts = pgTable(
  "verdicts",
  {
    deploymentId: uuid("deployment_id")
      .primaryKey()
      .references(() => deployments.id, { onDelete: "cascade" }),
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
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check("verdicts_confidence_check", sql`${table.confidence} between 0 and 1`)],
);

export const hintSeverities = ["critical", "warning", "info"] as const;

/** SeqPulse Diagnostic Hints: what changed and what to check. One per (deployment, metric). */
export const hints = pgTable(
  "hints",
  {
    deploymentId: uuid("deployment_id")
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
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
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.deploymentId, table.metric] }),
    index("hints_severity_created_idx").on(table.severity, table.createdAt),
  ],
);

/**
 * Continuous baseline: samples of a project's active endpoint taken between deployments (every
 * `projects.baseline_interval_minutes`), kept 8 days, so a judge sees the hour before a deploy and
 * the same hour a day and a week earlier.
 */
export const baselineSamples = pgTable(
  "baseline_samples",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    requestsPerSec: doublePrecision("requests_per_sec").notNull(),
    latencyP95: doublePrecision("latency_p95").notNull(),
    errorRate: doublePrecision("error_rate").notNull(),
    cpuUsage: doublePrecision("cpu_usage").notNull(),
    memoryUsage: doublePrecision("memory_usage").notNull(),
    collectedAt: timestamp("collected_at", { withTimezone: true }).notNull(),
  },
  (table) => [
    index("baseline_samples_project_collected_idx").on(table.projectId, table.collectedAt),
    index("baseline_samples_collected_idx").on(table.collectedAt),
  ],
);

/** A person's word on a verdict: was it right? One per deployment (the latest answer wins). */
export const deploymentFeedback = pgTable("deployment_feedback", {
  deploymentId: uuid("deployment_id")
    .primaryKey()
    .references(() => deployments.id, { onDelete: "cascade" }),
  userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
  correct: boolean("correct").notNull(),
  note: text("note"),
  /** The verdict the answer was about (a rejudged deployment keeps the one it had). */
  verdict: text("verdict", { enum: verdictValues }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
