import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { FilterBar, FilteredEmpty } from "../../components/paged-list/filter-bar";
import { PagedList, ShownCount } from "../../components/paged-list/paged-list";
import { usePagedList } from "../../components/paged-list/use-paged-list";
import { useUrlFilters } from "../../components/paged-list/use-url-filters";
import { Button } from "../../components/ui/button";
import { linkClass } from "../../components/ui/link";
import { inputClass, labelClass } from "../../components/ui/text-field";
import { islandOf } from "../../i18n/island-provider";
import type { Locale } from "../../i18n/locales";
import { apiRequest } from "../../lib/api-client";
import { useProjectChoices } from "../projects/use-project-choices";
import { type Deployment, deploymentStates, type Page, verdictLevels } from "./api-types";
import { Tag, VerdictBadge, verdictDisplayOf } from "./badges";
import { deploymentFiltersToSearch, deploymentsApiPath, hasFilters, parseDeploymentFilters } from "./filters";
import { createFormatters } from "./format";
import { deploymentHref, deploymentsHref, shortSha } from "./links";
import { Skeleton } from "./page-states";
import { isAwaitingVerdict, refreshRows, useDeploymentPolling } from "./use-deployment-polling";

export default islandOf(DeploymentList);

const PAGE_SIZE = 25;

