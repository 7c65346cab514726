import * as z from "zod";
import type * as stored from "../../../db/schema";
import {
  errorResponse,
  pageOf,
  type RouteContract,
  rateLimited,
  timestamp,
  underPrefixes,
} from "../../lib/contract";
import { errorCodes } from "../../lib/errors";
import { isHttpUrl } from "../../lib/http-url";
import { isUuid } from "../../lib/ids";
import { paginationQuery } from "../../lib/pagination";
import {
  dataQuality,
  hintEvidence,
  hintMetric,
  hintSeverity,
  judgeSettingsView,
  localizedText,
  metricName,
  shadowVerdict,
  verdictLevel,
} from "../analysis/schemas";
import type { HintSeverity, VerdictLevel } from "../analysis/types";
import { envName } from "../projects/schemas";
import {
  type DeploymentState,
  deploymentStates,
  pipelineResults,
  type SamplePhase,
  samplePhases,
} from "./states";

/** The API's enums and the database's column enums, both ways: a value added on one side only fails here. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const storedStatesMatch: Same<DeploymentState, stored.DeploymentState> = true;
const storedPhasesMatch: Same<SamplePhase, stored.SamplePhase> = true;
const storedVerdictsMatch: Same<VerdictLevel, stored.VerdictValue> = true;
const storedSeveritiesMatch: Same<HintSeverity, (typeof stored.hintSeverities)[number]> = true;
void [storedStatesMatch, storedPhasesMatch, storedVerdictsMatch, storedSeveritiesMatch];

export const deploymentState = z.enum(deploymentStates);
export const samplePhase = z.enum(samplePhases);

// ---- CI contract (the earlier SeqPulse's paths, fields and `status` answers) ----

/** The earlier SeqPulse's limit, for the body field and the `X-Idempotency-Key` header alike. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** A link the dashboard shows as is: http(s) only, so a `javascript:` URL never becomes a link. */
const contextLink = z
  .string()
  .trim()
  .max(2048)
  .refine(isHttpUrl, { message: "Must be an http or https URL." });

/**
 * Field names and limits of the earlier SeqPulse's CI contract (snake_case on purpose), and the
 * pipeline's optional context: the release's version, links to the commit and the CI run, and
 * who started it.
 */
export const triggerBody = z.object({
  env: envName,
  idempotency_key: z.string().max(MAX_IDEMPOTENCY_KEY_LENGTH).optional(),
  branch: z.string().max(255).optional(),
  commit_sha: z.string().trim().max(64).optional(),
  metrics_endpoint: z.string().max(2048).optional(),
  version: z.string().trim().max(100).optional(),
  commit_url: contextLink.optional(),
  ci_run_url: contextLink.optional(),
  actor: z.string().trim().max(100).optional(),
});

export const finishBody = z.object({
  deployment_id: z.uuid(),
  result: z.enum(pipelineResults),
  metrics_endpoint: z.string().max(2048).optional(),
});

export const triggerResponse = z.strictObject({
  deployment_id: z.uuid(),
  status: z.literal("created"),
  message: z
    .string()
    .nullable()
    .describe("Null, or says the plan recorded the deployment in another environment than the one sent."),
});

export const finishResponse = z.strictObject({
  status: z.enum(["accepted", "ignored"]),
  message: z.string(),
});

/** The earlier SeqPulse's `status` and `message`, with the API's error body beside them. */
export const finishNotFoundResponse = z.strictObject({
  status: z.literal("not_found"),
  message: z.string(),
  error: z.strictObject({ code: z.enum(errorCodes), message: z.string(), requestId: z.string() }),
});

// ---- Pipelines reading their deployment ----

/**
 * `?wait=<seconds>`: how long to wait for the verdict, a whole number from 0 (answer at once,
 * the default) to 60. Anything else is a 400: a typo must not turn a gate into a busy loop.
 */
export const verdictQuery = z.object({
  wait: z
    .string()
    .regex(/^(?:[0-5]?\d|60)$/, { message: "Must be a whole number of seconds from 0 to 60." })
    .transform(Number)
    .optional()
    .describe("Seconds to wait for the verdict (0 to 60): the answer comes as soon as it is stored."),
});

