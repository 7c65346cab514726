import { type ProjectPlan, projectPlans } from "../../../db/schema/projects";

export { type ProjectPlan, projectPlans };

/**
 * What each plan allows: the one table the API enforces and the dashboard shows. `null` means
 * unlimited. Each plan allows at least what the one before it does (enterprise ⊇ pro ⊇ free):
 * a test holds every row to that.
 */
export interface PlanLimits {
  /** Deployments created per UTC calendar month (counted at trigger); the next one is a 402. */
  deploymentsPerMonth: number | null;
  /** The trigger that brings the month's count to this many queues the quota warning mail. */
  quotaWarningAt: number | null;
  /** Environments a project may list. */
  maxEnvs: number;
  /** Every deployment is recorded in this environment, whatever the pipeline sends (null: as sent). */
  forcedEnv: string | null;
  maxObservationWindowMinutes: number;
  /** Activations of another path on the same host, over the project's life. */
  endpointPathChanges: number | null;
  /** Activations of a URL on another host, over the project's life ("1 project = 1 app"). */
  endpointHostMigrations: number | null;
  /** Days the deployments' metric samples are kept (verdicts, hints and deployments stay). */
  sampleRetentionDays: number;
  slack: boolean;
}

export const planLimits: Readonly<Record<ProjectPlan, Readonly<PlanLimits>>> = {
  free: {
    deploymentsPerMonth: 50,
    quotaWarningAt: 40,
    maxEnvs: 1,
    forcedEnv: "prod",
    maxObservationWindowMinutes: 5,
    endpointPathChanges: 1,
    endpointHostMigrations: 1,
    sampleRetentionDays: 7,
    slack: false,
  },
  pro: {
    deploymentsPerMonth: null,
    quotaWarningAt: null,
    maxEnvs: 10,
    forcedEnv: null,
    maxObservationWindowMinutes: 60,
    endpointPathChanges: 3,
    endpointHostMigrations: 3,
    sampleRetentionDays: 30,
    slack: true,
  },
  enterprise: {
    deploymentsPerMonth: null,
    quotaWarningAt: null,
    maxEnvs: 10,
    forcedEnv: null,
    maxObservationWindowMinutes: 60,
    endpointPathChanges: null,
    endpointHostMigrations: null,
    sampleRetentionDays: 90,
    slack: true,
  },
};

export function isPlan(value: unknown): value is ProjectPlan {
  return typeof value === "string" && (projectPlans as readonly string[]).includes(value);
}

/** A stored plan's limits; anything unknown is held to the free plan's. */
export function limitsOf(plan: string): Readonly<PlanLimits> {
  return isPlan(plan) ? planLimits[plan] : planLimits.free;
}
