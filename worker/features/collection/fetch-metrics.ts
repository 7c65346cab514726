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
  const first = await attempt(params, target.url, params.secrets?.current ?? null);
  // After a rotation, apps not yet given the new secret still verify with the old one.
  if (!first.ok && first.code === "HMAC_REFUSED" && params.secrets?.previous) {
    const second = await attempt(params, target.url, params.secrets.previous);
    if (second.ok) return { ...second, usedPreviousSecret: true };
  }
  return first;
}

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
  let response: Response;
  try {
    response = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
      return { ok: false, code: "ENDPOINT_TIMEOUT", message: `No answer within ${timeoutMs / 1000} s.` };
    }
    return { ok: false, code: "ENDPOINT_UNREACHABLE", message: "Could not connect to the endpoint." };
  }
  if (!response.ok) {
    await response.body?.cancel();
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
  let body: unknown;
  try {
    const text = await readLimited(response, MAX_BODY_BYTES);
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

async function readLimited(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Error("body too large");
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
