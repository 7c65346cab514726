// A project's plan on its overview: this month's deployments against the quota (a bar), when
// the count starts again, and what the plan allows (worker/features/plans/limits.ts, as the API
// answers it with the project).
import { useTranslation } from "react-i18next";
import type { Project } from "../deployments/api-types";
import type { Formatters } from "../deployments/format";
import { cardClass } from "../deployments/page-states";

export function PlanCard({ project, format }: { project: Project; format: Formatters }) {
  const { t } = useTranslation();
  const { limits, usage } = project;
  const planName = t(`plan.names.${project.plan}`);
  const used = usage.deploymentsThisMonth;
  const limit = limits.deploymentsPerMonth;
  const resetsAt = format.dateTime(usage.monthResetsAt);
  const share = limit ? Math.min(1, used / limit) : 0;
  const full = limit !== null && used >= limit;
  const warned = limit !== null && limits.quotaWarningAt !== null && used >= limits.quotaWarningAt;
  const unlimited = t("plan.unlimited");
  const changes = (count: number, allowed: number | null) =>
    allowed === null
      ? t("plan.usedUnlimited", { used: count })
      : t("plan.used", { used: count, limit: allowed });

  const rows: Array<[string, string]> = [
    [t("plan.limits.deployments"), limit === null ? unlimited : format.integer(limit)],
    [
      t("plan.limits.envs"),
      limits.forcedEnv
        ? t("plan.forcedEnv", { env: limits.forcedEnv })
        : t("plan.upTo", { value: limits.maxEnvs }),
    ],
    [t("plan.limits.window"), t("plan.minutes", { value: limits.maxObservationWindowMinutes })],
    [t("plan.limits.pathChanges"), changes(project.endpointChanges.pathChanges, limits.endpointPathChanges)],
    [
      t("plan.limits.hostMigrations"),
      changes(project.endpointChanges.hostMigrations, limits.endpointHostMigrations),
    ],
    [t("plan.limits.retention"), t("plan.days", { value: limits.sampleRetentionDays })],
    [t("plan.limits.slack"), limits.slack ? t("plan.yes") : t("plan.no")],
  ];

  return (
    <section aria-labelledby="plan-title" className={`${cardClass} p-5`} data-testid="plan-card">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="plan-title" className="font-semibold text-slate-900 dark:text-white">
          {t("plan.title")}
        </h2>
        <span className="rounded-full bg-sky-100 px-2.5 py-0.5 font-medium text-sky-900 text-sm dark:bg-sky-900 dark:text-sky-100">
          {t("plan.current", { plan: planName })}
        </span>
      </div>
      <p className="mt-3 font-medium text-slate-900 dark:text-slate-100" data-testid="plan-usage">
        {limit === null
          ? t("plan.usageUnlimited", { used: format.integer(used) })
          : t("plan.usage", { used: format.integer(used), limit: format.integer(limit) })}
      </p>
      {limit !== null && (
        // The sentence above says the same to a screen reader: the bar is for the eye.
        <div
          aria-hidden="true"
          className="mt-2 h-2.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
        >
          <div
            className={`h-full rounded-full ${full ? "bg-red-600" : warned ? "bg-amber-500" : "bg-sky-600"}`}
            style={{ width: `${Math.round(share * 100)}%` }}
          />
        </div>
      )}
      <p className="mt-2 text-slate-700 text-sm dark:text-slate-300">
        {full ? t("plan.quotaReached", { date: resetsAt }) : t("plan.resets", { date: resetsAt })}
      </p>
      <h3 className="mt-4 font-medium text-slate-900 text-sm dark:text-slate-100">{t("plan.limitsTitle")}</h3>
      <dl className="mt-2 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
        {rows.map(([label, value]) => (
          <div
            key={label}
            className="flex justify-between gap-3 border-slate-100 border-b pb-1 dark:border-slate-800"
          >
            <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
            <dd className="text-right font-medium text-slate-900 dark:text-slate-100">{value}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-3 text-slate-600 text-xs dark:text-slate-400">{t("plan.howToChange")}</p>
    </section>
  );
}
