import { sql } from "drizzle-orm";
import { bigint, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAtColumn, updatedAtColumn } from "./columns";

export const userLocales = ["en", "fr", "es", "de"] as const;
export type UserLocale = (typeof userLocales)[number];

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** As typed at signup (trimmed); uniqueness is on the lower-cased value. */
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    locale: text("locale", { enum: userLocales }).notNull().default("en"),
    /**
     * When someone proved they own `email`: a verification link or a password reset from a
     * mailed link, or a provider vouched for it at an OAuth sign-in. Null until then: such an
     * address proves nothing and is never used to link an OAuth identity automatically.
     */
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    /** `scrypt$...` (see worker/lib/password.ts); null for accounts made through OAuth only. */
    passwordHash: text("password_hash"),
    /** AES-GCM ciphertext of the TOTP secret (worker/lib/secret-box.ts); set once 2FA is enabled. */
    totpSecretEncrypted: text("totp_secret_encrypted"),
    /** A secret offered by 2FA setup and not yet confirmed with a code. */
    totpPendingSecretEncrypted: text("totp_pending_secret_encrypted"),
    totpEnabledAt: timestamp("totp_enabled_at", { withTimezone: true }),
    /** Last accepted TOTP time step: a code is accepted only for a later step (no replay). */
    totpLastUsedStep: bigint("totp_last_used_step", { mode: "number" }),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (table) => [uniqueIndex("users_email_lower_unique").on(sql`lower(${table.email})`)],
);

/** The user a row belongs to: the row is deleted with its user. */
export const ownerUserIdColumn = () =>
  uuid("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" });
