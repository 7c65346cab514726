import { boolean, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAtColumn, updatedAtColumn } from "./columns";
import { projects } from "./projects";

/**
 * A project's Slack notifications, one row per project (deleted with it). Two paths: an
 * incoming webhook, posted once at the verdict; or a bot token and a channel id, one message per
 * deployment posted at the trigger and updated in place (`chat.postMessage`, `chat.update`).
 * The bot path wins when both are set. The webhook URL and the bot token are secrets (whoever
 * holds them can post to the workspace): stored encrypted (worker/lib/secret-box.ts), bound to
 * the project, never returned; the answer shows the URL masked and the token as set or not.
 */
export const projectSlack = pgTable("project_slack", {
  projectId: uuid("project_id")
    .primaryKey()
    .references(() => projects.id, { onDelete: "cascade" }),
  webhookUrlEncrypted: text("webhook_url_encrypted"),
  /** The masked form shown back (`https://hooks.slack.com/services/T…/B…/••••abcd`). */
  webhookUrlPreview: text("webhook_url_preview"),
  /** Optional `#channel` sent with webhook posts (legacy webhooks honour it; app webhooks ignore it). */
  channel: text("channel"),
  botTokenEncrypted: text("bot_token_encrypted"),
  /** The channel id (`C…`, `G…`) the bot posts to. */
  botChannelId: text("bot_channel_id"),
  enabled: boolean("enabled").notNull().default(true),
  /** Only `warning` and `rollback_recommended` verdicts are posted (and nothing at the trigger). */
  onlyProblems: boolean("only_problems").notNull().default(false),
  createdAt: createdAtColumn(),
  updatedAt: updatedAtColumn(),
});