function DeploymentList({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const format = useMemo(() => createFormatters(locale), [locale]);
  const [search, setSearch] = useState("");
  const projects = useProjectChoices();
  const urlFilters = useUrlFilters({
    parse: parseDeploymentFilters,
    toSearch: deploymentFiltersToSearch,
    href: (query) => deploymentsHref(locale, query),
    onRead: (initial) => setSearch(initial.q ?? ""),
  });
  const { filters, apply, change } = urlFilters;
  const paged = usePagedList<Deployment>({
    locale,
    pagePath: filters && ((cursor) => deploymentsApiPath(filters, cursor, PAGE_SIZE)),
  });
  const { list, shownItems, replaceItems } = paged;

  // Rows awaiting their verdict change by themselves: the first page is asked again meanwhile.
  useDeploymentPolling(list.kind === "ready" && list.items.some(isAwaitingVerdict), async () => {
    if (!filters) return false;
    const result = await apiRequest<Page<Deployment>>("GET", deploymentsApiPath(filters, null, PAGE_SIZE));
    if (!result.ok) return false;
    const shown = shownItems();
    if (!shown) return false;
    const refreshed = refreshRows(shown, result.data.items);
    if (refreshed.changed) replaceItems(refreshed.rows);
    return refreshed.changed;
  });

  const envs = [...new Set(projects.flatMap((project) => project.envs))].sort();
  if (filters?.env && !envs.includes(filters.env)) envs.push(filters.env);
  const projectOptions = projects.map((project) => ({ value: project.id, label: project.name }));
  const verdictOptions = verdictLevels.map((level) => ({
    value: level,
    label: t(`common.verdict.${level}`),
  }));
  const stateOptions = deploymentStates.map((state) => ({ value: state, label: t(`common.state.${state}`) }));

  return (
    <div>
      <FilterBar
        texts="deployments"
        className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6"
        filters={urlFilters}
        idPrefix="filter"
        selects={{
          project: projectOptions,
          env: envs.map((env) => ({ value: env, label: env })),
          verdict: verdictOptions,
          state: stateOptions,
        }}
        onSubmit={() => change("q", search)}
      >
        <div className="col-span-2 sm:col-span-3 lg:col-span-2">
          <label htmlFor="filter-q" className={labelClass}>
            {t("deployments.filters.search")}
          </label>
          <div className="mt-1.5 flex gap-2">
            <input
              id="filter-q"
              type="search"
              value={search}
              maxLength={100}
              placeholder={t("deployments.filters.searchPlaceholder")}
              onChange={(event) => setSearch(event.target.value)}
              className={inputClass}
            />
            <Button type="submit" variant="secondary" waiting={filters === null}>
              {t("deployments.filters.apply")}
            </Button>
          </div>
        </div>
      </FilterBar>

      <div className="mt-6 min-h-[36rem]">
        <PagedList
          paged={paged}
          loading={<Skeleton label={t("deployments.loading")} blocks={["h-10", ...Array(8).fill("h-12")]} />}
          empty={
            <FilteredEmpty
              texts="deployments"
              filtered={filters !== null && hasFilters(filters)}
              onClear={() => {
                setSearch("");
                apply({});
              }}
            />
          }
        >
          {(items) => (
            <>
              <ShownCount className="mb-2">{t("deployments.showing", { count: items.length })}</ShownCount>
              <DeploymentTable locale={locale} items={items} format={format} />
            </>
          )}
        </PagedList>
      </div>
    </div>
  );
}

export function DeploymentTable({
  locale,
  items,
  format,
  showProject = true,
}: {
  locale: Locale;
  items: Deployment[];
  format: ReturnType<typeof createFormatters>;
  showProject?: boolean;
}) {
  const { t } = useTranslation();
  const cell = "px-3 py-2.5 align-middle";
  return (
    <section
      className="overflow-x-auto rounded-xl border border-slate-200 bg-white focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-800 dark:bg-slate-900"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
      tabIndex={0}
      aria-label={t("deployments.tableLabel")}
    >
      <table className="w-full min-w-[44rem] text-left text-sm">
        <thead className="border-slate-200 border-b bg-slate-50 text-slate-600 text-xs uppercase tracking-wide dark:border-slate-800 dark:bg-slate-800/50 dark:text-slate-300">
          <tr>
            <th scope="col" className={cell}>
              {t("deployments.columns.deployment")}
            </th>
            {showProject && (
              <th scope="col" className={cell}>
                {t("deployments.columns.project")}
              </th>
            )}
            <th scope="col" className={cell}>
              {t("deployments.columns.verdict")}
            </th>
            <th scope="col" className={cell}>
              {t("deployments.columns.pipeline")}
            </th>
            <th scope="col" className={cell}>
              {t("deployments.columns.change")}
            </th>
            <th scope="col" className={cell}>
              {t("deployments.columns.started")}
            </th>
            <th scope="col" className={`${cell} text-right`}>
              {t("deployments.columns.duration")}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {items.map((deployment) => (
            <tr key={deployment.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
              <td className={cell}>
                <a href={deploymentHref(locale, deployment.id)} className={linkClass}>
                  {t("deployments.number", { number: deployment.number })}
                </a>{" "}
                <Tag>{deployment.env}</Tag>
              </td>
              {showProject && <td className={`${cell} max-w-48 truncate`}>{deployment.project.name}</td>}
              <td className={cell}>
                <VerdictBadge verdict={verdictDisplayOf(deployment)} />
                {deployment.verdict && (
                  <span className="ms-2 text-slate-600 text-xs tabular-nums dark:text-slate-300">
                    {t("deployments.detail.confidence", {
                      value: format.percent(deployment.verdict.confidence, 0),
                    })}
                  </span>
                )}
              </td>
              <td className={cell}>{t(`common.pipeline.${deployment.pipelineResult ?? "unknown"}`)}</td>
              <td className={`${cell} max-w-56`}>
                <span className="block truncate">{deployment.branch ?? "—"}</span>
                {deployment.commitSha && (
                  <code className="text-slate-600 text-xs dark:text-slate-300">
                    {shortSha(deployment.commitSha)}
                  </code>
                )}
              </td>
              <td className={`${cell} whitespace-nowrap`}>
                <time dateTime={deployment.startedAt} title={format.dateTime(deployment.startedAt)}>
                  {format.relative(deployment.startedAt)}
                </time>
              </td>
              <td className={`${cell} whitespace-nowrap text-right tabular-nums`}>
                {format.duration(deployment.durationMs)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
