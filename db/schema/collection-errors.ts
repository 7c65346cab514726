import { bigserial, boolean, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { deploymentIdColumn } from "./deployments";
import { samplePhases } from "./metric-samples";

/** Why a sample is missing: shown on the deployment, used by support. */
export const collectionErrors = pgTable(
  "collection_errors",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deploymentId: deploymentIdColumn(),
    phase: text("phase", { enum: samplePhases }).notNull(),
    sequence: integer("sequence").notNull(),
    /** Stable code: ENDPOINT_UNREACHABLE, ENDPOINT_TIMEOUT, ENDPOINT_HTTP_STATUS, HMAC_REFUSED, BAD_PAYLOAD... */
    code: text("code").notNull(),
    message: text("message").notNull(),
    attempt: integer("attempt").notNull(),
    /** True when no retry follows (the sample stays missing). */
    final: boolean("final").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
  },
  (table) => [index("collection_errors_deployment_idx").on(table.deploymentId, table.occurredAt)],
);
