import { boolean, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAtColumn, updatedAtColumn } from "./columns";
import { deploymentIdColumn } from "./deployments";
import { users } from "./users";
import { verdictValues } from "./verdicts";

/** A person's word on a verdict: was it right? One per deployment (the latest answer wins). */
export const deploymentFeedback = pgTable("deployment_feedback", {
  deploymentId: deploymentIdColumn().primaryKey(),
  userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
  correct: boolean("correct").notNull(),
  note: text("note"),
  /** The verdict the answer was about (a rejudged deployment keeps the one it had). */
  verdict: text("verdict", { enum: verdictValues }).notNull(),
  createdAt: createdAtColumn(),
  updatedAt: updatedAtColumn(),
});
