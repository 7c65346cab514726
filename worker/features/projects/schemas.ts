import * as z from "zod";
import { endpointStates, projectPlans } from "../../../db/schema/projects";
import {
  errorResponse,
  noContent,
  pageOf,
  type RouteContract,
  rateLimited,
  timestamp,
} from "../../lib/contract";
import {
  OBSERVATION_WINDOW_MAX_MINUTES,
  PROJECT_DESCRIPTION_MAX_LENGTH,
  PROJECT_NAME_MAX_LENGTH,
} from "../../lib/field-limits";
import { paginationQuery } from "../../lib/pagination";
import { isJudgeName, judges } from "../analysis/judge";
import { judgeSettingsView, sensitivity } from "../analysis/schemas";
import { type JudgeSettings, type MetricName, metricNames } from "../analysis/types";

export const envName = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, { message: "Use lower-case letters, digits, - and _." });

export const metricsUrl = z.string().trim().min(1).max(2048);

export const createProjectBody = z.object({
  name: z.string().trim().min(1).max(PROJECT_NAME_MAX_LENGTH),
  description: z.string().trim().max(PROJECT_DESCRIPTION_MAX_LENGTH).optional(),
  envs: z
    .array(envName)
    .min(1)
    .max(10)
    .refine((envs) => new Set(envs).size === envs.length, { message: "Environments must be unique." })
    .optional(),
  metricsEndpoint: metricsUrl.optional(),
  observationWindowMinutes: z.number().int().min(1).max(OBSERVATION_WINDOW_MAX_MINUTES).optional(),
});

/** The judges a project may choose (worker/features/analysis/judge.ts). */
export const judgeName = z.string().refine(isJudgeName, {
  message: `judge must be one of: ${Object.keys(judges).join(", ")}.`,
});

export const judgedMetrics = metricNames satisfies readonly MetricName[];

/**
 * JudgeSettings as a client may send them: strict (an unknown key is a 400, not silently kept),
 * duplicates in `ignoredMetrics` collapsed, and at least one metric left to judge.
 */
export const judgeSettings = z
  .strictObject({
    sensitivity: sensitivity.optional(),
    ignoredMetrics: z
      .array(z.enum(judgedMetrics))
      .max(20)
      .transform((metrics) => judgedMetrics.filter((metric) => metrics.includes(metric)))
      .refine((metrics) => metrics.length < judgedMetrics.length, {
        message: "Leave at least one metric for the judge: ignoring all five would judge nothing.",
      })
      .optional(),
  })
  .transform((settings): JudgeSettings => {
    const result: JudgeSettings = {};
    if (settings.sensitivity) result.sensitivity = settings.sensitivity;
    if (settings.ignoredMetrics && settings.ignoredMetrics.length > 0) {
      result.ignoredMetrics = settings.ignoredMetrics;
    }
    return result;
  });

/** Minutes between two continuous-baseline samples; 0 turns it off. */
export const baselineIntervals = [0, 5, 10, 30] as const;

export const updateProjectBody = z
  .object({
    name: z.string().trim().min(1).max(PROJECT_NAME_MAX_LENGTH).optional(),
    description: z.string().trim().max(PROJECT_DESCRIPTION_MAX_LENGTH).nullable().optional(),
    envs: createProjectBody.shape.envs,
    observationWindowMinutes: z.number().int().min(1).max(OBSERVATION_WINDOW_MAX_MINUTES).optional(),
    judge: judgeName.optional(),
    judgeSettings: judgeSettings.optional(),
    baselineIntervalMinutes: z
      .number()
      .int()
      .refine((minutes) => (baselineIntervals as readonly number[]).includes(minutes), {
        message: "baselineIntervalMinutes must be one of: 0 (off), 5, 10, 30.",
      })
      .optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "Send at least one field.",
  });

export const deleteProjectBody = z.object({ confirmName: z.string() });

export const endpointBody = z.object({ url: metricsUrl });

export const projectIdParam = z.object({ id: z.string() });

export const projectListQuery = z.object(paginationQuery);

// ---- Answers ----

