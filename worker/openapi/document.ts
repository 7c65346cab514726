import * as z from "zod";
import { authContract } from "../features/auth/schemas";
import { deploymentContract } from "../features/deployments/schemas";
import { healthContract } from "../features/health/schemas";
import { oauthContract } from "../features/oauth/schemas";
import { projectContract } from "../features/projects/schemas";
import { twoFactorContract } from "../features/two-factor/schemas";
import { verdictReviewContract } from "../features/verdict-review/schemas";
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
  ...healthContract,
  ...openApiContract,
];

const securityRequirements: Record<RouteSecurity, Record<string, string[]>[]> = {
  public: [],
  user: [{ session: [] }, { apiToken: [] }],
  session: [{ session: [] }],
  "project-key": [{ apiKey: [] }, { apiKeyBearer: [] }],
  // Anonymous callers are answered too; the operator token shows more.
  operator: [{}, { operatorToken: [] }],
};

type JsonSchema = Record<string, unknown>;

const ERROR_REF = { $ref: "#/components/schemas/Error" };

function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  if (schema === errorEnvelope) return ERROR_REF;
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, target: "draft-2020-12" }) as JsonSchema;
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
    const json = jsonSchemaOf(schema, "input");
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

function operationOf(route: RouteContract) {
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
          ? { content: { "application/json": { schema: jsonSchemaOf(response.body, "output") } } }
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
            content: { "application/json": { schema: jsonSchemaOf(route.request.body, "input") } },
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
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = operationOf(route);
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
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: jsonSchemaOf(errorEnvelope.meta({}), "output") },
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
