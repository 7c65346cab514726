import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAtColumn, updatedAtColumn } from "./columns";
import { users } from "./users";

export const endpointStates = ["none", "pending_verification", "active"] as const;
export type EndpointState = (typeof endpointStates)[number];

/** What a project may do (worker/features/plans/limits.ts); changed only by an operator. */
export const projectPlans = ["free", "pro", "enterprise"] as const;
export type ProjectPlan = (typeof projectPlans)[number];

/** 1 project = 1 application, owned by one user. */
export const projects = pgTable(
  "projects",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    /** Allowed environment names (slugs). */
    envs: text("envs").array().notNull().default(sql`'{prod}'::text[]`),
    /** Minutes of post-deploy sampling (one sample a minute), 1-60. */
    observationWindowMinutes: integer("observation_window_minutes").notNull().default(15),
    plan: text("plan", { enum: projectPlans }).notNull().default("free"),
    /**
     * The monthly deployment quota's counter: deployments created in the UTC month starting at
     * `deployments_month_start` (null: none yet). A trigger bumps it in the statement that inserts
     * the deployment, under the row's lock, so racing triggers cannot both take the last slot.
     */
    deploymentsMonthStart: timestamp("deployments_month_start", { withTimezone: true }),
    deploymentsThisMonth: integer("deployments_this_month").notNull().default(0),
    /**
     * Activations of another endpoint URL (§8 of the original): same host, another path; or
     * another host. Limited per plan, counted when a test activates the new URL.
     */
    endpointPathChanges: integer("endpoint_path_changes").notNull().default(0),
    endpointHostMigrations: integer("endpoint_host_migrations").notNull().default(0),
    /** The number of its latest deployment: a trigger takes the next one in the same statement. */
    lastDeploymentNumber: integer("last_deployment_number").notNull().default(0),
    /**
     * Which judge decides verdicts (worker/features/analysis/judge.ts). New projects get `robust`;
     * projects created before it keep the `classic` stored for them.
     */
    judge: text("judge").notNull().default("robust"),
    /** The judge's settings: `{ sensitivity?, ignoredMetrics? }` (JudgeSettings), stored with each verdict. */
    judgeSettings: jsonb("judge_settings").notNull().default(sql`'{}'::jsonb`),
    /**
     * Continuous baseline: minutes between two samples of the active endpoint while no deployment
     * runs (0 = off; 5, 10 or 30).
     */
    baselineIntervalMinutes: integer("baseline_interval_minutes").notNull().default(10),
    /** When the next continuous-baseline sample is due (null: as soon as the endpoint is active). */
    baselineDueAt: timestamp("baseline_due_at", { withTimezone: true }),
    /** SHA-256 (hex) of the CI API key; the key itself is shown once. */
    apiKeyHash: text("api_key_hash").notNull(),
    /** The key's first characters, to recognise it in the dashboard. */
    apiKeyPrefix: text("api_key_prefix").notNull(),
    /** URL waiting for a successful test. */
    metricsEndpointCandidate: text("metrics_endpoint_candidate"),
    /** URL used for collection; set only by a successful test. */
    metricsEndpointActive: text("metrics_endpoint_active"),
    endpointState: text("endpoint_state", { enum: endpointStates }).notNull().default("none"),
    endpointLastTestedAt: timestamp("endpoint_last_tested_at", { withTimezone: true }),
    endpointLastVerifiedAt: timestamp("endpoint_last_verified_at", { withTimezone: true }),
    /** Stable code of the last failed test (e.g. ENDPOINT_TIMEOUT), null after a success. */
    endpointLastErrorCode: text("endpoint_last_error_code"),
    endpointLastErrorMessage: text("endpoint_last_error_message"),
    /**
     * Collection attempts in a row that ended in ENDPOINT_TIMEOUT (any success resets it). From
     * COLLECTION_BACKOFF_AFTER_TIMEOUTS on, the endpoint is backed off until
     * `collection_backoff_until`: short attempts, not retried (worker/features/collection).
     */
    collectionTimeoutStreak: integer("collection_timeout_streak").notNull().default(0),
    collectionBackoffUntil: timestamp("collection_backoff_until", { withTimezone: true }),
    hmacEnabled: boolean("hmac_enabled").notNull().default(false),
    /** AES-GCM ciphertexts (worker/lib/secret-box.ts); never copied into jobs. */
    hmacSecretEncrypted: text("hmac_secret_encrypted"),
    /** After a rotation the old secret stays usable until this time (apps being updated). */
    hmacPreviousSecretEncrypted: text("hmac_previous_secret_encrypted"),
    hmacPreviousValidUntil: timestamp("hmac_previous_valid_until", { withTimezone: true }),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (table) => [
    index("projects_owner_idx").on(table.ownerId, table.createdAt),
    uniqueIndex("projects_api_key_hash_unique").on(table.apiKeyHash),
    check("projects_plan_check", sql`${table.plan} in ('free', 'pro', 'enterprise')`),
    check("projects_window_check", sql`${table.observationWindowMinutes} between 1 and 60`),
    check("projects_baseline_interval_check", sql`${table.baselineIntervalMinutes} in (0, 5, 10, 30)`),
    index("projects_baseline_due_idx")
      .on(table.baselineDueAt)
      .where(sql`${table.baselineIntervalMinutes} > 0 and ${table.endpointState} = 'active'`),
  ],
);

/** The project a row belongs to: the row is deleted with its project. */
export const projectIdColumn = () =>
  uuid("project_id")
    .notNull()
    .references(() => projects.id, { onDelete: "cascade" });