export const endpointSchema = z.strictObject({
  state: z.enum(endpointStates),
  candidate: z
    .string()
    .nullable()
    .describe("The URL set last, waiting for a successful test (or equal to `active`)."),
  active: z.string().nullable().describe("The URL collection uses."),
  lastTestedAt: timestamp.nullable(),
  lastVerifiedAt: timestamp.nullable(),
  lastError: z.strictObject({ code: z.string(), message: z.string().nullable() }).nullable(),
});

const unlimited = (what: string) => z.number().int().nullable().describe(`${what}; null: unlimited.`);

/** worker/features/plans/limits.ts, as the dashboard shows it. */
export const planLimitsSchema = z.strictObject({
  deploymentsPerMonth: unlimited("Deployments per UTC month"),
  quotaWarningAt: unlimited("The month's deployment that sends the quota warning"),
  maxEnvs: z.number().int(),
  forcedEnv: z
    .string()
    .nullable()
    .describe("Every deployment is recorded in this environment (null: as sent)."),
  maxObservationWindowMinutes: z.number().int(),
  endpointPathChanges: unlimited("Changes of the endpoint's path"),
  endpointHostMigrations: unlimited("Moves of the endpoint to another host"),
  sampleRetentionDays: z.number().int(),
  slack: z.boolean(),
});

export const projectSchema = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  envs: z.array(z.string()),
  observationWindowMinutes: z.number().int(),
  effectiveObservationWindowMinutes: z
    .number()
    .int()
    .describe("The window new deployments observe: the project's, at most the plan's maximum."),
  plan: z.enum(projectPlans),
  usage: z
    .strictObject({ deploymentsThisMonth: z.number().int(), monthResetsAt: timestamp })
    .describe("Deployments created this UTC month, and when the count starts again."),
  limits: planLimitsSchema,
  endpointChanges: z
    .strictObject({ pathChanges: z.number().int(), hostMigrations: z.number().int() })
    .describe("Endpoint URL changes activated so far, counted against the plan's limits."),
  judge: z.string(),
  judgeSettings: judgeSettingsView,
  baselineIntervalMinutes: z
    .number()
    .int()
    .describe("Minutes between two continuous-baseline samples; 0 = off."),
  apiKeyPrefix: z.string(),
  endpoint: endpointSchema,
  collection: z
    .strictObject({ consecutiveTimeouts: z.number().int(), backedOffUntil: timestamp.nullable() })
    .describe("Timeouts in a row, and until when collection is backed off (null when it is not)."),
  hmac: z.strictObject({ enabled: z.boolean(), previousSecretValidUntil: timestamp.nullable() }),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export type ProjectView = z.output<typeof projectSchema>;
export type EndpointView = z.output<typeof endpointSchema>;

export const projectResponse = z.strictObject({ project: projectSchema });
/** The API key is shown once: only its hash is kept. */
export const projectWithKeyResponse = z.strictObject({ project: projectSchema, apiKey: z.string() });
export const endpointResponse = z.strictObject({ endpoint: endpointSchema });
export const endpointTestResponse = z.strictObject({
  endpoint: endpointSchema,
  /** The values the endpoint answered. */
  sample: z.strictObject({
    requestsPerSec: z.number(),
    latencyP95: z.number(),
    errorRate: z.number(),
    cpuUsage: z.number(),
    memoryUsage: z.number(),
  }),
});
/** The HMAC secret is shown once. */
export const hmacSecretResponse = z.strictObject({ project: projectSchema, secret: z.string() });
export const hmacRotateResponse = hmacSecretResponse.extend({ previousSecretValidUntil: timestamp });

const notFound = errorResponse("No such project (or not yours).");
const tag = "Projects";

