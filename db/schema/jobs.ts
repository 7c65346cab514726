import { sql } from "drizzle-orm";
import {
  bigserial,
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

/**
 * The work queue swept by the Cron Trigger.
 *
 * Life of a job: `pending` -> `running` (claimed, leased) -> `succeeded`, or back to `failed`
 * (waiting for its retry at `run_at`) -> ... -> `dead` once `attempts` reaches `max_attempts`.
 * A `running` job whose lease expired is claimable again: its worker is presumed gone.
 */
/** Tries a job gets unless it says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 5;

export const jobStatuses = ["pending", "running", "failed", "succeeded", "dead"] as const;
export type JobStatus = (typeof jobStatuses)[number];

export const jobs = pgTable(
  "jobs",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    type: text("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    /**
     * The account whose work this is (the project owner for collection and analysis); null for
     * platform work (cleanup). The claim takes due jobs round-robin across tenants, so one
     * account's backlog cannot fill another's minute. No foreign key: a job outliving its
     * account finds nothing to do.
     */
    tenantId: uuid("tenant_id"),
    /** Optional: the same key is never enqueued twice (e.g. `cleanup:2026-11-25T20`). */
    dedupeKey: text("dedupe_key"),
    status: text("status", { enum: jobStatuses }).notNull().default("pending"),
    /** Claims so far, including the current one. */
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(DEFAULT_MAX_ATTEMPTS),
    /** When the job becomes due (first run, or its next retry). */
    runAt: timestamp("run_at", { withTimezone: true }).notNull().defaultNow(),
    /** Random token of the sweep holding the lease; completion only counts for the holder. */
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (table) => [
    uniqueIndex("jobs_dedupe_key_unique").on(table.dedupeKey),
    // The claim query reads only due work: keep that index small.
    index("jobs_due_idx").on(table.runAt).where(sql`${table.status} in ('pending', 'failed')`),
    index("jobs_lease_idx").on(table.leaseExpiresAt).where(sql`${table.status} = 'running'`),
    index("jobs_status_finished_idx").on(table.status, table.finishedAt),
    check("jobs_status_check", sql`${table.status} in ('pending', 'running', 'failed', 'succeeded', 'dead')`),
    check("jobs_attempts_check", sql`${table.attempts} >= 0 and ${table.maxAttempts} >= 1`),
  ],
);
