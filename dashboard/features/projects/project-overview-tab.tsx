import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { linkClass } from "../../components/ui/link";
import type { Locale } from "../../i18n/locales";
import type { Deployment, DeploymentStats, Page, Project, VerdictStats } from "../deployments/api-types";
import { DeploymentTable } from "../deployments/deployment-list";
import type { Formatters } from "../deployments/format";
import { deploymentsHref } from "../deployments/links";
import { cardClass, EmptyState, ErrorState } from "../deployments/page-states";
import { markedAccuracyOf } from "../deployments/verdict-feedback";
import { DayBarsChart } from "../overview/day-bars-chart";
import { PlanCard } from "../plans/plan-card";
import { useApiData } from "../session/use-api-data";

const TREND_DAYS = 14;

export function ProjectOverviewTab({
  locale,
  project,
  format,
}: {
  locale: Locale;
  project: Project;
  format: Formatters;
}) {
  const { t } = useTranslation();
  const deployments = useApiData<Page<Deployment>>(locale, `/api/deployments?project=${project.id}&limit=10`);
  const stats = useApiData<DeploymentStats>(
    locale,
    `/api/stats/deployments?days=${TREND_DAYS}&project=${project.id}`,
  );
  const verdictStats = useApiData<VerdictStats>(locale, `/api/projects/${project.id}/verdict-stats`);
  const accuracy = verdictStats.state.kind === "ready" ? markedAccuracyOf(verdictStats.state.data) : null;

  const facts: Array<[string, string]> = [
    [
      t("projects.view.facts.window"),
      // What new deployments observe: the stored window, at most the plan's.
      t("deployments.detail.minutes", { count: project.effectiveObservationWindowMinutes }),
    ],
    [t("projects.view.facts.envs"), project.envs.join(", ")],
    [t("projects.view.facts.endpoint"), project.endpoint.active ?? project.endpoint.candidate ?? "—"],
    [t("projects.view.facts.hmac"), project.hmac.enabled ? t("projects.hmacOn") : t("projects.hmacOff")],
    [t("projects.view.facts.apiKey"), `${project.apiKeyPrefix}…`],
    [t("projects.view.facts.created"), format.dateTime(project.createdAt)],
    [t("projects.view.facts.judge"), t(`common.judge.${project.judge === "classic" ? "classic" : "robust"}`)],
    [
      t("projects.view.facts.verdictsRight"),
      verdictStats.state.kind !== "ready"
        ? "—"
        : accuracy
          ? t("projects.view.verdictsRight", { right: accuracy.right, count: accuracy.marked })
          : t("projects.view.verdictsNoneMarked"),
    ],
  ];

  const backedOffUntil = project.collection?.backedOffUntil;

  return (
    <div className="grid grid-cols-1 gap-8">
      {backedOffUntil && (
        <Alert tone="error">
          <p className="font-medium">{t("projects.view.collectionBackedOff.title")}</p>
          <p className="mt-1">
            {t("projects.view.collectionBackedOff.body", {
              count: project.collection.consecutiveTimeouts,
              until: format.dateTime(backedOffUntil),
            })}
          </p>
        </Alert>
      )}
      <dl className={`${cardClass} grid gap-x-6 gap-y-4 p-5 sm:grid-cols-2 lg:grid-cols-3`}>
        {facts.map(([label, value]) => (
          <div key={label} className="min-w-0">
            <dt className="text-slate-600 text-sm dark:text-slate-400">{label}</dt>
            <dd className="mt-0.5 break-words font-medium text-slate-900 dark:text-slate-100">{value}</dd>
          </div>
        ))}
      </dl>

      <PlanCard project={project} format={format} />

      <section aria-labelledby="trend-title" className={`${cardClass} p-5`}>
        <h2 id="trend-title" className="font-semibold text-slate-900 dark:text-white">
          {t("projects.view.trendTitle", { days: TREND_DAYS })}
        </h2>
        <div className="mt-3 min-h-52">
          {stats.state.kind === "ready" && <DayBarsChart days={stats.state.data.days} format={format} />}
          {stats.state.kind === "error" && (
            <ErrorState failure={stats.state.failure} onRetry={() => void stats.reload()} />
          )}
        </div>
      </section>

      <section aria-labelledby="recent-title">
        <div className="flex items-baseline justify-between gap-3">
          <h2 id="recent-title" className="font-semibold text-slate-900 text-xl dark:text-white">
            {t("projects.view.recentTitle")}
          </h2>
          <a href={deploymentsHref(locale, `?project=${project.id}`)} className={`${linkClass} text-sm`}>
            {t("projects.view.allDeployments")}
          </a>
        </div>
        <div className="mt-4 min-h-40">
          {deployments.state.kind === "loading" && (
            <div aria-hidden="true" className={`${cardClass} h-40 motion-safe:animate-pulse`} />
          )}
          {deployments.state.kind === "error" && (
            <ErrorState failure={deployments.state.failure} onRetry={() => void deployments.reload()} />
          )}
          {deployments.state.kind === "ready" &&
            (deployments.state.data.items.length === 0 ? (
              <EmptyState
                title={t("projects.view.noDeployments")}
                body={t("projects.view.noDeploymentsBody")}
              />
            ) : (
              <DeploymentTable
                locale={locale}
                items={deployments.state.data.items}
                format={format}
                showProject={false}
              />
            ))}
        </div>
      </section>
    </div>
  );
}
