import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { createdAtColumn, updatedAtColumn } from "./columns";
import { deployments } from "./deployments";

export const slackMessageStatuses = ["pending", "posted", "failed"] as const;
export type SlackMessageStatus = (typeof slackMessageStatuses)[number];

/** What a deployment's message shows, in the order a deployment moves through them. */
export const slackMessageStages = ["observing", "verdict", "cancelled"] as const;
export type SlackMessageStage = (typeof slackMessageStages)[number];

/**
 * The one Slack message of a deployment: where it was posted (`channel` + `ts`, what
 * `chat.update` needs), what it shows now, and the last failure. `dedupe_key` is unique: every
 * job of the deployment works on the same row, so the message is posted once and then edited.
 * `posting_until` is a short claim taken before a post, so two jobs never post it twice at once.
 */
export const slackMessages = pgTable(
  "slack_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    dedupeKey: text("dedupe_key").notNull().unique(),
    deploymentId: uuid("deployment_id")
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    /** `bot` (Web API) or `webhook`. */
    path: text("path", { enum: ["bot", "webhook"] }).notNull(),
    status: text("status", { enum: slackMessageStatuses }).notNull().default("pending"),
    stage: text("stage", { enum: slackMessageStages }),
    channel: text("channel"),
    ts: text("ts"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    postingUntil: timestamp("posting_until", { withTimezone: true }),
    createdAt: createdAtColumn(),
    updatedAt: updatedAtColumn(),
  },
  (table) => [index("slack_messages_deployment_idx").on(table.deploymentId)],
);
