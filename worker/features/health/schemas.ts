import * as z from "zod";
import { type RouteContract, rateLimited, timestamp, underPrefixes } from "../../lib/contract";

export const liveResponse = z.strictObject({ status: z.literal("ok") });

export const databaseHealthResponse = z.strictObject({
  status: z.enum(["ok", "degraded"]),
  checks: z.strictObject({ db: z.boolean() }),
});

/**
 * Anyone sees the status, staleness and last sweep time; an operator (OPERATOR_TOKEN as Bearer)
 * also sees the last sweep's counts and the platform-wide job counts.
 */
export const schedulerHealthResponse = z.union([
  z.strictObject({
    status: z.enum(["ok", "stale"]),
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
    checks: z.strictObject({ db: z.literal(true) }),
  }),
  z.strictObject({ status: z.literal("degraded"), checks: z.strictObject({ db: z.literal(false) }) }),
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
      200: { description: "Healthy.", body: databaseHealthResponse },
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
      200: { description: "The scheduler swept recently.", body: schedulerHealthResponse },
      429: limited,
      503: {
        description: "The scheduler is stale, or the database does not answer.",
        body: schedulerHealthResponse,
      },
    },
  },
];

export const healthContract = underPrefixes(["/health", "/api/health"], healthRoutes);
