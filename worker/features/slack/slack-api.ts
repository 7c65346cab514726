// Slack's two doors: the Web API (`chat.postMessage`, `chat.update`, bot token) and incoming
// webhooks. Both answer in their own way (the Web API 200 with `{ ok: false, error }`, webhooks a
// plain-text body and a 4xx), and both are read here into one outcome. Nothing here throws.
import * as z from "zod";
import { log } from "../../lib/log";
import { parseLoopbackOverride } from "../../lib/loopback-override";
import { isSlackWebhookUrl } from "./webhook-url";

export const SLACK_API_BASE = "https://slack.com/api";
export const SLACK_WEBHOOK_ORIGIN = "https://hooks.slack.com";
/** Slack answers in well under a second; a job or a test message never waits longer than this. */
export const SLACK_TIMEOUT_MS = 5_000;
const MAX_ANSWER_BYTES = 16_384;

export interface SlackSettings {
  /** `SLACK_ENABLED` is not "false" and the override, if any, is valid. */
  enabled: boolean;
  /** Where a Slack URL is really fetched: itself in production, the local stand-in in tests. */
  resolveUrl: (url: string) => string;
}

/**
 * `SLACK_ENABLED` ("false" stops every post: the kill switch) and
 * `SLACK_API_BASE_URL_OVERRIDE`, test and local-dev only: honoured only when it names a loopback
 * address, which a deployed Worker cannot reach, so a stray production value fails closed (Slack
 * is off and the reason logged) instead of sending tokens elsewhere.
 */
export function readSlackSettings(
  env: Pick<Env, "SLACK_ENABLED" | "SLACK_API_BASE_URL_OVERRIDE">,
): SlackSettings {
  const enabled = (env.SLACK_ENABLED ?? "").trim().toLowerCase() !== "false";
  const override = parseLoopbackOverride((env.SLACK_API_BASE_URL_OVERRIDE ?? "").trim());
  if (override === "invalid") {
    log("error", "SLACK_API_BASE_URL_OVERRIDE is not a loopback URL: Slack is disabled");
    return { enabled: false, resolveUrl: (url) => url };
  }
  return { enabled, resolveUrl: override ? (url) => mapSlackUrl(override, url) : (url) => url };
}

/**
 * `https://slack.com/api/chat.update` becomes `<override>/api/chat.update` and
 * `https://hooks.slack.com/services/T/B/x` becomes `<override>/services/T/B/x`: one local server
 * plays both hosts, whose paths do not overlap.
 */
export function mapSlackUrl(base: URL, url: string): string {
  const target = new URL(url);
  if (target.protocol !== "https:" || (target.host !== "slack.com" && target.host !== "hooks.slack.com")) {
    throw new Error(`not a Slack URL: ${target.origin}`);
  }
  return `${base.href.replace(/\/+$/, "")}${target.pathname}${target.search}`;
}

/** Why a call failed, as the caller acts on it. */
export type SlackFailureKind =
  /** Slack refused it for good (bad token, unknown channel, revoked webhook): do not retry. */
  | "rejected"
  /** `chat.update` of a message that no longer exists: post a new one. */
  | "message_not_found"
  | "timeout"
  /** Connection failure, 5xx, or a Slack-side error worth retrying. */
  | "unavailable"
  | "rate_limited";

export type SlackOutcome =
  | { ok: true; channel: string | null; ts: string | null }
  | {
      ok: false;
      kind: SlackFailureKind;
      /** Slack's own error string when it gave one (`invalid_auth`, `no_service`), else ours. */
      error: string;
      statusCode: number | null;
      /** From a 429's `Retry-After`. */
      retryAfterSeconds?: number;
    };

/** Web API errors that a later attempt may not get; every other `{ ok: false }` is final. */
const RETRYABLE_API_ERRORS = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "ratelimited",
  "team_added_to_org",
]);

const webApiAnswer = z.looseObject({
  ok: z.boolean(),
  error: z.string().max(200).optional(),
  channel: z.string().max(100).optional(),
  ts: z.string().max(100).optional(),
});

export interface SlackMessageBody {
  text: string;
  blocks: unknown[];
}

