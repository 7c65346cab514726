import type { Context } from "hono";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { DeploymentRow } from "../../../db/queries/deployments";
import {
  countDeploymentsInFlight,
  expireStaleDeployments,
  findDeploymentByIdempotencyKey,
  findProjectDeployment,
  findRunningDeployment,
  finishDeployment,
  insertDeployment,
} from "../../../db/queries/deployments";
import { findProjectByApiKeyHash, type ProjectRow } from "../../../db/queries/projects";
import type { AppEnv } from "../../env";
import { accountLimits } from "../../lib/account-limits";
import { ApiError } from "../../lib/errors";
import { describeError, log } from "../../lib/log";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { validate } from "../../lib/validation";
import { enforceRateLimit } from "../../middleware/rate-limit";
import { collectSample } from "../collection/collect-sample";
import { checkOutboundUrl } from "../collection/outbound-url";
import { hashApiKey, isApiKeyShape } from "../projects/projects";
import {
  observationJobs,
  preDeployJobKeys,
  RUNNING_DEPLOYMENT_TTL_MS,
  triggerFingerprint,
  triggerJobs,
} from "./deployments";
import { finishBody, MAX_IDEMPOTENCY_KEY_LENGTH, triggerBody } from "./schemas";

/**
 * The CI contract: `POST /deployments/trigger` and `/finish`, also under `/api`. Paths, headers
 * (`X-API-Key`, `X-Idempotency-Key`) and body fields are those of the earlier SeqPulse, so
 * existing pipelines and SDKs keep working; `status` in the answers too.
 */
type CiEnv = { Bindings: Env; Variables: AppEnv["Variables"] & { project: ProjectRow } };
export const ciRoutes = new Hono<CiEnv>();

// Authentication before validation: callers without a valid key learn nothing about the body.
// Scoped to the CI paths: the dashboard's reads share the /api/deployments prefix.
const requireProjectKey = createMiddleware<CiEnv>(async (c, next) => {
  c.set("project", await authenticateProject(c as unknown as Context<AppEnv>));
  await next();
});
ciRoutes.use("/trigger", requireProjectKey);
ciRoutes.use("/finish", requireProjectKey);

/**
 * The project whose key the pipeline presents (`X-API-Key`, or `Authorization: Bearer sp_...`).
 * A valid key is limited per key (`RATE_LIMITS.ciPerProject`); failures are limited per address
 * (`ciAuthFailuresPerIp`), so guessing keys stops there while a runner's other pipelines keep
 * working. One Durable Object call per request either way.
 */
async function authenticateProject(c: Context<AppEnv>): Promise<ProjectRow> {
  const bearer = /^Bearer\s+(sp_\S+)$/i.exec(c.req.header("Authorization") ?? "")?.[1];
  const key = c.req.header("X-API-Key")?.trim() || bearer;
  const project =
    key && isApiKeyShape(key) ? await findProjectByApiKeyHash(c.var.db, await hashApiKey(key)) : null;
  if (!project) {
    await enforceRateLimit(c, RATE_LIMITS.ciAuthFailuresPerIp);
    throw new ApiError(
      "UNAUTHENTICATED",
      key ? "Invalid API key." : "Send the project's API key in X-API-Key.",
    );
  }
  await enforceRateLimit(c, RATE_LIMITS.ciPerProject, project.id);
  return project;
}

function sameEndpoint(given: string | undefined, active: string): boolean {
  if (!given) return true;
  const checked = checkOutboundUrl(given, { allowPrivateTargets: true });
  return checked.ok && checked.url === active;
}

const created = (deploymentId: string) => ({
  deployment_id: deploymentId,
  status: "created",
  message: null,
});