/**
 * What a pipeline (or a deployment controller) reads to gate on the verdict. snake_case like the
 * rest of the CI contract; `verdict` and the fields that come with it are null until it exists.
 */
export const verdictAnswer = z.strictObject({
  deployment_id: z.uuid(),
  state: deploymentState,
  verdict: verdictLevel.nullable().describe("null until the verdict is stored."),
  confidence: z.number().nullable(),
  summary: z.string().nullable().describe("The verdict's summary, in English."),
  findings: z
    .array(z.strictObject({ metric: hintMetric, severity: hintSeverity, title: z.string() }))
    .describe("The top three findings, most severe first."),
  early: z.boolean().describe("Decided before the window was over (an overwhelming regression)."),
  dashboard_url: z.url().describe("The deployment's page on the dashboard."),
});

export type VerdictAnswer = z.output<typeof verdictAnswer>;

/**
 * What Flagger POSTs to a webhook: the canary's name, namespace, phase and checksum, and the
 * webhook's `metadata` (strings) from the Canary. Flagger sends no headers of ours, so the key
 * may come as `metadata.api_key`. The deployment is `deployment_id`, or else the latest of `env`
 * (with `version`, when given).
 */
export const gateBody = z.object({
  name: z.string().max(253).optional(),
  namespace: z.string().max(253).optional(),
  phase: z.string().max(64).optional(),
  checksum: z.string().max(256).optional(),
  metadata: z
    .object({
      api_key: z.string().max(256).optional(),
      deployment_id: z.uuid().optional(),
      env: envName.optional(),
      version: z.string().trim().max(100).optional(),
    })
    .refine((metadata) => metadata.deployment_id !== undefined || metadata.env !== undefined, {
      message: "Name the deployment (deployment_id) or its environment (env).",
    }),
});

// ---- Dashboard reads ----

const uuidFilter = z.string().refine(isUuid, { message: "Must be a UUID." });

export const deploymentListQuery = z.object({
  ...paginationQuery,
  project: uuidFilter.optional(),
  env: z.string().max(50).optional(),
  verdict: verdictLevel.optional(),
  state: deploymentState.optional(),
  q: z.string().trim().min(1).max(100).optional(),
});

export const hintListQuery = z.object({
  ...paginationQuery,
  project: uuidFilter.optional(),
  deployment: uuidFilter.optional(),
  severity: hintSeverity.optional(),
  metric: hintMetric.optional(),
});

export const statsQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).default(7),
  project: uuidFilter.optional(),
});

/** A stored verdict as the API shows it. */
export const storedVerdict = z.strictObject({
  verdict: verdictLevel,
  confidence: z.number(),
  summary: localizedText,
  details: z.array(localizedText),
  dataQuality,
  judge: z.string(),
  early: z.boolean().describe("Decided before the window was over (an overwhelming regression)."),
  /** The judge settings it ran with, so the verdict can be replayed (a `$ref`: no description here). */
  settings: judgeSettingsView,
  shadow: shadowVerdict
    .nullable()
    .describe("What the other judge would have said, or null when it could not say."),
});

export const deploymentSchema = z.strictObject({
  id: z.uuid(),
  number: z.number().int(),
  project: z.strictObject({ id: z.uuid(), name: z.string() }),
  env: z.string(),
  state: deploymentState,
  pipelineResult: z.enum(pipelineResults).nullable(),
  branch: z.string().nullable(),
  commitSha: z.string().nullable(),
  version: z.string().nullable(),
  commitUrl: z.string().nullable().describe("http(s) only, checked when the pipeline sent it."),
  ciRunUrl: z.string().nullable().describe("http(s) only, checked when the pipeline sent it."),
  actor: z.string().nullable(),
  observationWindowMinutes: z.number().int(),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
  analyzedAt: timestamp.nullable(),
  durationMs: z.number().int().nullable(),
  verdict: storedVerdict.nullable(),
});

