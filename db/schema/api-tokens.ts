import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAtColumn } from "./columns";
import { ownerUserIdColumn } from "./users";

/** Personal API tokens for scripts: `spt_<id>_<secret>`, stored as a hash with a display prefix. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    userId: ownerUserIdColumn(),
    name: text("name").notNull(),
    secretHash: text("secret_hash").notNull(),
    /** The first characters of the token, shown in lists so users can tell tokens apart. */
    displayPrefix: text("display_prefix").notNull(),
    createdAt: createdAtColumn(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
  },
  (table) => [index("api_tokens_user_idx").on(table.userId)],
);
