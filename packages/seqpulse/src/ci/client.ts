/**
 * The CI side of SeqPulse: trigger a deployment before deploying, finish it afterwards (always),
 * then read its verdict. Every call has a short explicit timeout; 5xx answers and network errors
 * are retried with backoff, 4xx answers never are (they will not get better by asking again),
 * except 429, retried after its `Retry-After`.
 */

export type PipelineResult = "success" | "failed";
export type VerdictLevel = "ok" | "warning" | "rollback_recommended";

export interface CIClientOptions {
  /** The SeqPulse API, e.g. `https://seqpulse.example.com` (the `/deployments/...` paths are appended). */
  baseUrl: string;
  /** The project's API key (`sp_...`), sent as `X-API-Key`. */
  apiKey: string;
  /** Per request, default 10 s. */
  timeoutMs?: number;
  /** Further attempts after a 5xx or a network error, default 2. */
  retries?: number;
  /** First backoff delay, doubled on each retry; default 500 ms. */
  retryDelayMs?: number;
  /** Injectable for tests and runtimes without a global `fetch`. */
  fetch?: typeof fetch;
}

export interface TriggerInput {
  env: string;
  branch?: string;
  commitSha?: string;
  metricsEndpoint?: string;
  /** Pipeline context, shown as links on the deployment. */
  version?: string;
  commitUrl?: string;
  ciRunUrl?: string;
  actor?: string;
  /** Sent as `X-Idempotency-Key`: the same key answers the same deployment. */
  idempotencyKey?: string;
}

export interface TriggerResult {
  deploymentId: string;
  /** True when SeqPulse answered an earlier trigger with the same idempotency key. */
  replayed: boolean;
}

export interface FinishInput {
  deploymentId: string;
  result: PipelineResult;
  metricsEndpoint?: string;
}

export interface FinishResult {
  status: "accepted" | "ignored";
  message: string;
}

export interface Finding {
  title?: string;
  metric?: string;
  severity?: string;
  [key: string]: unknown;
}

/** `GET /deployments/:id/verdict`: the verdict once there is one, `verdict: null` before. */
export interface VerdictAnswer {
  deployment_id: string;
  state: string;
  verdict: VerdictLevel | null;
  confidence: number | null;
  summary: string | null;
  findings: Finding[];
  early: boolean;
  dashboard_url: string | null;
}

/** `GET /deployments/:id`, the fields the client reads (the API sends more). */
export interface DeploymentAnswer {
  id: string;
  state: string;
  env?: string;
  observationWindowMinutes?: number;
  finishedAt?: string | null;
  hints?: unknown[];
  [key: string]: unknown;
}

export interface WaitOptions {
  /** How long to wait for a verdict in total, default 30 minutes. */
  timeoutMs?: number;
  /** Called after each round with the deployment as it is now. */
  onProgress?: (deployment: DeploymentAnswer, elapsedMs: number) => void;
  /** Long-poll length per request in seconds (the API caps it at 60), default 25. */
  pollSeconds?: number;
  /** Shortest time between two polls, should the server answer at once; default 5 s. */
  minRoundMs?: number;
}

/** Why a call failed: `status` is set when SeqPulse answered (a 4xx, or a 5xx after retries). */
export class SeqPulseError extends Error {
  override name = "SeqPulseError";
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
  /** SeqPulse could not be reached or kept failing (network, timeout, 5xx): not the caller's fault. */
  get unreachable(): boolean {
    return this.status === null || this.status >= 500;
  }
}

/** The verdict did not arrive within the wait. */
export class VerdictTimeoutError extends SeqPulseError {
  override name = "VerdictTimeoutError";
  constructor(
    message: string,
    readonly last: VerdictAnswer | null,
  ) {
    super(message, null, "VERDICT_TIMEOUT");
  }
}

export interface CIClient {
  trigger(input: TriggerInput): Promise<TriggerResult>;
  finish(input: FinishInput): Promise<FinishResult>;
  getDeployment(id: string): Promise<DeploymentAnswer>;
  /** One request: the verdict if present, else whatever arrives after up to `waitSeconds`. */
  getVerdict(id: string, waitSeconds?: number): Promise<VerdictAnswer>;
  waitForVerdict(id: string, options?: WaitOptions): Promise<VerdictAnswer>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_RETRIES = 2;
const DEFAULT_RETRY_DELAY_MS = 500;

export function createCIClient(options: CIClientOptions): CIClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  if (!/^https?:\/\//.test(baseUrl)) throw new TypeError("baseUrl must be an http(s) URL.");
  if (!options.apiKey) throw new TypeError("apiKey is required.");
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retries = options.retries ?? DEFAULT_RETRIES;
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;

  async function call<T>(
    method: "GET" | "POST",
    path: string,
    init: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<{ body: T; headers: Headers }> {
    const headers: Record<string, string> = {
      Accept: "application/json",
      "X-API-Key": options.apiKey,
      "User-Agent": "seqpulse-cli",
      ...init.headers,
    };
    if (init.body !== undefined) headers["Content-Type"] = "application/json";
    let lastError: SeqPulseError | null = null;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(retryDelayMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2));
      const limit = init.timeoutMs ?? timeoutMs;
      let response: Response;
      let text: string;
      try {
        response = await doFetch(`${baseUrl}${path}`, {
          method,
          headers,
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
          redirect: "error",
          signal: AbortSignal.timeout(limit),
        });
        text = await response.text();
      } catch (error) {
        const timedOut =
          error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        lastError = new SeqPulseError(
          timedOut
            ? `No answer from ${baseUrl} within ${limit / 1000} s.`
            : `Cannot reach ${baseUrl}: ${describeNetworkError(error)}.`,
          null,
          timedOut ? "TIMEOUT" : "NETWORK",
        );
        continue;
      }
      if (response.ok) {
        try {
          return { body: JSON.parse(text) as T, headers: response.headers };
        } catch {
          lastError = new SeqPulseError(
            `${method} ${path} answered with a body that is not JSON.`,
            response.status,
          );
          continue;
        }
      }
      lastError = errorFromAnswer(method, path, response.status, text);
      // 429 is the one 4xx that asking again (later) fixes: its Retry-After says when.
      if (response.status === 429) {
        if (attempt < retries) await sleep(retryAfterMs(response.headers.get("Retry-After")));
        continue;
      }
      if (response.status < 500) throw lastError;
    }
    throw lastError ?? new SeqPulseError("Request failed.", null);
  }

