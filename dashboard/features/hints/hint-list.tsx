import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { FilterBar, FilteredEmpty } from "../../components/paged-list/filter-bar";
import { PagedList, ShownCount } from "../../components/paged-list/paged-list";
import { usePagedList } from "../../components/paged-list/use-paged-list";
import { useUrlFilters } from "../../components/paged-list/use-url-filters";
import { islandOf } from "../../i18n/island-provider";
import { type Locale, localizedPath } from "../../i18n/locales";
import { type Hint, hintMetrics, hintSeverities } from "../deployments/api-types";
import { createFormatters } from "../deployments/format";
import { HintCard } from "../deployments/hint-card";
import { loadAnalysisMessages, type MessageTree } from "../deployments/localized-text";
import { Skeleton } from "../deployments/page-states";
import { useProjectChoices } from "../projects/use-project-choices";
import { hasHintFilters, hintFiltersToSearch, hintsApiPath, parseHintFilters } from "./hint-filters";

export default islandOf(HintList);

const PAGE_SIZE = 20;

function HintList({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const format = useMemo(() => createFormatters(locale), [locale]);
  const projects = useProjectChoices();
  const [analysisMessages, setAnalysisMessages] = useState<MessageTree | null>(null);
  const urlFilters = useUrlFilters({
    parse: parseHintFilters,
    toSearch: hintFiltersToSearch,
    href: (query) => `${localizedPath(locale, "/hints/")}${query}`,
  });
  const { filters, apply } = urlFilters;
  const paged = usePagedList<Hint>({
    locale,
    pagePath: filters && ((cursor) => hintsApiPath(filters, cursor, PAGE_SIZE)),
  });

  const severityOptions = hintSeverities.map((severity) => ({
    value: severity,
    label: t(`common.severity.${severity}`),
  }));
  const projectOptions = projects.map((project) => ({ value: project.id, label: project.name }));
  const metricOptions = hintMetrics.map((metric) => ({ value: metric, label: t(`charts.metric.${metric}`) }));

  useEffect(() => {
    void loadAnalysisMessages(locale).then(setAnalysisMessages);
  }, [locale]);

  return (
    <div>
      <FilterBar
        texts="hints"
        className="grid gap-3 sm:grid-cols-3"
        filters={urlFilters}
        idPrefix="hint"
        selects={{ severity: severityOptions, project: projectOptions, metric: metricOptions }}
      />

      <div className="mt-6 min-h-[36rem]">
        <PagedList
          paged={paged}
          loading={<Skeleton label={t("hints.loading")} blocks={["h-48", "h-48", "h-48"]} />}
          waiting={analysisMessages === null}
          empty={
            <FilteredEmpty
              texts="hints"
              filtered={filters !== null && hasHintFilters(filters)}
              onClear={() => apply({})}
            />
          }
        >
          {(items) =>
            analysisMessages && (
              <>
                <ShownCount className="mb-3">{t("hints.showing", { count: items.length })}</ShownCount>
                <div className="grid gap-4">
                  {items.map((hint) => (
                    <HintCard
                      key={`${hint.deployment.id}-${hint.metric}-${hint.code}`}
                      hint={hint}
                      locale={locale}
                      format={format}
                      messages={analysisMessages}
                      showDeployment
                      headingLevel="h2"
                    />
                  ))}
                </div>
              </>
            )
          }
        </PagedList>
      </div>
    </div>
  );
}