ciRoutes.post("/trigger", validate("json", triggerBody), async (c) => {
  const project = c.var.project;
  const body = c.req.valid("json");
  const idempotencyKey = (c.req.header("X-Idempotency-Key") ?? body.idempotency_key)?.trim() || null;
  // The body field is limited by its schema; the header must be too (it can be ~32 kB, and a key
  // past Postgres' index row limit would fail the insert with a 500).
  if (idempotencyKey && idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new ApiError("VALIDATION_FAILED", "The idempotency key is too long.", {
      fields: [
        { field: "X-Idempotency-Key", message: `Use at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.` },
      ],
    });
  }
  const fingerprint = await triggerFingerprint(body);

  const replay = async (existing: DeploymentRow) => {
    if (existing.idempotencyFingerprint !== fingerprint) {
      throw new ApiError("IDEMPOTENCY_MISMATCH", "This idempotency key was used with another request body.", {
        details: { deployment_id: existing.id },
      });
    }
    c.header("Idempotent-Replayed", "true");
    return c.json(created(existing.id));
  };
  if (idempotencyKey) {
    const existing = await findDeploymentByIdempotencyKey(c.var.db, project.id, idempotencyKey);
    if (existing) return replay(existing);
  }
  if (!project.envs.includes(body.env)) {
    throw new ApiError(
      "VALIDATION_FAILED",
      `Environment '${body.env}' is not allowed: ${project.envs.join(", ")}.`,
      {
        fields: [{ field: "env", message: `Allowed: ${project.envs.join(", ")}.` }],
      },
    );
  }
  const endpoint = project.metricsEndpointActive;
  if (!endpoint) {
    throw new ApiError(
      "ENDPOINT_NOT_ACTIVE",
      "The project has no tested metrics endpoint; test and activate one first.",
    );
  }
  if (!sameEndpoint(body.metrics_endpoint, endpoint)) {
    throw new ApiError("ENDPOINT_MISMATCH", "metrics_endpoint differs from the project's active endpoint.", {
      fields: [{ field: "metrics_endpoint", message: "Differs from the project's active endpoint." }],
    });
  }

  const inFlightLimit = accountLimits(c.env).deploymentsInFlight;
  if ((await countDeploymentsInFlight(c.var.db, project.ownerId)) >= inFlightLimit) {
    throw new ApiError(
      "TOO_MANY_RUNNING_DEPLOYMENTS",
      `This account already has ${inFlightLimit} deployments running or under observation; retry when one is judged.`,
      { details: { limit: inFlightLimit } },
    );
  }
  const now = new Date();
  const values = {
    id: crypto.randomUUID(),
    projectId: project.id,
    env: body.env,
    branch: body.branch ?? null,
    commitSha: body.commit_sha ?? null,
    idempotencyKey,
    idempotencyFingerprint: idempotencyKey ? fingerprint : null,
    metricsEndpoint: endpoint,
    observationWindowMinutes: project.observationWindowMinutes,
    startedAt: now,
    expiresAt: new Date(now.getTime() + RUNNING_DEPLOYMENT_TTL_MS),
  };
  // The baseline is taken now, from this request; its job is the retry path if that fails, and
  // the next ones sample a minute apart until the finish. All queued in the insert's statement.
  const preJobs = triggerJobs(values.id, now);
  const insert = async () => {
    try {
      return await insertDeployment(c.var.db, values, preJobs);
    } catch (error) {
      if (isUniqueViolation(error)) return "conflict" as const;
      throw error;
    }
  };
  // One statement in the common case. On a conflict: expire a running deployment whose finish
  // never came and try once more; otherwise a concurrent trigger (or a running deployment)
  // holds the env, and the answer says which.
  let inserted = await insert();
  if (
    inserted === "conflict" &&
    (await expireStaleDeployments(c.var.db, { now, projectId: project.id, env: body.env }))
  )
    inserted = await insert();
  if (inserted === "conflict") {
    const winner =
      (idempotencyKey && (await findDeploymentByIdempotencyKey(c.var.db, project.id, idempotencyKey))) ||
      (await findRunningDeployment(c.var.db, project.id, body.env));
    if (!winner) throw new ApiError("CONFLICT", "The deployment could not be created; retry.");
    if (idempotencyKey && winner.idempotencyKey === idempotencyKey) return replay(winner);
    throw new ApiError(
      "DEPLOYMENT_RUNNING",
      `A deployment is already running in ${body.env}; finish it first.`,
      {
        details: { deployment_id: winner.id },
      },
    );
  }
  if (!inserted) throw new ApiError("UNAUTHENTICATED", "Invalid API key.");

  // After the answer, on the request's own connection (kept open until this settles).
  c.var.inBackground(
    collectSample(
      c.var.db,
      c.env,
      { deploymentId: values.id, phase: "pre", sequence: 0, attempt: 0, lastAttempt: false },
      {
        now,
        known: {
          deploymentId: values.id,
          state: "running",
          metricsEndpoint: endpoint,
          project,
        },
      },
    ).catch((error) =>
      log("warn", "baseline collection failed; its job will retry", {
        deploymentId: values.id,
        ...describeError(error),
      }),
    ),
  );
  return c.json(created(values.id));
});

ciRoutes.post("/finish", validate("json", finishBody), async (c) => {
  const project = c.var.project;
  const body = c.req.valid("json");
  // Checking a given endpoint needs the deployment first; without one, the finish is a single
  // statement and the deployment is read only to explain a refusal.
  if (body.metrics_endpoint) {
    const deployment = await findProjectDeployment(c.var.db, project.id, body.deployment_id);
    if (deployment?.state === "running" && !sameEndpoint(body.metrics_endpoint, deployment.metricsEndpoint)) {
      throw new ApiError("ENDPOINT_MISMATCH", "metrics_endpoint differs from the deployment's endpoint.", {
        fields: [{ field: "metrics_endpoint", message: "Differs from the deployment's endpoint." }],
      });
    }
  }
  const finishedAt = new Date();
  const window = project.observationWindowMinutes;
  const finished = await finishDeployment(c.var.db, {
    id: body.deployment_id,
    projectId: project.id,
    result: body.result,
    finishedAt,
    observationWindowMinutes: window,
    jobsToQueue: observationJobs(body.deployment_id, window, finishedAt),
    jobsToDrop: preDeployJobKeys(body.deployment_id),
  });
  if (finished) {
    return c.json({
      status: "accepted",
      message: `Deployment finished. Analysis scheduled in ${window} minutes.`,
    });
  }
  const deployment = await findProjectDeployment(c.var.db, project.id, body.deployment_id);
  if (!deployment) {
    return c.json(
      {
        status: "not_found",
        message: "Deployment not found",
        error: {
          code: "NOT_FOUND",
          message: "No such deployment in this project.",
          requestId: c.var.requestId,
        },
      },
      404,
    );
  }
  return c.json({
    status: "ignored",
    message: `Deployment state is '${deployment.state}', finish ignored`,
  });
});

function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    if ((current as { code?: string }).code === "23505") return true;
  }
  return false;
}
