import { index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { createdAtColumn } from "./columns";
import { ownerUserIdColumn } from "./users";

/**
 * A password login waiting for its second factor. The pre-auth cookie holds `<id>.<secret>`;
 * five wrong codes end it.
 */
export const twoFactorChallenges = pgTable(
  "two_factor_challenges",
  {
    id: text("id").primaryKey(),
    userId: ownerUserIdColumn(),
    secretHash: text("secret_hash").notNull(),
    failedAttempts: integer("failed_attempts").notNull().default(0),
    createdAt: createdAtColumn(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (table) => [index("two_factor_challenges_user_idx").on(table.userId)],
);

/** Single use: a code is spent by deleting its row, in the same statement that checks it. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    userId: ownerUserIdColumn(),
    /** SHA-256 of the normalised code: the codes are random (50 bits), so no slow hash is needed. */
    codeHash: text("code_hash").notNull(),
    createdAt: createdAtColumn(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.codeHash] })],
);
