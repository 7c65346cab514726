import { useTranslation } from "react-i18next";
import { rankHints } from "../../../worker/features/analysis/hint-ranking";
import type { Locale } from "../../i18n/locales";
import type { Hint, HintSeverity, SampleMetric } from "./api-types";
import { SeverityBadge, Tag } from "./badges";
import type { Formatters } from "./format";
import { deploymentHref } from "./links";
import { type MessageTree, renderLocalizedText } from "./localized-text";
import { cardClass } from "./page-states";

/**
 * What to check first: critical before warnings before information, then the finding furthest
 * past its line (the rule lives with the analysis: worker/features/analysis/hint-ranking.ts).
 */
export function sortHints(hints: Hint[]): Hint[] {
  return rankHints(hints);
}

const severityBorder: Record<HintSeverity, string> = {
  critical: "border-l-red-600 dark:border-l-red-400",
  warning: "border-l-amber-500 dark:border-l-amber-400",
  info: "border-l-sky-600 dark:border-l-sky-400",
};

interface HintCardProps {
  hint: Hint;
  locale: Locale;
  format: Formatters;
  messages: MessageTree;
  /** On the hints page, each card says which deployment it is about and links to it. */
  showDeployment?: boolean;
  headingLevel?: "h2" | "h3";
}

export function HintCard({
  hint,
  locale,
  format,
  messages,
  showDeployment = false,
  headingLevel: Heading = "h3",
}: HintCardProps) {
  const { t } = useTranslation();
  const rps = t("charts.units.rps");
  const metricValue = (value: number | null | undefined) =>
    hint.metric === "composite"
      ? format.decimal(value ?? Number.NaN, 2)
      : format.metric(hint.metric, value, rps);
  const evidence = hint.evidence;
  const facts: Array<[string, string]> = [];
  if (hint.metric !== "composite") {
    if (hint.observedValue !== null)
      facts.push([t("hints.evidence.observed"), metricValue(hint.observedValue)]);
    if (hint.threshold !== null) facts.push([t("hints.evidence.threshold"), metricValue(hint.threshold)]);
    if (evidence?.preMean !== null && evidence?.preMean !== undefined)
      facts.push([t("hints.evidence.baseline"), metricValue(evidence.preMean)]);
    if (evidence?.exceedRatio !== null && evidence?.exceedRatio !== undefined)
      facts.push([
        t("hints.evidence.exceedRatio"),
        evidence.tolerance !== null && evidence.tolerance !== undefined
          ? t("hints.evidence.ratioOfTolerance", {
              ratio: format.percent(evidence.exceedRatio, 0),
              tolerance: format.percent(evidence.tolerance, 0),
            })
          : format.percent(evidence.exceedRatio, 0),
      ]);
  }
  facts.push([t("hints.evidence.confidence"), format.percent(hint.confidence, 0)]);

  return (
    <article className={`${cardClass} border-l-4 p-4 sm:p-5 ${severityBorder[hint.severity]}`}>
      <div className="flex flex-wrap items-center gap-2">
        <SeverityBadge severity={hint.severity} />
        <Tag>{t(`charts.metric.${hint.metric}`)}</Tag>
        {showDeployment && (
          <span className="text-slate-600 text-sm dark:text-slate-300">
            {hint.project.name} ·{" "}
            <a
              href={deploymentHref(locale, hint.deployment.id)}
              className="rounded-sm font-medium text-sky-800 underline underline-offset-2 dark:text-sky-300"
            >
              {t("deployments.number", { number: hint.deployment.number })}
            </a>{" "}
            · {hint.deployment.env} ·{" "}
            <time dateTime={hint.createdAt} title={format.dateTime(hint.createdAt)}>
              {format.relative(hint.createdAt)}
            </time>
          </span>
        )}
      </div>
      <Heading className="mt-3 font-semibold text-base text-slate-900 dark:text-white">
        {renderLocalizedText(hint.title, messages)}
      </Heading>
      <p className="mt-1.5 text-slate-700 text-sm leading-relaxed dark:text-slate-300">
        {renderLocalizedText(hint.diagnosis, messages, locale)}
      </p>
      <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-slate-600 text-xs dark:text-slate-400">{label}</dt>
            <dd className="font-medium text-slate-900 tabular-nums dark:text-slate-100">{value}</dd>
          </div>
        ))}
      </dl>
      {hint.metric === "composite" && evidence?.signals && evidence.signals.length > 0 && (
        <ul className="mt-3 grid gap-1 text-sm">
          {evidence.signals.map((signal) => (
            <li key={signal.metric} className="text-slate-700 dark:text-slate-300">
              <span className="font-medium">{t(`charts.metric.${signal.metric}`)}</span>:{" "}
              {t("hints.evidence.signal", {
                observed: format.metric(signal.metric as SampleMetric, signal.observedValue, rps),
                threshold: format.metric(signal.metric as SampleMetric, signal.threshold, rps),
              })}
            </li>
          ))}
        </ul>
      )}
      {hint.suggestedActions.length > 0 && (
        <div className="mt-4">
          <p className="font-semibold text-slate-900 text-sm dark:text-white">
            {t("hints.suggestedActions")}
          </p>
          <ul className="mt-1.5 list-disc space-y-1 ps-5 text-slate-700 text-sm dark:text-slate-300">
            {hint.suggestedActions.map((action) => (
              <li key={action.code + JSON.stringify(action.params)}>
                {renderLocalizedText(action, messages)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </article>
  );
}
