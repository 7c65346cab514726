// One deployment, answering "is this deploy the problem, and what do I check first?": the
// verdict in words first, then the hints, the charts, the facts and what went wrong collecting.

import type { TFunction } from "i18next";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { buttonClass } from "../../components/ui/button";
import { linkClass } from "../../components/ui/link";
import { IslandI18n, type IslandProps } from "../../i18n/island-provider";
import type { Locale } from "../../i18n/locales";
import { useApiData } from "../session/use-api-data";
import type { DeploymentDetail, DeploymentMetrics } from "./api-types";
import { Tag, VerdictBadge, type VerdictDisplay, VerdictIcon, verdictDisplayOf } from "./badges";
import { CancelDeployment } from "./cancel-deployment";
import { chartMetrics, shapeMetricChart } from "./chart-data";
import { isUuid } from "./filters";
import { createFormatters, type Formatters } from "./format";
import { HintCard, sortHints } from "./hint-card";
import { deploymentsHref, externalHref, projectHref } from "./links";
import { loadAnalysisMessages, type MessageTree, renderLocalizedText } from "./localized-text";
import { MetricChart } from "./metric-chart";
import { ObservationProgress } from "./observation-progress";
import { cardClass, EmptyState, ErrorState, Skeleton } from "./page-states";
import { useDeploymentDetailPolling } from "./use-deployment-polling";
import { verdictMeaningKey } from "./verdict-meaning";
import { VerdictReasoning } from "./verdict-reasoning";
import { EarlyVerdictBadge, ShadowVerdictLine, VerdictFeedbackPanel } from "./verdict-review";

export default function DeploymentDetailIsland({ locale, messages }: IslandProps) {
  return (
    <IslandI18n locale={locale} messages={messages}>
      <DeploymentDetailView locale={locale} />
    </IslandI18n>
  );
}

/** `?id=` of the address, once hydrated; "" when it is missing or not a UUID. */
function useIdParam(): string | null {
  const [id, setId] = useState<string | null>(null);
  useEffect(() => {
    const value = new URLSearchParams(window.location.search).get("id") ?? "";
    setId(isUuid(value) ? value : "");
  }, []);
  return id;
}

