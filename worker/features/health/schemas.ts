import * as z from "zod";
import { type RouteContract, rateLimited, timestamp, underPrefixes } from "../../lib/contract";

export const liveResponse = z.strictObject({ status: z.literal("ok") });

/** The names of the checks that failed, in the order `checks` lists them. */
const reasons = z.array(
  z.enum(["db", "scheduler_db_query", "scheduler_heartbeat_fresh", "stuck_running_jobs", "failed_jobs"]),
);

/** The scheduler's checks (§14.2), when the database answered. */
const schedulerChecks = {
  scheduler_db_query: z.boolean(),
  scheduler_heartbeat_fresh: z.boolean(),
  stuck_running_jobs: z.boolean(),
  failed_jobs: z.boolean(),
};

export const databaseHealthResponse = z.strictObject({
  status: z.enum(["ok", "degraded"]),
  checks: z.union([
    z.strictObject({ db: z.boolean(), ...schedulerChecks }),
    z.strictObject({ db: z.boolean(), scheduler_db_query: z.literal(false) }),
  ]),
  reasons,
});

/**
 * Anyone sees the status, staleness, last sweep time and failed checks; an operator
 * (OPERATOR_TOKEN as Bearer) also sees the last sweep's counts, the platform-wide job counts and
 * the recent failures the checks were judged on.
 */
export const schedulerHealthResponse = z.union([
  z.strictObject({
    status: z.enum(["ok", "stale", "degraded"]),
    stale: z.boolean(),
    lastSweepAt: timestamp.nullable(),
    lastSweep: z
      .strictObject({ claimed: z.number().int(), succeeded: z.number().int(), failed: z.number().int() })
      .nullable()
      .optional(),
    jobs: z
      .strictObject({
        pending: z.number().int(),
        running: z.number().int(),
        failed: z.number().int(),
        dead: z.number().int(),
      })
      .optional(),
    recent: z
      .strictObject({
        windowSeconds: z.number().int(),
        dead: z.number().int(),
        failed: z.number().int(),
        stuckRunning: z.number().int(),
      })
      .optional(),
    checks: z.strictObject({ db: z.literal(true), ...schedulerChecks }),
    reasons,
  }),
  z.strictObject({
    status: z.literal("degraded"),
    checks: z.strictObject({ db: z.literal(false), scheduler_db_query: z.literal(false) }),
    reasons,
  }),
]);

const tag = "Health";
const limited = rateLimited("Too many health checks from this address.");

const healthRoutes: RouteContract[] = [
  {
    method: "GET",
    path: "/live",
    tag,
    summary: "The Worker answers",
    security: "public",
    responses: { 200: { description: "Alive.", body: liveResponse } },
  },
  {
    method: "GET",
    path: "",
    tag,
    summary: "The Worker and its database answer",
    security: "public",
    responses: {
      200: {
        description:
          "The database answers; `status` is degraded, and `reasons` names the checks, when the scheduler is stale, jobs are stuck or jobs died in the last 15 minutes.",
        body: databaseHealthResponse,
      },
      429: limited,
      503: { description: "The database does not answer.", body: databaseHealthResponse },
    },
  },
  {
    method: "GET",
    path: "/scheduler",
    tag,
    summary: "Whether the scheduler sweeps",
    security: "operator",
    responses: {
      200: {
        description:
          "The scheduler swept recently; `reasons` names any other failed check (stuck or recently dead jobs).",
        body: schedulerHealthResponse,
      },
      429: limited,
      503: {
        description: "The scheduler is stale, or the database does not answer.",
        body: schedulerHealthResponse,
      },
    },
  },
];

export const healthContract = underPrefixes(["/health", "/api/health"], healthRoutes);
