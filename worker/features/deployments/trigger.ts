import type { Database } from "../../../db/client";
import {
  countDeploymentsInFlight,
  type DeploymentRow,
  expireStaleDeployments,
  findDeploymentByIdempotencyKey,
  findRunningDeployment,
  insertDeploymentWithinQuota,
} from "../../../db/queries/deployments";
import type { ProjectRow } from "../../../db/queries/projects";
import { accountLimits } from "../../lib/account-limits";
import { ApiError } from "../../lib/errors";
import { describeError, log } from "../../lib/log";
import { collectSample } from "../collection/collect-sample";
import { checkOutboundUrl } from "../collection/outbound-url";
import { limitsOf } from "../plans/limits";
import { queuePlanEmail } from "../plans/plan-mail";
import { dayKeyOf, effectiveWindowMinutes, monthKeyOf, monthStartOf, nextMonthStartOf } from "../plans/plans";
import { slackTriggerJob } from "../slack/events";
import { planWebhookEvent } from "../webhooks/events";
import {
  RUNNING_DEPLOYMENT_TTL_MS,
  type TriggerFields,
  triggerFingerprint,
  triggerJobs,
} from "./deployments";
import { MAX_IDEMPOTENCY_KEY_LENGTH } from "./schemas";

/** The trigger's body as validated, its idempotency key resolved. */
export type TriggerInput = TriggerFields & {
  /** The `X-Idempotency-Key` header or the body's `idempotency_key`, header first. */
  idempotencyKey: string | null;
};

export interface TriggerResult {
  deploymentId: string;
  /** An earlier trigger with the same idempotency key and body: nothing new was created. */
  replayed: boolean;
  /** When the plan recorded the deployment in another environment than the pipeline sent. */
  envForced?: { from: string; to: string };
}

/**
 * A pipeline's trigger: creates the project's deployment in `input.env` with its PRE sample
 * jobs, and starts the baseline sample through `inBackground` (its job is the retry path). An
 * idempotency key already used with the same body answers the same deployment (`replayed`).
 */