export const projectContract: RouteContract[] = [
  {
    method: "POST",
    path: "/api/projects",
    tag,
    summary: "Create a project",
    security: "user",
    request: { body: createProjectBody },
    responses: {
      201: { description: "The project and its API key (shown once).", body: projectWithKeyResponse },
      403: errorResponse(
        "The account has reached its project limit, a setting is above the plan's (PLAN_LIMIT), or the request is cross-site.",
      ),
    },
  },
  {
    method: "GET",
    path: "/api/projects",
    tag,
    summary: "List projects",
    security: "user",
    request: { query: projectListQuery },
    responses: { 200: { description: "One page of projects, newest first.", body: pageOf(projectSchema) } },
  },
  {
    method: "GET",
    path: "/api/projects/:id",
    tag,
    summary: "One project",
    security: "user",
    request: { params: projectIdParam },
    responses: { 200: { description: "The project.", body: projectResponse }, 404: notFound },
  },
  {
    method: "PATCH",
    path: "/api/projects/:id",
    tag,
    summary: "Change a project's settings",
    security: "user",
    request: { params: projectIdParam, body: updateProjectBody },
    responses: {
      200: { description: "The project.", body: projectResponse },
      403: errorResponse("A setting is above the plan's (PLAN_LIMIT, `details.limit`)."),
      404: notFound,
    },
  },
  {
    method: "DELETE",
    path: "/api/projects/:id",
    tag,
    summary: "Delete a project and its deployments",
    description: "`confirmName` must be the project's name.",
    security: "user",
    request: { params: projectIdParam, body: deleteProjectBody },
    responses: { 204: noContent, 404: notFound },
  },
  {
    method: "POST",
    path: "/api/projects/:id/api-key/rotate",
    tag,
    summary: "Replace the API key (the old one stops working at once)",
    security: "user",
    request: { params: projectIdParam },
    responses: {
      200: { description: "The project and its new API key (shown once).", body: projectWithKeyResponse },
      404: notFound,
    },
  },
  {
    method: "GET",
    path: "/api/projects/:id/endpoint",
    tag,
    summary: "The metrics endpoint's state",
    security: "user",
    request: { params: projectIdParam },
    responses: { 200: { description: "The endpoint.", body: endpointResponse }, 404: notFound },
  },
  {
    method: "PUT",
    path: "/api/projects/:id/endpoint",
    tag,
    summary: "Set the metrics endpoint (a candidate until a test succeeds)",
    security: "user",
    request: { params: projectIdParam, body: endpointBody },
    responses: {
      200: { description: "The endpoint.", body: endpointResponse },
      403: errorResponse("The plan's endpoint changes are used (PLAN_LIMIT, `details.limit`)."),
      404: notFound,
    },
  },
  {
    method: "POST",
    path: "/api/projects/:id/endpoint/test",
    tag,
    summary: "Test the metrics endpoint and activate it if it answers well",
    security: "user",
    request: { params: projectIdParam },
    responses: {
      200: {
        description: "The endpoint (now active) and the values it answered.",
        body: endpointTestResponse,
      },
      403: errorResponse("The plan's endpoint changes are used (PLAN_LIMIT, `details.limit`)."),
      404: notFound,
      422: errorResponse("The endpoint failed the test (`details.reason`, `details.endpoint`)."),
      429: rateLimited("Too many endpoint tests."),
    },
  },
  {
    method: "POST",
    path: "/api/projects/:id/hmac/enable",
    tag,
    summary: "Sign metrics requests with HMAC",
    security: "user",
    request: { params: projectIdParam },
    responses: {
      200: { description: "The project and the secret (shown once).", body: hmacSecretResponse },
      404: notFound,
      409: errorResponse("HMAC signing is already on."),
    },
  },
  {
    method: "POST",
    path: "/api/projects/:id/hmac/disable",
    tag,
    summary: "Stop signing metrics requests",
    security: "user",
    request: { params: projectIdParam },
    responses: { 200: { description: "The project.", body: projectResponse }, 404: notFound },
  },
  {
    method: "POST",
    path: "/api/projects/:id/hmac/rotate",
    tag,
    summary: "Replace the HMAC secret (the previous one works for a grace period)",
    security: "user",
    request: { params: projectIdParam },
    responses: {
      200: {
        description: "The project, the new secret (shown once) and the grace period's end.",
        body: hmacRotateResponse,
      },
      404: notFound,
      409: errorResponse("HMAC signing is off."),
    },
  },
];
