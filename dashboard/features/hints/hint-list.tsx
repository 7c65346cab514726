import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { FilterSelect } from "../../components/paged-list/filter-select";
import { FilteredEmpty, PagedList, ShownCount } from "../../components/paged-list/paged-list";
import { usePagedList } from "../../components/paged-list/use-paged-list";
import { useUrlFilters } from "../../components/paged-list/use-url-filters";
import { IslandI18n, type IslandProps } from "../../i18n/island-provider";
import { type Locale, localizedPath } from "../../i18n/locales";
import { type Hint, hintMetrics, hintSeverities } from "../deployments/api-types";
import { createFormatters } from "../deployments/format";
import { HintCard } from "../deployments/hint-card";
import { loadAnalysisMessages, type MessageTree } from "../deployments/localized-text";
import { Skeleton } from "../deployments/page-states";
import { useProjectChoices } from "../projects/use-project-choices";
import { hasHintFilters, hintFiltersToSearch, hintsApiPath, parseHintFilters } from "./hint-filters";

export default function HintListIsland({ locale, messages }: IslandProps) {
  return (
    <IslandI18n locale={locale} messages={messages}>
      <HintList locale={locale} />
    </IslandI18n>
  );
}

const PAGE_SIZE = 20;

function HintList({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const format = useMemo(() => createFormatters(locale), [locale]);
  const projects = useProjectChoices();
  const [analysisMessages, setAnalysisMessages] = useState<MessageTree | null>(null);
  const { filters, apply, change } = useUrlFilters({
    parse: parseHintFilters,
    toSearch: hintFiltersToSearch,
    href: (query) => `${localizedPath(locale, "/hints/")}${query}`,
  });
  const paged = usePagedList<Hint>({
    locale,
    pagePath: filters && ((cursor) => hintsApiPath(filters, cursor, PAGE_SIZE)),
  });

  useEffect(() => {
    void loadAnalysisMessages(locale).then(setAnalysisMessages);
  }, [locale]);

  return (
    <div>
      <search aria-label={t("hints.filters.label")}>
        <form className="grid gap-3 sm:grid-cols-3" onSubmit={(event) => event.preventDefault()}>
          <FilterSelect
            id="hint-severity"
            label={t("hints.filters.severity")}
            allLabel={t("hints.filters.all")}
            value={filters?.severity}
            options={hintSeverities.map((severity) => ({
              value: severity,
              label: t(`common.severity.${severity}`),
            }))}
            onChange={(value) => change("severity", value)}
          />
          <FilterSelect
            id="hint-project"
            label={t("hints.filters.project")}
            allLabel={t("hints.filters.all")}
            value={filters?.project}
            options={projects.map((project) => ({ value: project.id, label: project.name }))}
            onChange={(value) => change("project", value)}
          />
          <FilterSelect
            id="hint-metric"
            label={t("hints.filters.metric")}
            allLabel={t("hints.filters.all")}
            value={filters?.metric}
            options={hintMetrics.map((metric) => ({ value: metric, label: t(`charts.metric.${metric}`) }))}
            onChange={(value) => change("metric", value)}
          />
        </form>
      </search>

      <div className="mt-6 min-h-[36rem]">
        <PagedList
          paged={paged}
          loading={<Skeleton label={t("hints.loading")} blocks={["h-48", "h-48", "h-48"]} />}
          waiting={analysisMessages === null}
          empty={
            <FilteredEmpty
              filtered={filters !== null && hasHintFilters(filters)}
              filteredText={{ title: t("hints.emptyFiltered"), body: t("hints.emptyFilteredBody") }}
              emptyText={{ title: t("hints.empty"), body: t("hints.emptyBody") }}
              clearLabel={t("hints.filters.clear")}
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
