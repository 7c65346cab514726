// The overview's presentational pieces: everything arrives as props and nothing is fetched here,
// so the data logic stays in overview.tsx.
import { useTranslation } from "react-i18next";
import { buttonClass } from "../../components/ui/button";
import { linkClass } from "../../components/ui/link";
import type { Locale } from "../../i18n/locales";
import type { Deployment, Hint, VerdictLevel } from "../deployments/api-types";
import { Tag, VerdictBadge, verdictDisplayOf } from "../deployments/badges";
import type { Formatters } from "../deployments/format";
import { sortHints } from "../deployments/hint-card";
import { deploymentHref } from "../deployments/links";
import { type MessageTree, renderLocalizedText } from "../deployments/localized-text";
import { cardClass } from "../deployments/page-states";

const statTone: Record<VerdictLevel, string> = {
  ok: "border-t-emerald-500 dark:border-t-emerald-400",
  warning: "border-t-amber-400 dark:border-t-amber-300",
  rollback_recommended: "border-t-red-600 dark:border-t-red-400",
};

export function StatCard({
  href,
  label,
  value,
  note,
  verdict,
}: {
  href: string;
  label: string;
  value: string;
  note: string;
  verdict?: VerdictLevel;
}) {
  return (
    <li>
      <a
        href={href}
        className={`${cardClass} block border-t-4 p-4 hover:shadow-md focus-visible:outline-2 focus-visible:outline-sky-600 focus-visible:outline-offset-2 ${verdict ? statTone[verdict] : "border-t-sky-700 dark:border-t-sky-400"}`}
      >
        <span className="block text-slate-600 text-sm dark:text-slate-300">{label}</span>
        <span className="mt-1 block font-bold text-3xl text-slate-900 tabular-nums dark:text-white">
          {value}
        </span>
        <span className="mt-1 block text-slate-600 text-xs dark:text-slate-400">{note}</span>
      </a>
    </li>
  );
}

/**
 * The answer to "is the last deploy the problem?": the latest deployment, and when it has no
 * verdict yet, the latest one that has (with what to check first).
 */
export function LatestDeploy({
  locale,
  latest,
  judged,
  hints,
  format,
  messages,
}: {
  locale: Locale;
  latest: Deployment;
  judged: Deployment | undefined;
  hints: Hint[];
  format: Formatters;
  messages: MessageTree;
}) {
  const { t } = useTranslation();
  const pending = latest !== judged;
  return (
    <section aria-labelledby="last-deploy-title" className={`${cardClass} mt-8 p-5 sm:p-6`}>
      <h2
        id="last-deploy-title"
        className="font-semibold text-slate-600 text-sm uppercase tracking-wide dark:text-slate-300"
      >
        {t("overview.lastDeploy")}
      </h2>
      {pending && (
        <div className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-2 border-slate-200 border-b pb-4 dark:border-slate-800">
          <VerdictBadge verdict={verdictDisplayOf(latest)} />
          <a href={deploymentHref(locale, latest.id)} className={`${linkClass} text-sm`}>
            {latest.project.name} · {t("deployments.number", { number: latest.number })}
          </a>
          <Tag>{latest.env}</Tag>
          <span className="text-slate-700 text-sm dark:text-slate-300">
            {latest.state === "expired" ? t("overview.latestExpired") : t("overview.latestPending")}
          </span>
        </div>
      )}
      {judged && (
        <div className={pending ? "mt-4" : ""}>
          {pending && (
            <h3 className="font-semibold text-slate-600 text-sm dark:text-slate-300">
              {t("overview.lastVerdict")}
            </h3>
          )}
          <VerdictSummary
            locale={locale}
            deployment={judged}
            hints={hints}
            format={format}
            messages={messages}
          />
        </div>
      )}
    </section>
  );
}

function VerdictSummary({
  locale,
  deployment,
  hints,
  format,
  messages,
}: {
  locale: Locale;
  deployment: Deployment;
  hints: Hint[];
  format: Formatters;
  messages: MessageTree;
}) {
  const { t } = useTranslation();
  const first = sortHints(hints)[0];
  return (
    <>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <VerdictBadge verdict={verdictDisplayOf(deployment)} size="lg" />
        {deployment.verdict && (
          <span className="text-slate-700 dark:text-slate-300">
            {t("deployments.detail.confidence", { value: format.percent(deployment.verdict.confidence, 0) })}
          </span>
        )}
      </div>
      <p className="mt-3 font-semibold text-lg text-slate-900 dark:text-white">
        {deployment.verdict ? renderLocalizedText(deployment.verdict.summary, messages) : ""}
      </p>
      <p className="mt-1 flex flex-wrap items-center gap-x-2 text-slate-700 text-sm dark:text-slate-300">
        <span>
          {deployment.project.name} · {t("deployments.number", { number: deployment.number })}
        </span>
        <Tag>{deployment.env}</Tag>
        <time dateTime={deployment.startedAt} title={format.dateTime(deployment.startedAt)}>
          {format.relative(deployment.startedAt)}
        </time>
      </p>
      {first && (
        <p className="mt-3 text-slate-800 dark:text-slate-200">
          <span className="font-semibold">{t("deployments.detail.checkFirst")}</span>{" "}
          {renderLocalizedText(first.title, messages)}
        </p>
      )}
      <a href={deploymentHref(locale, deployment.id)} className={`${buttonClass.primary} mt-4`}>
        {t("overview.openLatest")}
      </a>
    </>
  );
}