export async function triggerDeployment(
  db: Database,
  env: Env,
  params: {
    project: ProjectRow;
    input: TriggerInput;
    now: Date;
    /** Runs work after the caller's answer; the baseline sample goes there. */
    inBackground: (work: Promise<unknown>) => void;
  },
): Promise<TriggerResult> {
  const { project, input, now } = params;
  const idempotencyKey = input.idempotencyKey?.trim() || null;
  // The body field is limited by its schema; the header must be too (it can be ~32 kB, and a key
  // past Postgres' index row limit would fail the insert with a 500).
  if (idempotencyKey && idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new ApiError("VALIDATION_FAILED", "The idempotency key is too long.", {
      fields: [
        { field: "X-Idempotency-Key", message: `Use at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.` },
      ],
    });
  }
  const fingerprint = await triggerFingerprint(input);

  const replay = (existing: DeploymentRow): TriggerResult => {
    if (existing.idempotencyFingerprint !== fingerprint) {
      throw new ApiError("IDEMPOTENCY_MISMATCH", "This idempotency key was used with another request body.", {
        details: { deployment_id: existing.id },
      });
    }
    log("info", "deployment_idempotent_hit", { deploymentId: existing.id, projectId: existing.projectId });
    return { deploymentId: existing.id, replayed: true };
  };
  if (idempotencyKey) {
    const existing = await findDeploymentByIdempotencyKey(db, project.id, idempotencyKey);
    if (existing) return replay(existing);
  }
  const limits = limitsOf(project.plan);
  // A plan that deploys to one environment records every deployment there (the owner is told
  // once a day); the pipeline's own name for it is not an error.
  const requestedEnv = input.env;
  const deploymentEnv = limits.forcedEnv ?? requestedEnv;
  const envForced = deploymentEnv !== requestedEnv;
  if (!limits.forcedEnv && !project.envs.includes(deploymentEnv)) {
    throw new ApiError(
      "VALIDATION_FAILED",
      `Environment '${input.env}' is not allowed: ${project.envs.join(", ")}.`,
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
  if (!sameEndpoint(input.metrics_endpoint, endpoint)) {
    throw new ApiError("ENDPOINT_MISMATCH", "metrics_endpoint differs from the project's active endpoint.", {
      fields: [{ field: "metrics_endpoint", message: "Differs from the project's active endpoint." }],
    });
  }

  const inFlightLimit = accountLimits(env).deploymentsInFlight;
  if ((await countDeploymentsInFlight(db, project.ownerId)) >= inFlightLimit) {
    throw new ApiError(
      "TOO_MANY_RUNNING_DEPLOYMENTS",
      `This account already has ${inFlightLimit} deployments running or under observation; retry when one is judged.`,
      { details: { limit: inFlightLimit } },
    );
  }
  const values = {
    id: crypto.randomUUID(),
    projectId: project.id,
    env: deploymentEnv,
    branch: input.branch ?? null,
    commitSha: input.commit_sha ?? null,
    version: input.version || null,
    commitUrl: input.commit_url || null,
    ciRunUrl: input.ci_run_url || null,
    actor: input.actor || null,
    idempotencyKey,
    idempotencyFingerprint: idempotencyKey ? fingerprint : null,
    metricsEndpoint: endpoint,
    observationWindowMinutes: effectiveWindowMinutes(project),
    startedAt: now,
    expiresAt: new Date(now.getTime() + RUNNING_DEPLOYMENT_TTL_MS),
  };
  // The baseline is taken now, from this request; its job is the retry path if that fails, and
  // the next ones sample a minute apart until the finish. All queued in the insert's statement.
  const preJobs = triggerJobs(values.id, now);
  const triggered = await planWebhookEvent(db, {
    event: "deployment.triggered",
    projectId: project.id,
    data: () => ({ deployment_id: values.id, project_id: project.id, env: deploymentEnv, state: "running" }),
    now,
  });
  // Queued by the insert only if the project posts to Slack at the trigger.
  const slackJob = slackTriggerJob(project, values.id, now);
  const insert = async () => {
    try {
      return await insertDeploymentWithinQuota(
        db,
        values,
        [...preJobs, ...triggered.jobs],
        triggered.deliveries,
        {
          monthStart: monthStartOf(now),
          limit: limits.deploymentsPerMonth,
        },
        slackJob,
      );
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
    (await expireStaleDeployments(db, { now, projectId: project.id, env: deploymentEnv }))
  )
    inserted = await insert();
  if (inserted === "conflict") {
    const winner =
      (idempotencyKey && (await findDeploymentByIdempotencyKey(db, project.id, idempotencyKey))) ||
      (await findRunningDeployment(db, project.id, deploymentEnv));
    if (!winner) throw new ApiError("CONFLICT", "The deployment could not be created; retry.");
    if (idempotencyKey && winner.idempotencyKey === idempotencyKey) return replay(winner);
    log("info", "deployment_running_exists", {
      deploymentId: winner.id,
      projectId: project.id,
      env: input.env,
    });
    throw new ApiError(
      "DEPLOYMENT_RUNNING",
      `A deployment is already running in ${deploymentEnv}; finish it first.`,
      {
        details: { deployment_id: winner.id },
      },
    );
  }
  if (inserted === "quota_exceeded") {
    const limit = limits.deploymentsPerMonth ?? 0;
    const resetsAt = nextMonthStartOf(now).toISOString();
    await queuePlanEmail(
      db,
      {
        type: "quota_reached",
        userId: project.ownerId,
        projectId: project.id,
        dedupeKey: `free_quota_reached:${project.id}:${monthKeyOf(now)}`,
        context: { project_id: project.id, project_name: project.name, deployments_limit: limit },
      },
      now,
    );
    throw new ApiError(
      "DEPLOYMENT_QUOTA_EXCEEDED",
      `The ${project.plan} plan allows ${limit} deployments per month (UTC); this project has used them. The quota resets at ${resetsAt}.`,
      { details: { plan: project.plan, limit, used: limit, resetsAt } },
    );
  }
  if (!inserted) throw new ApiError("UNAUTHENTICATED", "Invalid API key.");
  log("info", "deployment_created", { deploymentId: values.id, projectId: project.id, env: values.env });
  if (limits.quotaWarningAt !== null && inserted.usedThisMonth >= limits.quotaWarningAt) {
    await queuePlanEmail(
      db,
      {
        type: "quota_80",
        userId: project.ownerId,
        projectId: project.id,
        dedupeKey: `free_quota_80:${project.id}:${monthKeyOf(now)}`,
        context: {
          project_id: project.id,
          project_name: project.name,
          deployments_used: inserted.usedThisMonth,
          deployments_limit: limits.deploymentsPerMonth,
        },
      },
      now,
    );
  }
  if (envForced) {
    await queuePlanEmail(
      db,
      {
        type: "env_forced",
        userId: project.ownerId,
        projectId: project.id,
        dedupeKey: `env_forced:${project.id}:${dayKeyOf(now)}`,
        context: {
          project_id: project.id,
          project_name: project.name,
          original_env: requestedEnv,
          forced_env: deploymentEnv,
        },
      },
      now,
    );
  }

  params.inBackground(
    collectSample(
      db,
      env,
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
  return {
    deploymentId: values.id,
    replayed: false,
    ...(envForced ? { envForced: { from: requestedEnv, to: deploymentEnv } } : {}),
  };
}

/** Whether a `metrics_endpoint` the pipeline names (if any) is the one in use. */
export function sameEndpoint(given: string | undefined, active: string): boolean {
  if (!given) return true;
  const checked = checkOutboundUrl(given, { allowPrivateTargets: true });
  return checked.ok && checked.url === active;
}

function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    if ((current as { code?: string }).code === "23505") return true;
  }
  return false;
}
