import type { ProjectRow } from "../../../db/queries/projects";
import { ApiError } from "../../lib/errors";
import { limitsOf, type PlanLimits } from "./limits";

/** The start of `now`'s UTC calendar month: the quota's period. */
export function monthStartOf(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** The start of the next UTC month: when the quota resets. */
export function nextMonthStartOf(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

/** `YYYY-MM` of the UTC month (mail dedupe keys). */
export function monthKeyOf(now: Date): string {
  return now.toISOString().slice(0, 7);
}

/** `YYYY-MM-DD` of the UTC day (mail dedupe keys). */
export function dayKeyOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

type QuotaColumns = Pick<ProjectRow, "deploymentsMonthStart" | "deploymentsThisMonth">;

/** Deployments the project created in `now`'s UTC month, from its counter. */
export function deploymentsThisMonth(project: QuotaColumns, now: Date): number {
  return project.deploymentsMonthStart?.getTime() === monthStartOf(now).getTime()
    ? project.deploymentsThisMonth
    : 0;
}

export function usageOf(project: QuotaColumns, now: Date) {
  return {
    deploymentsThisMonth: deploymentsThisMonth(project, now),
    monthResetsAt: nextMonthStartOf(now).toISOString(),
  };
}

/**
 * The window a new deployment observes: the project's, clamped to its plan (a project whose
 * window was set before its plan limited it keeps working, with the plan's maximum).
 */
export function effectiveWindowMinutes(
  project: Pick<ProjectRow, "plan" | "observationWindowMinutes">,
): number {
  return Math.min(project.observationWindowMinutes, limitsOf(project.plan).maxObservationWindowMinutes);
}

/** 403 PLAN_LIMIT naming the limit, its value and the plan. */
export function planLimitError(
  plan: string,
  limit: keyof PlanLimits,
  allowed: number | string | null,
  message: string,
  field?: string,
): ApiError {
  return new ApiError("PLAN_LIMIT", message, {
    details: { plan, limit, allowed },
    ...(field ? { fields: [{ field, message }] } : {}),
  });
}

/** Refuses settings above the plan: environments and observation window (create and edit). */
export function checkSettingsAgainstPlan(
  plan: string,
  settings: { envs?: readonly string[]; observationWindowMinutes?: number },
): void {
  const limits = limitsOf(plan);
  if (settings.envs) {
    if (limits.forcedEnv && settings.envs.some((env) => env !== limits.forcedEnv)) {
      throw planLimitError(
        plan,
        "forcedEnv",
        limits.forcedEnv,
        `The ${plan} plan deploys to '${limits.forcedEnv}' only.`,
        "envs",
      );
    }
    if (settings.envs.length > limits.maxEnvs) {
      throw planLimitError(
        plan,
        "maxEnvs",
        limits.maxEnvs,
        `The ${plan} plan allows at most ${limits.maxEnvs} environments.`,
        "envs",
      );
    }
  }
  if (
    settings.observationWindowMinutes !== undefined &&
    settings.observationWindowMinutes > limits.maxObservationWindowMinutes
  ) {
    throw planLimitError(
      plan,
      "maxObservationWindowMinutes",
      limits.maxObservationWindowMinutes,
      `The ${plan} plan allows an observation window of at most ${limits.maxObservationWindowMinutes} minutes.`,
      "observationWindowMinutes",
    );
  }
}

/** How activating `next` changes the active endpoint `current` (§8.2 of the original). */
export function endpointMutationOf(
  current: string | null,
  next: string,
): "none" | "path_change" | "host_migration" {
  if (!current || current === next) return "none";
  return hostOf(current) === hostOf(next) ? "path_change" : "host_migration";
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return url;
  }
}

/** Refuses an endpoint change the plan has no room left for (checked at update and at test). */
export function checkEndpointChange(
  project: Pick<
    ProjectRow,
    "plan" | "metricsEndpointActive" | "endpointPathChanges" | "endpointHostMigrations"
  >,
  next: string,
): "none" | "path_change" | "host_migration" {
  const mutation = endpointMutationOf(project.metricsEndpointActive, next);
  const limits = limitsOf(project.plan);
  if (mutation === "path_change" && limits.endpointPathChanges !== null) {
    if (project.endpointPathChanges >= limits.endpointPathChanges) {
      throw planLimitError(
        project.plan,
        "endpointPathChanges",
        limits.endpointPathChanges,
        `The ${project.plan} plan allows ${limits.endpointPathChanges} change(s) of the endpoint's path; this project has used them.`,
        "url",
      );
    }
  }
  if (mutation === "host_migration" && limits.endpointHostMigrations !== null) {
    if (project.endpointHostMigrations >= limits.endpointHostMigrations) {
      throw planLimitError(
        project.plan,
        "endpointHostMigrations",
        limits.endpointHostMigrations,
        `The ${project.plan} plan allows ${limits.endpointHostMigrations} move(s) of the endpoint to another host; this project has used them.`,
        "url",
      );
    }
  }
  return mutation;
}
