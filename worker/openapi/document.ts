import * as z from "zod";
import {
  dataQuality,
  hintEvidence,
  judgeSettingsView,
  localizedText,
  shadowVerdict,
} from "../features/analysis/schemas";
import { authContract, userSchema } from "../features/auth/schemas";
import {
  collectionErrorSchema,
  deploymentContract,
  deploymentSchema,
  hintSchema,
  sampleSchema,
  storedVerdict,
} from "../features/deployments/schemas";
import { emailContract } from "../features/email/schemas";
import { healthContract } from "../features/health/schemas";
import { oauthContract } from "../features/oauth/schemas";
import { planContract } from "../features/plans/schemas";
import { endpointSchema, projectContract, projectSchema } from "../features/projects/schemas";
import { twoFactorContract } from "../features/two-factor/schemas";
import { feedbackSchema, verdictReviewContract } from "../features/verdict-review/schemas";
import { deliverySchema, webhookContract, webhookSchema } from "../features/webhooks/schemas";
import { type RouteContract, type RouteSecurity, responsesOf } from "../lib/contract";
import { errorEnvelope } from "../lib/errors";

export const openApiContract: RouteContract[] = [
  {
    method: "GET",
    path: "/openapi.json",
    tag: "Meta",
    summary: "This document",
    security: "public",
    responses: {
      200: {
        description: "The OpenAPI 3.1 document of the API.",
        body: z.looseObject({
          openapi: z.literal("3.1.0"),
          info: z.looseObject({}),
          paths: z.looseObject({}),
        }),
      },
    },
  },
];

/**
 * Every public route of the API, each with its request and every answer it gives. A new route is
 * one entry in its feature's `schemas.ts` contract list (and, for a new feature, one line here).
 */
export const apiContract: readonly RouteContract[] = [
  ...deploymentContract,
  ...authContract,
  ...oauthContract,
  ...twoFactorContract,
  ...projectContract,
  ...verdictReviewContract,
  ...webhookContract,
  ...emailContract,
  ...healthContract,
  ...planContract,
  ...openApiContract,
];

const securityRequirements: Record<RouteSecurity, Record<string, string[]>[]> = {
  public: [],
  user: [{ session: [] }, { apiToken: [] }],
  session: [{ session: [] }],
  "project-key": [{ apiKey: [] }, { apiKeyBearer: [] }],
  "user-or-project-key": [{ session: [] }, { apiToken: [] }, { apiKey: [] }, { apiKeyBearer: [] }],
  // Anonymous callers are answered too; the operator token shows more.
  operator: [{}, { operatorToken: [] }],
};

type JsonSchema = Record<string, unknown>;

/** Answer shapes named in the document's components: referenced wherever they appear. */
const namedSchemas: Record<string, z.ZodType> = {
  Error: errorEnvelope,
  LocalizedText: localizedText,
  JudgeSettings: judgeSettingsView,
  DataQuality: dataQuality,
  ShadowVerdict: shadowVerdict,
  StoredVerdict: storedVerdict,
  Deployment: deploymentSchema,
  HintEvidence: hintEvidence,
  Hint: hintSchema,
  CollectionError: collectionErrorSchema,
  Sample: sampleSchema,
  Endpoint: endpointSchema,
  Project: projectSchema,
  User: userSchema,
  VerdictFeedback: feedbackSchema,
  Webhook: webhookSchema,
  WebhookDelivery: deliverySchema,
};

const tagDescriptions: Record<string, string> = {
  CI: "Called by pipelines with the project's API key, under `/deployments` and `/api/deployments` alike: the earlier SeqPulse's paths, fields and `status` answers.",
  Auth: "Accounts, sessions and personal API tokens; sign-in with a password or an OAuth provider.",
  "Two-factor authentication": "TOTP and recovery codes: the second step of a sign-in, and their settings.",
  Projects: "Projects, their API key, metrics endpoint and HMAC signing.",
  Deployments: "Deployments with their verdict, samples and collection errors.",
  Hints: "SeqPulse Diagnostic Hints: what to check first after a deployment.",
  Stats: "The overview's counts.",
  "Verdict review":
    "Replaying verdicts with another judge or settings, and saying whether a verdict was right.",
  Webhooks:
    "Signed HTTP callbacks on deployment events (Standard Webhooks), delivered with retries, and their delivery log.",
  Health: "For load balancers and uptime monitors, under `/health` and `/api/health` alike.",
  Meta: "This document.",
};

const componentUri = (id: string) => `#/components/schemas/${id}`;

/**
 * The JSON Schemas of every body, converted together so that a named shape is a `$ref` to its
 * component wherever it appears. Requests are described as clients send them (`input`), answers
 * as the API writes them (`output`).
 */