async function exchange(
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<{ response: Response; body: string } | { failure: SlackOutcome & { ok: false } }> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, { ...init, redirect: "manual", signal });
    return { response, body: await readLimited(response, signal) };
  } catch {
    return signal.aborted
      ? {
          failure: {
            ok: false,
            kind: "timeout",
            error: `No answer within ${timeoutMs / 1000} s.`,
            statusCode: null,
          },
        }
      : { failure: { ok: false, kind: "unavailable", error: "Connection failed.", statusCode: null } };
  }
}

function statusFailure(response: Response, body: string): SlackOutcome & { ok: false } {
  const status = response.status;
  const error = body.replace(/\s+/g, " ").trim().slice(0, 200) || `HTTP ${status}`;
  if (status === 429) {
    const retryAfter = Number(response.headers.get("Retry-After"));
    return {
      ok: false,
      kind: "rate_limited",
      error: "rate_limited",
      statusCode: status,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.min(retryAfter, 3600) : 60,
    };
  }
  if (status >= 500) return { ok: false, kind: "unavailable", error, statusCode: status };
  return { ok: false, kind: "rejected", error, statusCode: status };
}

/**
 * A Web API method with a bot token, JSON body. Slack answers 200 with `{ ok: false, error }`
 * when it refuses: a failure, final unless the error is a passing one.
 */
export async function callSlackApi(
  settings: SlackSettings,
  method: "chat.postMessage" | "chat.update",
  token: string,
  body: Record<string, unknown>,
  timeoutMs = SLACK_TIMEOUT_MS,
): Promise<SlackOutcome> {
  const result = await exchange(
    settings.resolveUrl(`${SLACK_API_BASE}/${method}`),
    {
      method: "POST",
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        Authorization: `Bearer ${token}`,
        "User-Agent": "SeqPulse-Slack/1",
      },
      body: JSON.stringify(body),
    },
    timeoutMs,
  );
  if ("failure" in result) return result.failure;
  const { response, body: text } = result;
  if (response.status !== 200) return statusFailure(response, text);
  let parsed: z.output<typeof webApiAnswer>;
  try {
    parsed = webApiAnswer.parse(JSON.parse(text));
  } catch {
    return {
      ok: false,
      kind: "unavailable",
      error: "Slack answered something that is not its API.",
      statusCode: 200,
    };
  }
  if (parsed.ok) return { ok: true, channel: parsed.channel ?? null, ts: parsed.ts ?? null };
  const error = parsed.error ?? "unknown_error";
  if (error === "message_not_found") return { ok: false, kind: "message_not_found", error, statusCode: 200 };
  if (error === "ratelimited")
    return { ok: false, kind: "rate_limited", error, statusCode: 200, retryAfterSeconds: 60 };
  return {
    ok: false,
    kind: RETRYABLE_API_ERRORS.has(error) ? "unavailable" : "rejected",
    error,
    statusCode: 200,
  };
}

/** One POST to an incoming webhook: `ok` in a 2xx is success; 4xx are final (`invalid_token`, `no_service`). */
export async function postSlackWebhook(
  settings: SlackSettings,
  webhookUrl: string,
  body: SlackMessageBody & { channel?: string },
  timeoutMs = SLACK_TIMEOUT_MS,
): Promise<SlackOutcome> {
  if (!isSlackWebhookUrl(webhookUrl))
    return { ok: false, kind: "rejected", error: "not a Slack webhook URL", statusCode: null };
  const result = await exchange(
    settings.resolveUrl(webhookUrl),
    {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-8", "User-Agent": "SeqPulse-Slack/1" },
      body: JSON.stringify(body),
    },
    timeoutMs,
  );
  if ("failure" in result) return result.failure;
  const { response, body: text } = result;
  if (response.status >= 200 && response.status < 300) return { ok: true, channel: null, ts: null };
  return statusFailure(response, text);
}

async function readLimited(response: Response, signal: AbortSignal): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_ANSWER_BYTES) {
      if (signal.aborted) throw signal.reason;
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes.subarray(0, MAX_ANSWER_BYTES));
}
