// "How the verdict was reached": the verdict's own lines (each failed metric with its numbers,
// then the data quality and its issues), in the page's language.
import { useTranslation } from "react-i18next";
import type { DeploymentDetail } from "./api-types";
import type { Formatters } from "./format";
import { type MessageTree, renderLocalizedText } from "./localized-text";

export function VerdictReasoning({
  verdict,
  format,
  messages,
}: {
  verdict: NonNullable<DeploymentDetail["verdict"]>;
  format: Formatters;
  messages: MessageTree;
}) {
  const { t } = useTranslation();
  // The details already carry one line per data-quality issue: the issues are not listed twice.
  if (verdict.details.length === 0) return null;
  return (
    <details className="mt-4 text-sm" data-testid="verdict-reasoning">
      <summary className="cursor-pointer rounded-sm font-medium text-slate-800 focus-visible:outline-2 focus-visible:outline-sky-600 dark:text-slate-200">
        {t("deployments.detail.verdictDetails", { score: format.percent(verdict.dataQuality.score, 0) })}
      </summary>
      <ul className="mt-2 list-disc space-y-1 ps-5 text-slate-700 dark:text-slate-300">
        {verdict.details.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines may repeat; their order is fixed
          <li key={index}>{renderLocalizedText(line, messages, format.locale)}</li>
        ))}
      </ul>
    </details>
  );
}
