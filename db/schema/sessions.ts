import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAtColumn } from "./columns";
import { ownerUserIdColumn } from "./users";

/**
 * Browser and API sessions. The token given to the client is `<id>.<secret>`; only the
 * SHA-256 of the secret is stored, so a database leak does not leak usable tokens.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: ownerUserIdColumn(),
    secretHash: text("secret_hash").notNull(),
    createdAt: createdAtColumn(),
    /** Refreshed at most once a minute; the session expires after a period of inactivity. */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    userAgent: text("user_agent"),
    ipAddress: text("ip_address"),
  },
  (table) => [index("sessions_user_idx").on(table.userId), index("sessions_expires_idx").on(table.expiresAt)],
);