export const hintSchema = z.strictObject({
  deployment: z.strictObject({ id: z.uuid(), number: z.number().int(), env: z.string() }),
  project: z.strictObject({ id: z.uuid(), name: z.string() }),
  metric: hintMetric,
  code: z.string(),
  severity: hintSeverity,
  confidence: z.number(),
  title: localizedText,
  diagnosis: localizedText,
  suggestedActions: z.array(localizedText),
  observedValue: z.number().nullable(),
  threshold: z.number().nullable(),
  evidence: hintEvidence,
  createdAt: timestamp,
});

export const collectionErrorSchema = z.strictObject({
  phase: samplePhase,
  sequence: z.number().int(),
  code: z.string(),
  message: z.string(),
  attempt: z.number().int(),
  final: z.boolean(),
  occurredAt: timestamp,
});

export const deploymentDetailSchema = deploymentSchema.extend({
  hints: z.array(hintSchema),
  collectionErrors: z.array(collectionErrorSchema),
});

export const sampleSchema = z.strictObject({
  phase: samplePhase,
  sequence: z.number().int(),
  requestsPerSec: z.number(),
  latencyP95: z.number(),
  errorRate: z.number(),
  cpuUsage: z.number(),
  memoryUsage: z.number(),
  collectedAt: timestamp,
});

export const deploymentMetricsResponse = z.strictObject({
  deploymentId: z.uuid(),
  pre: z.array(sampleSchema),
  post: z.array(sampleSchema),
  lines: z
    .record(metricName, z.number().nullable())
    .describe("Per metric, what the verdict compares POST samples with (or will); null when not judged."),
});

const dayCounts = {
  ok: z.number().int(),
  warning: z.number().int(),
  rollback_recommended: z.number().int(),
  pending: z.number().int(),
  total: z.number().int(),
};

export const deploymentStatsResponse = z.strictObject({
  since: timestamp,
  days: z
    .array(z.strictObject({ day: z.iso.date(), ...dayCounts }))
    .describe("One entry per UTC day, oldest first."),
  totals: z.strictObject(dayCounts),
});

export const deploymentResponse = z.strictObject({ deployment: deploymentSchema });

export type DeploymentView = z.output<typeof deploymentSchema>;
export type HintView = z.output<typeof hintSchema>;

const notFound = errorResponse("No such deployment (or not yours).");

const ciRoutes: RouteContract[] = [
  {
    method: "POST",
    path: "/trigger",
    tag: "CI",
    summary: "Start a deployment",
    description:
      "Called by the pipeline before it deploys: records the deployment and takes the baseline. " +
      "`X-Idempotency-Key` (or `idempotency_key`) makes a retry answer the same deployment.",
    security: "project-key",
    request: {
      body: triggerBody,
      headers: z.object({ "X-Idempotency-Key": z.string().max(MAX_IDEMPOTENCY_KEY_LENGTH).optional() }),
    },
    responses: {
      200: {
        description: "The deployment was created (or replayed).",
        body: triggerResponse,
        headers: {
          "Idempotent-Replayed": "`true` when the answer replays an earlier trigger with the same key.",
        },
      },
      402: errorResponse(
        "DEPLOYMENT_QUOTA_EXCEEDED: the plan's deployments for this UTC month are used (`details.resetsAt`).",
      ),
      409: errorResponse("A deployment is already running in this environment, or the endpoint differs."),
      422: errorResponse("The idempotency key was used with another request body."),
      423: errorResponse("The project has no active metrics endpoint."),
      429: rateLimited("Too many deployments running, or too many requests for this key."),
    },
  },
  {
    method: "POST",
    path: "/finish",
    tag: "CI",
    summary: "Finish a deployment",
    description: "Called by the pipeline after it deployed: starts the observation window.",
    security: "project-key",
    request: { body: finishBody },
    responses: {
      200: { description: "Accepted, or ignored when the deployment is not running.", body: finishResponse },
      404: { description: "No such deployment in this project.", body: finishNotFoundResponse },
      409: errorResponse("metrics_endpoint differs from the deployment's endpoint."),
    },
  },
];

/**
 * A deployment as a pipeline reads it with its project's key. Under `/api` a signed-in user may
 * read it too (any project they own); the CI paths take the key only.
 */
