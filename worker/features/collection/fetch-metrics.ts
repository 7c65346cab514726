import { signedHeaders } from "./hmac";
import { type MetricValues, parseMetricsPayload } from "./metrics-payload";
import { checkOutboundUrl } from "./outbound-url";

export const COLLECTION_TIMEOUT_MS = 5_000;
/** Bodies larger than this are not metrics payloads. */
const MAX_BODY_BYTES = 64 * 1024;

export type CollectionErrorCode =
  | "ENDPOINT_NOT_ALLOWED"
  | "ENDPOINT_UNREACHABLE"
  | "ENDPOINT_TIMEOUT"
  | "ENDPOINT_HTTP_STATUS"
  | "HMAC_REFUSED"
  | "BAD_PAYLOAD";

export type FetchMetricsResult =
  | { ok: true; values: MetricValues; usedPreviousSecret: boolean }
  | { ok: false; code: CollectionErrorCode; message: string; httpStatus?: number; field?: string };

export interface FetchMetricsParams {
  url: string;
  projectId: string;
  /** Present when HMAC is on: the current secret, and the previous one during its grace period. */
  secrets: { current: string; previous: string | null } | null;
  allowPrivateTargets: boolean;
  now?: () => Date;
  timeoutMs?: number;
}

/** One GET of the application's metrics endpoint, validated. Never throws. */
export async function fetchMetrics(params: FetchMetricsParams): Promise<FetchMetricsResult> {
  const target = checkOutboundUrl(params.url, { allowPrivateTargets: params.allowPrivateTargets });
  if (!target.ok)
    return { ok: false, code: "ENDPOINT_NOT_ALLOWED", message: `Endpoint refused: ${target.reason}.` };
  const current = params.secrets?.current ?? null;
  let result = await attempt(params, target.url, current);
  // A refusal of a signed request is not yet proof of a wrong secret: an HTTP client (ours, or a
  // proxy in front of the application) may have replayed a request whose nonce the
  // application had already spent, and the application rightly refuses the replay. The
  // second request is signed afresh (new nonce and timestamp): a wrong secret fails it too.
  if (!result.ok && result.code === "HMAC_REFUSED") result = await attempt(params, target.url, current);
  // After a rotation, apps not yet given the new secret still verify with the old one.
  if (!result.ok && result.code === "HMAC_REFUSED" && params.secrets?.previous) {
    const previous = await attempt(params, target.url, params.secrets.previous);
    if (previous.ok) return { ...previous, usedPreviousSecret: true };
  }
  return result;
}

/**
 * One request, signed for itself: every call draws a new nonce, so no two requests we send
 * carry the same one. The timeout covers the whole exchange, body included: a body trickled
 * past it is a timeout (retried), not a bad payload.
 */
async function attempt(
  params: FetchMetricsParams,
  url: string,
  secret: string | null,
): Promise<FetchMetricsResult> {
  const now = params.now?.() ?? new Date();
  const headers: Record<string, string> = {
    Accept: "application/json",
    "User-Agent": "SeqPulse/1 (+metrics collection)",
  };
  if (secret) Object.assign(headers, await signedHeaders({ secret, url, projectId: params.projectId, now }));
  const timeoutMs = params.timeoutMs ?? COLLECTION_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const timedOut: FetchMetricsResult = {
    ok: false,
    code: "ENDPOINT_TIMEOUT",
    message: `No complete answer within ${timeoutMs / 1000} s.`,
  };
  let response: Response;
  try {
    response = await fetch(url, { headers, redirect: "manual", signal });
  } catch {
    if (signal.aborted) return timedOut;
    // workerd gives the same error for a refused connection and one reset mid-request.
    return {
      ok: false,
      code: "ENDPOINT_UNREACHABLE",
      message: "The connection failed or was closed before an answer (refused, reset or dropped).",
    };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    if (secret && (response.status === 401 || response.status === 403)) {
      return {
        ok: false,
        code: "HMAC_REFUSED",
        httpStatus: response.status,
        message: `The endpoint refused our signature (HTTP ${response.status}). Check the HMAC secret configured in the application.`,
      };
    }
    const redirect = response.status >= 300 && response.status < 400 ? " (redirects are not followed)" : "";
    return {
      ok: false,
      code: "ENDPOINT_HTTP_STATUS",
      httpStatus: response.status,
      message: `The endpoint answered HTTP ${response.status}${redirect}.`,
    };
  }
  let text: string;
  try {
    text = await readLimited(response, MAX_BODY_BYTES, signal);
  } catch (error) {
    if (signal.aborted) return timedOut;
    if (error instanceof BodyTooLargeError)
      return { ok: false, code: "BAD_PAYLOAD", field: "body", message: error.message };
    return {
      ok: false,
      code: "ENDPOINT_UNREACHABLE",
      message: "The connection was lost while reading the answer.",
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {
      ok: false,
      code: "BAD_PAYLOAD",
      field: "body",
      message: "The endpoint did not answer with JSON.",
    };
  }
  const parsed = parseMetricsPayload(body);
  if (!parsed.ok) {
    return {
      ok: false,
      code: "BAD_PAYLOAD",
      field: parsed.field,
      message: `${parsed.field} ${parsed.message}.`,
    };
  }
  return { ok: true, values: parsed.values, usedPreviousSecret: false };
}

class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
}

/**
 * Reads the body up to `maxBytes`, giving up when `signal` aborts. The abort is raced against
 * each read rather than trusted to error the stream: a fetch signal is not guaranteed to reach
 * a body already being streamed.
 */
async function readLimited(response: Response, maxBytes: number, signal: AbortSignal): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const aborted = new Promise<never>((_, reject) => {
    const stop = () => reject(signal.reason ?? new DOMException("aborted", "AbortError"));
    if (signal.aborted) stop();
    else signal.addEventListener("abort", stop, { once: true });
  });
  aborted.catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await Promise.race([reader.read(), aborted]);
    } catch (error) {
      await reader.cancel().catch(() => undefined);
      throw error;
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(`The answer is larger than ${maxBytes / 1024} KiB.`);
    }
    chunks.push(value);
  }
  const buffer = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    buffer.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(buffer);
}