  const client: CIClient = {
    async trigger(input) {
      const { body, headers } = await call<{ deployment_id: string }>("POST", "/deployments/trigger", {
        headers: input.idempotencyKey ? { "X-Idempotency-Key": input.idempotencyKey } : {},
        body: dropUndefined({
          env: input.env,
          branch: input.branch,
          commit_sha: input.commitSha,
          metrics_endpoint: input.metricsEndpoint,
          version: input.version,
          commit_url: input.commitUrl,
          ci_run_url: input.ciRunUrl,
          actor: input.actor,
        }),
      });
      if (typeof body.deployment_id !== "string" || !body.deployment_id)
        throw new SeqPulseError("The trigger answer has no deployment_id.", 200);
      return { deploymentId: body.deployment_id, replayed: headers.get("Idempotent-Replayed") === "true" };
    },

    async finish(input) {
      const { body } = await call<FinishResult>("POST", "/deployments/finish", {
        body: dropUndefined({
          deployment_id: input.deploymentId,
          result: input.result,
          metrics_endpoint: input.metricsEndpoint,
        }),
      });
      return { status: body.status, message: body.message };
    },

    async getDeployment(id) {
      // The API answers `{"deployment": {...}}`, as its other reads do.
      const answer = await call<{ deployment: DeploymentAnswer }>(
        "GET",
        `/deployments/${encodeURIComponent(id)}`,
      );
      return answer.body.deployment;
    },

    async getVerdict(id, waitSeconds = 0) {
      const wait = Math.max(0, Math.min(60, Math.floor(waitSeconds)));
      const path = `/deployments/${encodeURIComponent(id)}/verdict${wait > 0 ? `?wait=${wait}` : ""}`;
      // The long poll holds the request open for up to `wait` seconds: the timeout covers it.
      const answer = await call<VerdictAnswer>("GET", path, { timeoutMs: timeoutMs + wait * 1000 });
      return { ...answer.body, findings: Array.isArray(answer.body.findings) ? answer.body.findings : [] };
    },

    async waitForVerdict(id, waitOptions = {}) {
      const total = waitOptions.timeoutMs ?? 30 * 60_000;
      const pollSeconds = waitOptions.pollSeconds ?? 25;
      const minRoundMs = waitOptions.minRoundMs ?? 5_000;
      const started = Date.now();
      let last: VerdictAnswer | null = null;
      for (;;) {
        const left = total - (Date.now() - started);
        if (left <= 0) break;
        const roundStarted = Date.now();
        last = await client.getVerdict(id, Math.min(pollSeconds, Math.ceil(left / 1000)));
        if (last.verdict) return last;
        if (isFinalWithoutVerdict(last.state)) return last;
        if (waitOptions.onProgress) {
          // Progress is a courtesy: a failed read of it does not end the wait for the verdict.
          const deployment = await client.getDeployment(id).catch(() => null);
          if (deployment) waitOptions.onProgress(deployment, Date.now() - started);
        }
        // A server that answers at once (no long poll) must not be hammered: the project key's
        // calls are rate limited, and the pipeline's other calls share the limit.
        const roundMs = Date.now() - roundStarted;
        const leftMs = total - (Date.now() - started);
        if (roundMs < minRoundMs) await sleep(Math.max(0, Math.min(minRoundMs - roundMs, leftMs)));
      }
      throw new VerdictTimeoutError(`No verdict within ${Math.round(total / 1000)} s.`, last);
    },
  };
  return client;
}

/** States after which no verdict will come (cancelled, or expired without a finish). */
function isFinalWithoutVerdict(state: string): boolean {
  return state === "cancelled" || state === "expired";
}

function errorFromAnswer(method: string, path: string, status: number, text: string): SeqPulseError {
  let code: string | null = null;
  let message = `${method} ${path} answered HTTP ${status}`;
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string }; message?: string };
    code = body.error?.code ?? null;
    const detail = body.error?.message ?? body.message;
    if (detail) message += `: ${detail}`;
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  return new SeqPulseError(`${message}.`, status, code);
}

/** `Retry-After` in seconds (the API's form), capped so a pipeline never stalls for long. */
function retryAfterMs(header: string | null): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 30) * 1000 : 1000;
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== ""));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