function bodySchemasOf(routes: readonly RouteContract[]) {
  const answers = z.registry<{ id: string }>();
  const requests = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(namedSchemas)) answers.add(schema, { id });
  // A body used by several routes is converted once.
  const register = (registry: typeof answers, schema: z.ZodType, id: string) => {
    if (!registry.has(schema)) registry.add(schema, { id });
  };
  for (const route of routes) {
    const operationId = operationIdOf(route);
    if (route.request?.body) register(requests, route.request.body, `${operationId}Body`);
    for (const [status, response] of Object.entries(route.responses)) {
      if (response.body) register(answers, response.body, `${operationId}${status}`);
    }
  }
  const convert = (registry: typeof answers, io: "input" | "output") => {
    const { schemas } = z.toJSONSchema(registry, { io, target: "draft-2020-12", uri: componentUri });
    return new Map(
      Object.entries(schemas).map(([id, { $schema: _, $id: __, ...schema }]) => [id, schema as JsonSchema]),
    );
  };
  const answerSchemas = convert(answers, "output");
  const requestSchemas = convert(requests, "input");
  const inlineOrRef = (registry: typeof answers, converted: Map<string, JsonSchema>, schema: z.ZodType) => {
    const id = registry.get(schema)?.id ?? "";
    return Object.hasOwn(namedSchemas, id) ? { $ref: componentUri(id) } : (converted.get(id) ?? {});
  };
  return {
    components: Object.fromEntries(Object.keys(namedSchemas).map((id) => [id, answerSchemas.get(id) ?? {}])),
    answer: (schema: z.ZodType) => inlineOrRef(answers, answerSchemas, schema),
    request: (schema: z.ZodType) => inlineOrRef(requests, requestSchemas, schema),
  };
}

type BodySchemas = ReturnType<typeof bodySchemasOf>;

/** Parameters (path, query, headers) are inlined: they are small and flat. */
function parameterSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    target: "draft-2020-12",
  }) as JsonSchema;
  return rest;
}

/** `/api/projects/:id` -> `/api/projects/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

function parametersOf(route: RouteContract) {
  const parameters: Record<string, unknown>[] = [];
  const add = (place: "path" | "query" | "header", schema: z.ZodObject | undefined) => {
    if (!schema) return;
    const json = parameterSchemaOf(schema);
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      parameters.push({
        name,
        in: place,
        required: place === "path" || required.has(name),
        ...(typeof description === "string" ? { description } : {}),
        schema: rest,
      });
    }
  };
  const request = route.request ?? {};
  add("path", request.params);
  // Path parameters without a schema of their own are plain strings.
  const named = new Set(parameters.map((parameter) => parameter.name));
  for (const [, name] of route.path.matchAll(/:([A-Za-z0-9_]+)/g)) {
    if (name && !named.has(name))
      parameters.push({ name, in: "path", required: true, schema: { type: "string" } });
  }
  add("query", request.query);
  add("header", request.headers);
  return parameters;
}

function operationOf(route: RouteContract, bodies: BodySchemas) {
  const responses = Object.fromEntries(
    Object.entries(responsesOf(route)).map(([status, response]) => [
      status,
      {
        description: response.description,
        ...(response.headers
          ? {
              headers: Object.fromEntries(
                Object.entries(response.headers).map(([name, description]) => [
                  name,
                  { description, schema: { type: "string" } },
                ]),
              ),
            }
          : {}),
        ...(response.body
          ? { content: { "application/json": { schema: bodies.answer(response.body) } } }
          : {}),
      },
    ]),
  );
  const parameters = parametersOf(route);
  return {
    operationId: operationIdOf(route),
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    security: securityRequirements[route.security],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.request?.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: bodies.request(route.request.body) } },
          },
        }
      : {}),
    responses,
  };
}

/** `POST /api/projects/:id/hmac/rotate` -> `postApiProjectsIdHmacRotate`: unique per route. */
function operationIdOf(route: RouteContract): string {
  const words = route.path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1));
  return `${route.method.toLowerCase()}${words.join("")}`;
}

/** The OpenAPI 3.1 document of the API, built from the contract lists of the features. */
export function buildOpenApiDocument(routes: readonly RouteContract[] = apiContract) {
  const bodies = bodySchemasOf(routes);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operationOf(route, bodies);
  }
  return {
    openapi: "3.1.0" as const,
    info: {
      title: "SeqPulse API",
      version: "1",
      description:
        "Post-deployment verification: CI pipelines report deployments, SeqPulse samples the " +
        "application's metrics and answers keep or roll back, and why. Errors answer " +
        '`{ "error": { "code", "message", "requestId" } }` with a stable `code`.',
    },
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({
      name,
      ...(tagDescriptions[name] ? { description: tagDescriptions[name] } : {}),
    })),
    paths,
    components: {
      schemas: bodies.components,
      securitySchemes: {
        apiKey: {
          type: "apiKey",
          in: "header",
          name: "X-API-Key",
          description: "The project's API key (CI routes).",
        },
        apiKeyBearer: {
          type: "http",
          scheme: "bearer",
          description: "The project's API key as `Authorization: Bearer sp_...` (CI routes).",
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "seqpulse_session",
          description: "The dashboard's session cookie, set by sign-in.",
        },
        apiToken: {
          type: "http",
          scheme: "bearer",
          description: "A personal API token (created from a session).",
        },
        operatorToken: {
          type: "http",
          scheme: "bearer",
          description: "The OPERATOR_TOKEN: health answers show platform-wide counts.",
        },
      },
    },
  };
}
