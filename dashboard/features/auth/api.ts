// The dashboard's one way to call the JSON API. No React here, so it is unit-tested in Node.
//
// Same origin: the browser sends the session cookie by itself. Every request with a body is
// JSON (the Worker's CSRF rule refuses other content types on state-changing requests). Every
// answer becomes a value, never an exception: a form shows `error` and stays usable.
import type * as z from "zod";
import type {
  loginResponse,
  sessionsResponse,
  tokensResponse,
  userSchema,
} from "../../../worker/features/auth/schemas";
import type { totpSetupResponse, twoFactorStatusResponse } from "../../../worker/features/two-factor/schemas";

export interface ApiFieldError {
  field: string;
  message: string;
}

export interface ApiFailure {
  /** 0 when the server could not be reached at all. */
  status: number;
  /** The API's stable error code, or NETWORK / a code derived from the status. */
  code: string;
  message: string;
  fields: ApiFieldError[];
  /** From Retry-After on 429s: whole seconds to wait, or null when the server did not say. */
  retryAfterSeconds: number | null;
}

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; error: ApiFailure };

export interface ApiRequestOptions {
  body?: unknown;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Retry-After is either delay-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

const codeByStatus: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
  429: "RATE_LIMITED",
  503: "SERVICE_UNAVAILABLE",
};

function fieldsOf(value: unknown): ApiFieldError[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(isRecord)
    .filter((item) => typeof item.field === "string")
    .map((item) => ({
      field: String(item.field),
      message: typeof item.message === "string" ? item.message : "",
    }));
}

/** Reads `{ error: { code, message, fields } }`, or derives a code from the status. */
export function failureOf(status: number, body: unknown, retryAfter: string | null): ApiFailure {
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  const code =
    typeof error?.code === "string" && error.code !== ""
      ? error.code
      : (codeByStatus[status] ?? (status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST"));
  return {
    status,
    code,
    message: typeof error?.message === "string" ? error.message : "",
    fields: fieldsOf(error?.fields),
    retryAfterSeconds: parseRetryAfter(retryAfter),
  };
}

export async function apiRequest<T = undefined>(
  method: Method,
  path: string,
  options: ApiRequestOptions = {},
): Promise<ApiResult<T>> {
  const { fetch: fetchImpl = globalThis.fetch, signal } = options;
  const headers: Record<string, string> = { accept: "application/json" };
  let body: string | undefined;
  // POST and PATCH always carry a JSON body (`{}` at least), so they always say they are JSON.
  if (options.body !== undefined || method === "POST" || method === "PUT" || method === "PATCH") {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.body ?? {});
  }
  let response: Response;
  try {
    response = await fetchImpl(path, {
      method,
      headers,
      body,
      credentials: "same-origin",
      cache: "no-store",
      signal,
    });
  } catch {
    return {
      ok: false,
      error: { status: 0, code: "NETWORK", message: "", fields: [], retryAfterSeconds: null },
    };
  }
  let parsed: unknown = null;
  if (response.status !== 204) {
    try {
      parsed = await response.json();
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    return { ok: false, error: failureOf(response.status, parsed, response.headers.get("retry-after")) };
  }
  if (response.status !== 204 && parsed === null) {
    // A 200 that is not JSON is a static page answering for a missing route, not the API.
    return {
      ok: false,
      error: {
        status: response.status,
        code: "UNEXPECTED_RESPONSE",
        message: "",
        fields: [],
        retryAfterSeconds: null,
      },
    };
  }
  return { ok: true, status: response.status, data: parsed as T };
}

// The API's shapes the dashboard reads: types of the worker's contract, not copies.

export type User = z.output<typeof userSchema>;

export type LoginAnswer = z.output<typeof loginResponse>;

export type SessionInfo = z.output<typeof sessionsResponse>["sessions"][number];

export type TokenInfo = z.output<typeof tokensResponse>["tokens"][number];

export type TwoFactorStatus = z.output<typeof twoFactorStatusResponse>;

export type TwoFactorSetup = z.output<typeof totpSetupResponse>;
