import { pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAtColumn } from "./columns";
import { ownerUserIdColumn } from "./users";

/** Identities at GitHub or Google, keyed by the provider's user id (never by email). */
export const oauthAccounts = pgTable(
  "oauth_accounts",
  {
    provider: text("provider", { enum: ["github", "google"] }).notNull(),
    providerUserId: text("provider_user_id").notNull(),
    userId: ownerUserIdColumn(),
    email: text("email"),
    createdAt: createdAtColumn(),
  },
  (table) => [
    primaryKey({ columns: [table.provider, table.providerUserId] }),
    uniqueIndex("oauth_accounts_user_provider_unique").on(table.userId, table.provider),
  ],
);
