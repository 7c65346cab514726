import * as z from "zod";

/**
 * The closed list of error codes the API answers with. Clients may rely on these strings;
 * add new ones, never rename.
 */
export const errorStatus = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  INVALID_CODE: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  REAUTH_REQUIRED: 403,
  NOT_FOUND: 404,
  PROVIDER_DISABLED: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  EMAIL_TAKEN: 409,
  LAST_SIGN_IN_METHOD: 409,
  TWO_FACTOR_ALREADY_ENABLED: 409,
  TWO_FACTOR_NOT_ENABLED: 409,
  HMAC_ALREADY_ENABLED: 409,
  HMAC_NOT_ENABLED: 409,
  DEPLOYMENT_RUNNING: 409,
  ENDPOINT_MISMATCH: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  ENDPOINT_TEST_FAILED: 422,
  IDEMPOTENCY_MISMATCH: 422,
  ENDPOINT_NOT_ACTIVE: 423,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
  PROJECT_LIMIT_REACHED: 403,
  TOO_MANY_RUNNING_DEPLOYMENTS: 429,
  DEPLOYMENT_NOT_CANCELLABLE: 409,
  DEPLOYMENT_NOT_JUDGEABLE: 409,
  DEPLOYMENT_NOT_ANALYZED: 409,
  WEBHOOK_LIMIT_REACHED: 403,
  DEPLOYMENT_QUOTA_EXCEEDED: 402,
  PLAN_LIMIT: 403,
  INVALID_UNSUBSCRIBE_TOKEN: 400,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export type ErrorStatus = (typeof errorStatus)[ErrorCode];

export const errorCodes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];

export const fieldError = z.strictObject({ field: z.string(), message: z.string() });
export type FieldError = z.output<typeof fieldError>;

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: ErrorStatus;
  readonly fields?: FieldError[];
  readonly headers?: Record<string, string>;
  /** Machine-readable context (e.g. the id of the running deployment on a 409). */
  readonly details?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      fields?: FieldError[];
      headers?: Record<string, string>;
      details?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "ApiError";
    this.code = code;
    this.status = errorStatus[code];
    this.fields = options.fields;
    this.headers = options.headers;
    this.details = options.details;
  }
}

/** Maps a bare HTTP status (from Hono internals) to our closest stable code. */
export function codeForStatus(status: number): ErrorCode {
  // The first code listed for a status is its generic one.
  const match = Object.entries(errorStatus).find(([, value]) => value === status);
  if (match) return match[0] as ErrorCode;
  return status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
}

/** The body of every error answer (`{ "error": { "code", "message", "requestId" } }`). */
export const errorEnvelope = z.strictObject({
  error: z.strictObject({
    code: z.enum(errorCodes),
    message: z.string(),
    requestId: z.string(),
    fields: z
      .array(fieldError)
      .optional()
      .describe("The invalid fields of a VALIDATION_FAILED (or similar) answer, in request order."),
    details: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Machine-readable context, e.g. the id of the running deployment on a 409."),
  }),
});
export type ErrorBody = z.output<typeof errorEnvelope>;

export function errorBody(
  error: Pick<ApiError, "code" | "message"> & Partial<Pick<ApiError, "fields" | "details">>,
  requestId: string,
): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      requestId,
      ...(error.fields ? { fields: error.fields } : {}),
      ...(error.details ? { details: error.details } : {}),
    },
  };
}
