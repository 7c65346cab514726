import type { Database } from "../../../db/client";
import {
  projectToFirstVerdictWithin72h,
  quotaMailToPaidPlan,
  type Ratio,
  signupToProjectWithin24h,
} from "../../../db/queries/analytics";

/** The lifecycle KPIs of original-seqpulse.md §14.4, over the last `days` days. */
export const KPI_MAX_DAYS = 90;

/** The quota mails (worker/features/email/types.ts) whose effect on upgrades is measured. */
export const QUOTA_EMAIL_TYPES = ["quota_80", "quota_reached"] as const;

export type Kpi =
  | { value: number; numerator: number; denominator: number; available: true; reason: null }
  | { value: null; numerator: null; denominator: null; available: false; reason: string };

export interface LifecycleKpis {
  window: { from: string; to: string; days: number; computedAt: string };
  kpis: {
    signup_to_project_24h: Kpi;
    project_to_first_verdict_72h: Kpi;
    free_to_pro_from_quota_emails: Kpi;
    critical_alert_open_rate: Kpi;
  };
}

/** A percentage with two decimals; 0 when nothing was counted. */
export function percentage({ numerator, denominator }: Ratio): Kpi {
  const value = denominator === 0 ? 0 : Math.round((numerator / denominator) * 10_000) / 100;
  return { value, numerator, denominator, available: true, reason: null };
}

const unavailable = (reason: string): Kpi => ({
  value: null,
  numerator: null,
  denominator: null,
  available: false,
  reason,
});

/**
 * The KPIs over [now - days, now]. `critical_alert_open_rate` needs mail opens, which SeqPulse
 * does not record (no tracking pixel): it says so instead of answering 0.
 */
export async function lifecycleKpis(db: Database, days: number, now: Date): Promise<LifecycleKpis> {
  const window = { from: new Date(now.getTime() - days * 24 * 3600 * 1000), to: now };
  const [signups, projects, upgrades] = await Promise.all([
    signupToProjectWithin24h(db, window),
    projectToFirstVerdictWithin72h(db, window),
    quotaMailToPaidPlan(db, window, QUOTA_EMAIL_TYPES),
  ]);
  return {
    window: {
      from: window.from.toISOString(),
      to: now.toISOString(),
      days,
      computedAt: new Date().toISOString(),
    },
    kpis: {
      signup_to_project_24h: percentage(signups),
      project_to_first_verdict_72h: percentage(projects),
      free_to_pro_from_quota_emails: percentage(upgrades),
      critical_alert_open_rate: unavailable("open_tracking_not_recorded"),
    },
  };
}