function DeploymentDetailView({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const id = useIdParam();
  const format = useMemo(() => createFormatters(locale), [locale]);
  const detail = useApiData<{ deployment: DeploymentDetail }>(locale, id ? `/api/deployments/${id}` : null);
  const metrics = useApiData<DeploymentMetrics>(locale, id ? `/api/deployments/${id}/metrics` : null);
  useDeploymentDetailPolling(detail, metrics);
  const [analysisMessages, setAnalysisMessages] = useState<MessageTree | null>(null);

  useEffect(() => {
    void loadAnalysisMessages(locale).then(setAnalysisMessages);
  }, [locale]);

  const heading = (number?: number) => (
    <h1 className="font-bold text-2xl text-slate-900 tracking-tight sm:text-3xl dark:text-white">
      {number === undefined ? t("deployments.detail.title") : t("deployments.detail.titleNumber", { number })}
    </h1>
  );

  if (id === "") {
    return (
      <>
        {heading()}
        <div className="mt-6">
          <EmptyState
            title={t("deployments.detail.missingId")}
            body={t("deployments.detail.missingIdBody")}
            action={
              <a className={buttonClass.primary} href={deploymentsHref(locale)}>
                {t("deployments.detail.backToList")}
              </a>
            }
          />
        </div>
      </>
    );
  }

  if (detail.state.kind === "error") {
    const notFound = detail.state.failure.status === 404;
    return (
      <>
        {heading()}
        <div className="mt-6">
          {notFound ? (
            <EmptyState
              title={t("deployments.detail.notFound")}
              body={t("deployments.detail.notFoundBody")}
              action={
                <a className={buttonClass.primary} href={deploymentsHref(locale)}>
                  {t("deployments.detail.backToList")}
                </a>
              }
            />
          ) : (
            <ErrorState failure={detail.state.failure} onRetry={() => void detail.reload()} />
          )}
        </div>
      </>
    );
  }

  if (detail.state.kind === "loading" || analysisMessages === null) {
    return (
      <>
        {heading()}
        <div className="mt-2 h-6" />
        <div className="mt-6">
          <Skeleton
            label={t("deployments.detail.loading")}
            blocks={["h-44", "h-40", "h-56", "h-[17rem]", "h-[17rem]"]}
          />
        </div>
      </>
    );
  }

  const deployment = detail.state.data.deployment;
  const hints = sortHints(deployment.hints);
  return (
    <>
      {heading(deployment.number)}
      <p className="mt-2 flex flex-wrap items-center gap-x-2 gap-y-1 text-slate-700 dark:text-slate-300">
        <a href={projectHref(locale, deployment.project.id)} className={linkClass}>
          {deployment.project.name}
        </a>
        <Tag>{deployment.env}</Tag>
        {deployment.branch && <span className="truncate">{deployment.branch}</span>}
      </p>

      <VerdictPanel
        deployment={deployment}
        format={format}
        messages={analysisMessages}
        feedback={<VerdictFeedbackPanel deployment={deployment} locale={locale} format={format} />}
        firstHint={hints[0]}
        cancel={
          <CancelDeployment
            deployment={deployment}
            locale={locale}
            onCancelled={() => void detail.reload()}
          />
        }
      />
      <ObservationProgress
        deployment={deployment}
        metrics={metrics.state.kind === "ready" ? metrics.state.data : null}
      />

      <section aria-labelledby="hints-title" className="mt-10">
        <h2 id="hints-title" className="font-semibold text-slate-900 text-xl dark:text-white">
          {t("deployments.detail.hintsTitle")}
        </h2>
        <div className="mt-4 grid grid-cols-1 gap-4">
          {hints.length === 0 ? (
            <EmptyState
              title={
                deployment.verdict ? t("deployments.detail.noHints") : t("deployments.detail.noHintsYet")
              }
              body={
                deployment.verdict
                  ? t("deployments.detail.noHintsBody")
                  : t("deployments.detail.noHintsYetBody")
              }
            />
          ) : (
            hints.map((hint) => (
              <HintCard
                key={`${hint.metric}-${hint.code}`}
                hint={hint}
                locale={locale}
                format={format}
                messages={analysisMessages}
              />
            ))
          )}
        </div>
      </section>

      <section aria-labelledby="metrics-title" className="mt-10">
        <h2 id="metrics-title" className="font-semibold text-slate-900 text-xl dark:text-white">
          {t("deployments.detail.metricsTitle")}
        </h2>
        <p className="mt-1 text-slate-600 text-sm dark:text-slate-300">
          {t("deployments.detail.metricsLead", { minutes: deployment.observationWindowMinutes })}
        </p>
        <div className="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-2">
          {metrics.state.kind === "loading" &&
            chartMetrics.map((metric) => (
              <div
                key={metric}
                className={`${cardClass} h-[17rem] motion-safe:animate-pulse`}
                aria-hidden="true"
              />
            ))}
          {metrics.state.kind === "error" && (
            <div className="lg:col-span-2">
              <ErrorState failure={metrics.state.failure} onRetry={() => void metrics.reload()} />
            </div>
          )}
          {metrics.state.kind === "ready" &&
            (() => {
              const samples = metrics.state.data;
              return chartMetrics.map((metric) => (
                <MetricChart key={metric} data={shapeMetricChart(metric, samples)} format={format} />
              ));
            })()}
        </div>
      </section>

      <Facts deployment={deployment} format={format} locale={locale} />
      <CollectionErrors deployment={deployment} format={format} />
    </>
  );
}

const panelTone: Record<VerdictDisplay, string> = {
  ok: "border-emerald-300 bg-emerald-50 dark:border-emerald-800 dark:bg-emerald-950/60",
  healthy_unchanged: "border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900",
  cancelled: "border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900",
  warning: "border-amber-300 bg-amber-50 dark:border-amber-800 dark:bg-amber-950/60",
  rollback_recommended: "border-red-300 bg-red-50 dark:border-red-800 dark:bg-red-950/60",
  pending: "border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900",
  expired: "border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900",
};

function VerdictPanel({
  deployment,
  format,
  messages,
  firstHint,
  cancel,
  feedback,
}: {
  deployment: DeploymentDetail;
  format: Formatters;
  messages: MessageTree;
  firstHint: DeploymentDetail["hints"][number] | undefined;
  /** The cancel control, shown while the deployment runs. */
  cancel: ReactNode;
  /** "Was this verdict right?", shown once analyzed. */
  feedback: ReactNode;
}) {
  const { t } = useTranslation();
  const display = verdictDisplayOf(deployment);
  const verdict = deployment.verdict;
  let headline: string;
  let body: ReactNode = null;
  if (verdict) {
    headline = renderLocalizedText(verdict.summary, messages);
  } else if (deployment.state === "running") {
    headline = t("deployments.detail.pending.running");
    body = t("deployments.detail.pending.runningBody");
  } else if (deployment.state === "finished") {
    const expected =
      deployment.finishedAt &&
      new Date(
        Date.parse(deployment.finishedAt) + (deployment.observationWindowMinutes * 60 + 150) * 1000,
      ).toISOString();
    headline = t("deployments.detail.pending.observing");
    body = t("deployments.detail.pending.observingBody", {
      minutes: deployment.observationWindowMinutes,
      time: expected ? format.dateTime(expected) : "—",
    });
  } else if (deployment.state === "cancelled") {
    headline = t("deployments.cancel.cancelledHeadline");
    body = t("deployments.cancel.cancelledBody");
  } else {
    headline = t("deployments.detail.pending.expired");
    body = t("deployments.detail.pending.expiredBody");
  }
  const meaning = verdictMeaningKey(deployment);

  return (
    <section
      aria-labelledby="verdict-title"
      className={`mt-6 rounded-xl border p-5 sm:p-6 ${panelTone[display]}`}
      data-testid="verdict-panel"
    >
      <h2 id="verdict-title" className="sr-only">
        {t("deployments.detail.verdictTitle")}
      </h2>
      <div className="flex flex-wrap items-center gap-3">
        <VerdictBadge verdict={display} size="lg" />
        {verdict && (
          <span className="font-medium text-slate-800 dark:text-slate-100">
            {t("deployments.detail.confidence", { value: format.percent(verdict.confidence, 0) })}
          </span>
        )}
        {verdict && <EarlyVerdictBadge verdict={verdict} />}
      </div>
      <p className="mt-3 flex items-start gap-2 font-semibold text-lg text-slate-900 sm:text-xl dark:text-white">
        {headline}
      </p>
      {body && <p className="mt-1 text-slate-700 dark:text-slate-300">{body}</p>}
      {meaning && (
        <p className="mt-2 text-slate-800 dark:text-slate-200" data-testid="verdict-meaning">
          {t(meaning)}
        </p>
      )}
      {deployment.state === "running" && cancel}
      {firstHint && verdict && verdict.verdict !== "ok" && (
        <p className="mt-3 text-slate-800 dark:text-slate-200">
          <span className="font-semibold">{t("deployments.detail.checkFirst")}</span>{" "}
          <a href="#hints-title" className={linkClass}>
            {renderLocalizedText(firstHint.title, messages)}
          </a>
        </p>
      )}
      {verdict && <ShadowVerdictLine verdict={verdict} format={format} />}
      {verdict && <VerdictReasoning verdict={verdict} format={format} messages={messages} />}
      {verdict && feedback}
    </section>
  );
}

function Facts({
  deployment,
  format,
  locale,
}: {
  deployment: DeploymentDetail;
  format: Formatters;
  locale: Locale;
}) {
  const { t } = useTranslation();
  const facts: Array<[string, ReactNode]> = [
    [
      t("deployments.detail.facts.project"),
      <a key="p" href={projectHref(locale, deployment.project.id)} className={linkClass}>
        {deployment.project.name}
      </a>,
    ],
    [t("deployments.detail.facts.env"), deployment.env],
    [t("deployments.detail.facts.pipeline"), t(`common.pipeline.${deployment.pipelineResult ?? "unknown"}`)],
    [t("deployments.detail.facts.state"), t(`common.state.${deployment.state}`)],
    [t("deployments.detail.facts.branch"), deployment.branch ?? "—"],
    [t("deployments.detail.facts.commit"), <CommitFact key="c" deployment={deployment} />],
    ...pipelineContextFacts(deployment, t),
    [t("deployments.detail.facts.started"), format.dateTime(deployment.startedAt)],
    [t("deployments.detail.facts.finished"), format.dateTime(deployment.finishedAt)],
    [t("deployments.detail.facts.duration"), format.duration(deployment.durationMs)],
    [
      t("deployments.detail.facts.window"),
      t("deployments.detail.minutes", { count: deployment.observationWindowMinutes }),
    ],
    [t("deployments.detail.facts.analyzed"), format.dateTime(deployment.analyzedAt)],
  ];
  return (
    <section aria-labelledby="facts-title" className="mt-10">
      <h2 id="facts-title" className="font-semibold text-slate-900 text-xl dark:text-white">
        {t("deployments.detail.factsTitle")}
      </h2>
      <dl className={`${cardClass} mt-4 grid gap-x-6 gap-y-4 p-5 sm:grid-cols-2 lg:grid-cols-3`}>
        {facts.map(([label, value]) => (
          <div key={label} className="min-w-0">
            <dt className="text-slate-600 text-sm dark:text-slate-400">{label}</dt>
            <dd className="mt-0.5 font-medium text-slate-900 dark:text-slate-100">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className={linkClass}>
      {children}
    </a>
  );
}

/** The commit's SHA, a link to the commit when the pipeline sent one. */
function CommitFact({ deployment }: { deployment: DeploymentDetail }) {
  const { t } = useTranslation();
  const href = externalHref(deployment.commitUrl);
  const sha = deployment.commitSha ? <code className="break-all text-xs">{deployment.commitSha}</code> : null;
  if (href) return <ExternalLink href={href}>{sha ?? t("deployments.detail.viewCommit")}</ExternalLink>;
  return sha ?? "—";
}

/** What the pipeline said about itself at the trigger (version, CI run, who started it), when it did. */
function pipelineContextFacts(deployment: DeploymentDetail, t: TFunction): Array<[string, ReactNode]> {
  const facts: Array<[string, ReactNode]> = [];
  if (deployment.version) facts.push([t("deployments.detail.facts.version"), deployment.version]);
  const ciRun = externalHref(deployment.ciRunUrl);
  if (ciRun) {
    facts.push([
      t("deployments.detail.facts.ciRun"),
      <ExternalLink key="ci" href={ciRun}>
        {t("deployments.detail.viewCiRun")}
      </ExternalLink>,
    ]);
  }
  if (deployment.actor) facts.push([t("deployments.detail.facts.actor"), deployment.actor]);
  return facts;
}

function CollectionErrors({ deployment, format }: { deployment: DeploymentDetail; format: Formatters }) {
  const { t } = useTranslation();
  if (deployment.collectionErrors.length === 0) return null;
  return (
    <section aria-labelledby="collection-errors-title" className="mt-10">
      <h2 id="collection-errors-title" className="font-semibold text-slate-900 text-xl dark:text-white">
        {t("deployments.detail.collectionErrorsTitle")}
      </h2>
      <p className="mt-1 text-slate-600 text-sm dark:text-slate-300">
        {t("deployments.detail.collectionErrorsLead")}
      </p>
      <ul className="mt-4 grid gap-2">
        {deployment.collectionErrors.map((error) => (
          <li
            key={`${error.phase}-${error.sequence}-${error.attempt}`}
            className={`${cardClass} flex flex-wrap items-baseline gap-x-3 gap-y-1 p-3 text-sm`}
          >
            <VerdictIcon verdict={error.final ? "expired" : "pending"} className="size-4 self-center" />
            <span className="font-medium">
              {t("deployments.detail.sampleLabel", {
                phase: error.phase === "pre" ? t("charts.baseline") : t("charts.post"),
                number: error.sequence + 1,
              })}
            </span>
            <code className="text-xs">{error.code}</code>
            <span className="text-slate-700 dark:text-slate-300">{error.message}</span>
            <span className="text-slate-600 dark:text-slate-400">
              {t(error.final ? "deployments.detail.attemptFinal" : "deployments.detail.attemptRetried")} ·{" "}
              <time dateTime={error.occurredAt}>{format.dateTime(error.occurredAt)}</time>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