const readRoutes = (tag: string, security: "project-key" | "user-or-project-key"): RouteContract[] => [
  {
    method: "GET",
    path: "/:id",
    tag,
    summary: "One deployment with its hints and collection errors",
    description:
      "The dashboard's view of the deployment (camelCase, the same answer whoever reads it). " +
      "A project key reads its own project's deployments only.",
    security,
    responses: {
      200: { description: "The deployment.", body: z.strictObject({ deployment: deploymentDetailSchema }) },
      404: notFound,
    },
  },
  {
    method: "GET",
    path: "/:id/verdict",
    tag,
    summary: "The deployment's verdict, waiting for it if asked",
    description:
      "What a pipeline or a deployment controller gates on (snake_case, as the rest of the CI " +
      "contract). With `wait`, the answer comes as soon as the verdict is stored, or when the " +
      "wait is over with `verdict: null`; waits are limited per key.",
    security,
    request: { query: verdictQuery },
    responses: {
      200: { description: "The verdict, or null while there is none yet.", body: verdictAnswer },
      404: notFound,
      429: rateLimited("Too many waits for this key, or too many requests for it."),
    },
  },
];

const gateAnswer = (description: string) => ({ description, body: verdictAnswer });

/** Gates for controllers that act on a webhook's status (Flagger); the body is the verdict answer. */
const gateRoutes = (path: string, summary: string, opensOn: string): RouteContract => ({
  method: "POST",
  path,
  tag: "CI",
  summary,
  description:
    "For Flagger's webhooks, which POST `{ name, namespace, phase, checksum, metadata }` and send " +
    "no custom headers: the key may come as `metadata.api_key` (else `X-API-Key`). The deployment " +
    "is `metadata.deployment_id`, or the latest of `metadata.env` (with `metadata.version`).",
  security: "project-key",
  request: { body: gateBody },
  responses: {
    200: gateAnswer(`The verdict is \`${opensOn}\`.`),
    404: notFound,
    412: gateAnswer("Another verdict, or a deployment that will never get one (expired, cancelled)."),
    423: {
      ...gateAnswer("No verdict yet: still collecting or analysing."),
      headers: { "Retry-After": "Seconds before asking again." },
    },
  },
});

/** The routes of this feature, for the OpenAPI document and the contract checks of the tests. */
export const deploymentContract: RouteContract[] = [
  ...underPrefixes(["/deployments", "/api/deployments"], ciRoutes),
  ...underPrefixes(["/deployments"], readRoutes("CI", "project-key")),
  gateRoutes("/deployments/gate", "Gate a promotion on an ok verdict", "ok"),
  gateRoutes("/deployments/gate/rollback", "Roll back on a rollback verdict", "rollback_recommended"),
  ...underPrefixes(["/api/deployments"], readRoutes("Deployments", "user-or-project-key")),
  {
    method: "GET",
    path: "/api/deployments",
    tag: "Deployments",
    summary: "List deployments",
    security: "user",
    request: { query: deploymentListQuery },
    responses: {
      200: { description: "One page of deployments, newest first.", body: pageOf(deploymentSchema) },
    },
  },
  {
    method: "GET",
    path: "/api/deployments/:id/metrics",
    tag: "Deployments",
    summary: "A deployment's samples and comparison lines",
    security: "user",
    responses: {
      200: { description: "PRE and POST samples.", body: deploymentMetricsResponse },
      404: notFound,
    },
  },
  {
    method: "POST",
    path: "/api/deployments/:id/cancel",
    tag: "Deployments",
    summary: "Cancel a deployment stuck in running",
    security: "user",
    responses: {
      200: { description: "The cancelled deployment.", body: deploymentResponse },
      404: notFound,
      409: errorResponse("Only a running deployment can be cancelled."),
    },
  },
  {
    method: "GET",
    path: "/api/sdh",
    tag: "Hints",
    summary: "List diagnostic hints",
    security: "user",
    request: { query: hintListQuery },
    responses: { 200: { description: "One page of hints, newest first.", body: pageOf(hintSchema) } },
  },
  {
    method: "GET",
    path: "/api/stats/deployments",
    tag: "Stats",
    summary: "Deployments per UTC day and verdict",
    security: "user",
    request: { query: statsQuery },
    responses: { 200: { description: "Counts per day and in total.", body: deploymentStatsResponse } },
  },
];
