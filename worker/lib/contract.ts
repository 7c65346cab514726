import * as z from "zod";
import { errorEnvelope } from "./errors";

// The API contract: one entry per route (method + path), kept beside the feature's schemas in
// its `schemas.ts`, gathered by worker/openapi/document.ts into the OpenAPI document and read by
// the test client, which checks every answer against it.

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * Who may call a route:
 * - `public`: anyone;
 * - `user`: a signed-in user, by session cookie or personal API token (Bearer);
 * - `session`: a signed-in user by session cookie only (API tokens are refused with 403);
 * - `project-key`: a CI pipeline with the project's API key (`X-API-Key` or `Bearer sp_...`);
 * - `user-or-project-key`: either of the two above (reads a pipeline and its owner both need);
 * - `operator`: anyone, and the OPERATOR_TOKEN as Bearer shows more;
 * - `operator-only`: the OPERATOR_TOKEN as Bearer, nobody else;
 * - `metrics-token`: the METRICS_TOKEN as Bearer (Prometheus).
 */
export type RouteSecurity =
  | "public"
  | "user"
  | "session"
  | "project-key"
  | "user-or-project-key"
  | "operator"
  | "operator-only"
  | "metrics-token";

export interface ResponseContract {
  description: string;
  /** The JSON body; absent for answers without one (204, redirects). */
  body?: z.ZodType;
  /** A body that is not JSON: its content type (e.g. the Prometheus text format). */
  contentType?: string;
  /** Response headers worth naming (e.g. `Location` of a redirect). */
  headers?: Record<string, string>;
}

export interface RouteContract {
  method: HttpMethod;
  /** The path as the router knows it, `:name` for a parameter (`/api/projects/:id`). */
  path: string;
  /** Groups routes in the document: the feature's name. */
  tag: string;
  summary: string;
  description?: string;
  security: RouteSecurity;
  request?: {
    /** JSON body. */
    body?: z.ZodType;
    query?: z.ZodObject;
    params?: z.ZodObject;
    headers?: z.ZodObject;
  };
  /** The answers this route gives itself; the ones every route may give are added by `responsesOf`. */
  responses: Record<number, ResponseContract>;
}

/** Dates in answers: ISO 8601 in UTC, as `Date.toISOString()` writes them. */
export const timestamp = z.iso.datetime({ offset: false });

/** One page of a list, newest first; `nextCursor` fetches the next page. */
export function pageOf<Item extends z.ZodType>(item: Item) {
  return z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** An error answer with the API's error body. */
export function errorResponse(description: string): ResponseContract {
  return { description, body: errorEnvelope };
}

/** A 429 with the API's error body and how long to wait. */
export function rateLimited(description: string): ResponseContract {
  return {
    description,
    body: errorEnvelope,
    headers: { "Retry-After": "Seconds to wait before trying again." },
  };
}

export const noContent: ResponseContract = { description: "Done; no body." };

/** The same contract under each mount point (the CI paths and health exist twice). */
export function underPrefixes(
  prefixes: readonly string[],
  routes: readonly RouteContract[],
): RouteContract[] {
  return prefixes.flatMap((prefix) => routes.map((route) => ({ ...route, path: `${prefix}${route.path}` })));
}

/** Statuses a route answers because of the app's middleware, not its own handler. */
function middlewareResponses(route: RouteContract): Record<number, ResponseContract> {
  const responses: Record<number, ResponseContract> = {};
  // Any request may be malformed (a NUL character anywhere is refused before routing).
  responses[400] = errorResponse("The request is malformed or a field is invalid (`fields` names them).");
  if (route.security === "user" || route.security === "session") {
    responses[401] = errorResponse("No valid session or API token.");
  } else if (route.path.startsWith("/api/")) {
    responses[401] = errorResponse("A session or API token was sent but is not valid.");
  }
  if (route.security === "user-or-project-key") {
    responses[401] = errorResponse("No valid session, API token or project API key.");
    responses[429] = rateLimited(
      "Too many requests for this key, or too many failed keys from this address.",
    );
  }
  if (route.security === "project-key") {
    responses[401] = errorResponse("No valid project API key.");
    responses[429] = rateLimited(
      "Too many requests for this key, or too many failed keys from this address.",
    );
  }
  if (route.security === "operator") {
    responses[401] = errorResponse("A wrong operator token.");
  }
  if (route.security === "operator-only") {
    responses[401] = errorResponse("No valid operator token.");
  }
  if (route.security === "metrics-token") {
    responses[401] = errorResponse("No valid metrics token.");
  }
  const unsafe = route.method !== "GET";
  if (unsafe && route.path.startsWith("/api/")) {
    responses[403] = errorResponse("Cross-site request refused, or the session may not do this.");
  }
  if (route.security === "session") {
    responses[403] = errorResponse("A session is required: API tokens cannot do this.");
  }
  if (unsafe) {
    responses[413] = errorResponse("The body is too large.");
    responses[415] = errorResponse("The body must be JSON (Content-Type: application/json).");
  }
  responses[500] = errorResponse("Something went wrong on our side.");
  return responses;
}

/** Every answer a route may give, its own first, with their status. */
export function responsesOf(route: RouteContract): Record<number, ResponseContract> {
  return { ...middlewareResponses(route), ...route.responses };
}
