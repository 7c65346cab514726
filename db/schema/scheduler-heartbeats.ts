import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** One row per scheduler (today only `sweeper`): what its last sweep did and when. */
export const schedulerHeartbeats = pgTable("scheduler_heartbeats", {
  name: text("name").primaryKey(),
  lastSweepStartedAt: timestamp("last_sweep_started_at", { withTimezone: true }).notNull(),
  lastSweepFinishedAt: timestamp("last_sweep_finished_at", { withTimezone: true }).notNull(),
  claimed: integer("claimed").notNull(),
  succeeded: integer("succeeded").notNull(),
  failed: integer("failed").notNull(),
});
