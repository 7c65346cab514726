// The signed-in home page: is the last deploy the problem, and what do I check first? The same
// page serves the public intro to visitors (features/home/home-page.astro): the head script
// picks the likely one before the first paint, and /api/auth/me decides.
import { useEffect, useLayoutEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { buttonClass } from "../../components/ui/button";
import { linkClass } from "../../components/ui/link";
import { IslandI18n, type IslandProps } from "../../i18n/island-provider";
import { type Locale, localizedPath } from "../../i18n/locales";
import { type ApiFailure, apiRequest } from "../../lib/api-client";
import { loadCurrentUser } from "../auth/current-user";
import {
  type Deployment,
  type DeploymentStats,
  type Hint,
  type Page,
  verdictLevels,
} from "../deployments/api-types";
import { VerdictBadge, verdictDisplayOf } from "../deployments/badges";
import { createFormatters } from "../deployments/format";
import { deploymentHref, deploymentsHref } from "../deployments/links";
import { loadAnalysisMessages, type MessageTree, renderLocalizedText } from "../deployments/localized-text";
import { cardClass, EmptyState, ErrorState, Skeleton } from "../deployments/page-states";
import { rememberSession } from "../session/session";
import { DayBarsChart } from "./day-bars-chart";
import { LatestDeploy, StatCard } from "./overview-parts";

export default function OverviewIsland({ locale, messages }: IslandProps) {
  return (
    <IslandI18n locale={locale} messages={messages}>
      <Overview locale={locale} />
    </IslandI18n>
  );
}

interface OverviewData {
  stats: DeploymentStats;
  latest: Deployment[];
  criticalHints: Hint[];
  latestHints: Hint[];
  messages: MessageTree;
}

type State =
  | { kind: "unknown" }
  | { kind: "loading" }
  | { kind: "signed-out" }
  | { kind: "ready"; data: OverviewData }
  | { kind: "error"; failure: ApiFailure };

async function loadOverview(
  locale: Locale,
): Promise<{ ok: true; data: OverviewData } | { ok: false; failure: ApiFailure }> {
  const [stats, latest, critical, messages] = await Promise.all([
    apiRequest<DeploymentStats>("GET", "/api/stats/deployments?days=7"),
    apiRequest<Page<Deployment>>("GET", "/api/deployments?limit=6"),
    apiRequest<Page<Hint>>("GET", "/api/sdh?severity=critical&limit=5"),
    loadAnalysisMessages(locale),
  ]);
  if (!stats.ok) return { ok: false, failure: stats.error };
  if (!latest.ok) return { ok: false, failure: latest.error };
  if (!critical.ok) return { ok: false, failure: critical.error };
  // The latest judged deploy's own hints tell what to check first.
  const judged = latest.data.items.find((deployment) => deployment.verdict);
  let latestHints: Hint[] = [];
  if (judged?.verdict && judged.verdict.verdict !== "ok") {
    const hints = await apiRequest<Page<Hint>>("GET", `/api/sdh?deployment=${judged.id}&limit=5`);
    if (hints.ok) latestHints = hints.data.items;
  }
  return {
    ok: true,
    data: {
      stats: stats.data,
      latest: latest.data.items,
      criticalHints: critical.data.items,
      latestHints,
      messages,
    },
  };
}

function removePublicIntro() {
  document.getElementById("public-intro")?.remove();
}

function Overview({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const format = useMemo(() => createFormatters(locale), [locale]);
  const [state, setState] = useState<State>({ kind: "unknown" });

  const load = async () => {
    setState({ kind: "loading" });
    const result = await loadOverview(locale);
    if (result.ok) setState({ kind: "ready", data: result.data });
    else if (result.failure.status === 401) setState({ kind: "signed-out" });
    else setState({ kind: "error", failure: result.failure });
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per page load
  useEffect(() => {
    void loadCurrentUser().then((answer) => {
      if (answer.kind === "signed-in") void load();
      // Signed out, or the service is unreachable: the intro and its status card say so.
      else setState({ kind: "signed-out" });
    });
  }, []);

  // Overview or intro, switched in the frame React paints the new state: never a frame with
  // neither (the footer would jump up, then down).
  const signedIn = state.kind === "loading" || state.kind === "ready" || state.kind === "error";
  useLayoutEffect(() => {
    if (state.kind === "unknown") return;
    rememberSession(signedIn);
    if (signedIn) removePublicIntro();
  }, [signedIn, state.kind]);

  if (state.kind === "signed-out") return null;

  // Until the session is known, the frame is drawn but hidden (layouts/base-layout.astro: shown
  // at once when this browser was signed in last time). It has no h1 then: the intro's is the
  // page's only one for visitors.
  const Title = state.kind === "unknown" ? "p" : "h1";
  const heading = (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div>
        <Title className="font-bold text-2xl text-slate-900 tracking-tight sm:text-3xl dark:text-white">
          {t("overview.title")}
        </Title>
        <p className="mt-1 text-slate-600 dark:text-slate-300">{t("overview.period")}</p>
      </div>
      <a href={`${localizedPath(locale, "/projects/")}?new`} className={buttonClass.secondary}>
        {t("overview.newProject")}
      </a>
    </div>
  );

  if (state.kind === "unknown" || state.kind === "loading") {
    return (
      <div>
        {heading}
        <div className="mt-8">
          <Skeleton label={t("overview.loading")} blocks={["h-40", "h-24", "h-64", "h-80"]} />
        </div>
      </div>
    );
  }
  if (state.kind === "error") {
    return (
      <div>
        {heading}
        <div className="mt-8">
          <ErrorState failure={state.failure} onRetry={() => void load()} />
        </div>
      </div>
    );
  }

  const { stats, latest, criticalHints, latestHints, messages } = state.data;
  const last = latest[0];
  return (
    <div>
      {heading}
      {last ? (
        <LatestDeploy
          locale={locale}
          latest={last}
          judged={latest.find((deployment) => deployment.verdict)}
          hints={latestHints}
          format={format}
          messages={messages}
        />
      ) : (
        <div className="mt-8">
          <EmptyState
            title={t("overview.emptyTitle")}
            body={t("overview.emptyBody")}
            action={
              <a href={localizedPath(locale, "/projects/")} className={buttonClass.primary}>
                {t("overview.emptyAction")}
              </a>
            }
          />
        </div>
      )}

      <section aria-labelledby="period-title" className="mt-10">
        <h2 id="period-title" className="font-semibold text-slate-900 text-xl dark:text-white">
          {t("overview.periodTitle")}
        </h2>
        <ul className="mt-4 grid grid-cols-2 gap-3 lg:grid-cols-4">
          <StatCard
            href={deploymentsHref(locale)}
            label={t("overview.total")}
            value={format.integer(stats.totals.total)}
            note={t("overview.pendingNote", { count: stats.totals.pending })}
          />
          {verdictLevels.map((level) => (
            <StatCard
              key={level}
              href={deploymentsHref(locale, `?verdict=${level}`)}
              label={t(`common.verdict.${level}`)}
              value={format.integer(stats.totals[level])}
              note={
                stats.totals.total > 0
                  ? t("overview.share", {
                      value: format.percent(stats.totals[level] / stats.totals.total, 0),
                    })
                  : t("overview.noShare")
              }
              verdict={level}
            />
          ))}
        </ul>
        <div className={`${cardClass} mt-4 p-5`}>
          <h3 className="font-semibold text-slate-900 dark:text-white">{t("overview.chartTitle")}</h3>
          <div className="mt-3">
            <DayBarsChart days={stats.days} format={format} />
          </div>
        </div>
      </section>

      <div className="mt-10 grid grid-cols-1 gap-8 lg:grid-cols-2">
        <section aria-labelledby="latest-title">
          <div className="flex items-baseline justify-between gap-3">
            <h2 id="latest-title" className="font-semibold text-slate-900 text-xl dark:text-white">
              {t("overview.latestTitle")}
            </h2>
            <a href={deploymentsHref(locale)} className={`${linkClass} text-sm`}>
              {t("overview.allDeployments")}
            </a>
          </div>
          {latest.length === 0 ? (
            <p className="mt-4 text-slate-600 text-sm dark:text-slate-300">{t("overview.noDeployments")}</p>
          ) : (
            <ul className={`${cardClass} mt-4 divide-y divide-slate-100 dark:divide-slate-800`}>
              {latest.map((deployment) => (
                <li key={deployment.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3">
                  <VerdictBadge verdict={verdictDisplayOf(deployment)} />
                  <a href={deploymentHref(locale, deployment.id)} className={`${linkClass} text-sm`}>
                    {t("deployments.number", { number: deployment.number })}
                  </a>
                  <span className="min-w-0 flex-1 truncate text-slate-700 text-sm dark:text-slate-300">
                    {deployment.project.name} · {deployment.env}
                  </span>
                  <time
                    dateTime={deployment.startedAt}
                    title={format.dateTime(deployment.startedAt)}
                    className="text-slate-600 text-xs dark:text-slate-400"
                  >
                    {format.relative(deployment.startedAt)}
                  </time>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="critical-title">
          <div className="flex items-baseline justify-between gap-3">
            <h2 id="critical-title" className="font-semibold text-slate-900 text-xl dark:text-white">
              {t("overview.criticalTitle")}
            </h2>
            <a href={localizedPath(locale, "/hints/")} className={`${linkClass} text-sm`}>
              {t("overview.allHints")}
            </a>
          </div>
          {criticalHints.length === 0 ? (
            <p className="mt-4 text-slate-600 text-sm dark:text-slate-300">{t("overview.noCritical")}</p>
          ) : (
            <ul className={`${cardClass} mt-4 divide-y divide-slate-100 dark:divide-slate-800`}>
              {criticalHints.map((hint) => (
                <li key={`${hint.deployment.id}-${hint.metric}`} className="px-4 py-3">
                  <a href={deploymentHref(locale, hint.deployment.id)} className={`${linkClass} text-sm`}>
                    {renderLocalizedText(hint.title, messages)}
                  </a>
                  <p className="mt-0.5 text-slate-600 text-xs dark:text-slate-400">
                    {hint.project.name} · {t("deployments.number", { number: hint.deployment.number })} ·{" "}
                    {hint.deployment.env} · {format.relative(hint.createdAt)}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
