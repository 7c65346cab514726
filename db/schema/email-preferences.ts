import { boolean, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { updatedAtColumn } from "./columns";
import { users } from "./users";

/**
 * What non-essential mail a user accepts. No row = everything on. Essential mail (verification,
 * password reset, security notices, welcome) has no switch: worker/features/email/types.ts.
 */
export const userEmailPreferences = pgTable("user_email_preferences", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** Onboarding, first verdict, quota and plan mail. */
  product: boolean("product").notNull().default(true),
  /** Critical verdict alerts. */
  alerts: boolean("alerts").notNull().default(true),
  /** When a one-click unsubscribe last changed this row (null: only the settings page did). */
  unsubscribedAt: timestamp("unsubscribed_at", { withTimezone: true }),
  updatedAt: updatedAtColumn(),
});
