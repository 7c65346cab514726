import { index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAtColumn } from "./columns";
import { ownerUserIdColumn } from "./users";

export const accountTokenPurposes = ["verify_email", "password_reset"] as const;
export type AccountTokenPurpose = (typeof accountTokenPurposes)[number];

/**
 * Links mailed to a user: email verification and password reset. Only the SHA-256 of the
 * token is stored; the token itself exists in the mail and nowhere else (it is minted when the
 * mail is rendered). Single use: spending sets `used_at` in the statement that checks it. A newer
 * token for the same user and purpose deletes the older unused ones.
 */
export const accountTokens = pgTable(
  "account_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: ownerUserIdColumn(),
    purpose: text("purpose", { enum: accountTokenPurposes }).notNull(),
    /** Hex SHA-256 of the token: the token has 256 random bits, so no slow hash is needed. */
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAtColumn(),
  },
  (table) => [index("account_tokens_user_purpose_idx").on(table.userId, table.purpose)],
);

/**
 * Browsers a user has signed in from: the `sp_device` cookie holds a random id, and only its
 * SHA-256 is kept here. A sign-in from a browser not in this list (once the account has one)
 * mails the user a security notice.
 */
export const userDevices = pgTable(
  "user_devices",
  {
    userId: ownerUserIdColumn(),
    deviceHash: text("device_hash").notNull(),
    createdAt: createdAtColumn(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.deviceHash] })],
);
