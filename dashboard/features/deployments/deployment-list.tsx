import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button, buttonClass } from "../../components/ui/button";
import { linkClass } from "../../components/ui/link";
import { inputClass, labelClass } from "../../components/ui/text-field";
import { IslandI18n, type IslandProps } from "../../i18n/island-provider";
import type { Locale } from "../../i18n/locales";
import { type ApiFailure, apiRequest } from "../../lib/api-client";
import { isSignedOut, redirectToSignIn, rememberSession } from "../session/session";
import { type Deployment, deploymentStates, type Page, type Project, verdictLevels } from "./api-types";
import { Tag, VerdictBadge, verdictDisplayOf } from "./badges";
import {
  type DeploymentFilters,
  deploymentFiltersToSearch,
  deploymentsApiPath,
  hasFilters,
  parseDeploymentFilters,
} from "./filters";
import { createFormatters } from "./format";
import { deploymentHref, deploymentsHref, shortSha } from "./links";
import { EmptyState, ErrorState, failureKey, Skeleton } from "./page-states";
import { isAwaitingVerdict, refreshRows, useDeploymentPolling } from "./use-deployment-polling";

export default function DeploymentListIsland({ locale, messages }: IslandProps) {
  return (
    <IslandI18n locale={locale} messages={messages}>
      <DeploymentList locale={locale} />
    </IslandI18n>
  );
}

type ListState =
  | { kind: "loading" }
  | { kind: "ready"; items: Deployment[]; nextCursor: string | null }
  | { kind: "error"; failure: ApiFailure };

const PAGE_SIZE = 25;

function DeploymentList({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const format = useMemo(() => createFormatters(locale), [locale]);
  const [filters, setFilters] = useState<DeploymentFilters | null>(null);
  const [search, setSearch] = useState("");
  const [projects, setProjects] = useState<Project[]>([]);
  const [list, setList] = useState<ListState>({ kind: "loading" });
  const listRef = useRef(list);
  listRef.current = list;
  const [more, setMore] = useState<{ loading: boolean; failure: ApiFailure | null }>({
    loading: false,
    failure: null,
  });

  // The address is only known in the browser: read it once, after hydration.
  useEffect(() => {
    const initial = parseDeploymentFilters(window.location.search);
    setFilters(initial);
    setSearch(initial.q ?? "");
    void apiRequest<Page<Project>>("GET", "/api/projects?limit=100").then((result) => {
      if (result.ok) setProjects(result.data.items);
    });
  }, []);

  const load = useCallback(
    async (current: DeploymentFilters, signal?: AbortSignal) => {
      setList({ kind: "loading" });
      const result = await apiRequest<Page<Deployment>>("GET", deploymentsApiPath(current, null, PAGE_SIZE), {
        signal,
      });
      if (signal?.aborted) return;
      if (result.ok) {
        rememberSession(true);
        setList({ kind: "ready", items: result.data.items, nextCursor: result.data.nextCursor });
      } else if (isSignedOut(result.error)) redirectToSignIn(locale);
      else setList({ kind: "error", failure: result.error });
    },
    [locale],
  );

  useEffect(() => {
    if (!filters) return;
    const controller = new AbortController();
    void load(filters, controller.signal);
    return () => controller.abort();
  }, [filters, load]);

  // Rows awaiting their verdict change by themselves: the first page is asked again meanwhile.
  useDeploymentPolling(list.kind === "ready" && list.items.some(isAwaitingVerdict), async () => {
    if (!filters) return false;
    const result = await apiRequest<Page<Deployment>>("GET", deploymentsApiPath(filters, null, PAGE_SIZE));
    if (!result.ok) return false;
    const shown = listRef.current;
    if (shown.kind !== "ready") return false;
    const refreshed = refreshRows(shown.items, result.data.items);
    if (refreshed.changed) setList({ ...shown, items: refreshed.rows });
    return refreshed.changed;
  });

  const apply = (next: DeploymentFilters) => {
    window.history.replaceState(null, "", deploymentsHref(locale, deploymentFiltersToSearch(next)));
    setFilters(next);
  };
  const change = (key: keyof DeploymentFilters, value: string) => {
    apply(parseDeploymentFilters(deploymentFiltersToSearch({ ...filters, [key]: value || undefined })));
  };

  const loadMore = async () => {
    if (list.kind !== "ready" || !list.nextCursor || !filters) return;
    setMore({ loading: true, failure: null });
    const result = await apiRequest<Page<Deployment>>(
      "GET",
      deploymentsApiPath(filters, list.nextCursor, PAGE_SIZE),
    );
    if (result.ok) {
      setList({
        kind: "ready",
        items: [...list.items, ...result.data.items],
        nextCursor: result.data.nextCursor,
      });
      setMore({ loading: false, failure: null });
    } else if (isSignedOut(result.error)) redirectToSignIn(locale);
    else setMore({ loading: false, failure: result.error });
  };

  const envs = [...new Set(projects.flatMap((project) => project.envs))].sort();
  if (filters?.env && !envs.includes(filters.env)) envs.push(filters.env);
  const selectClass = `mt-1.5 ${inputClass}`;

  return (
    <div>
      <search aria-label={t("deployments.filters.label")}>
        <form
          className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6"
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            change("q", search);
          }}
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
          <div>
            <label htmlFor="filter-project" className={labelClass}>
              {t("deployments.filters.project")}
            </label>
            <select
              id="filter-project"
              className={selectClass}
              value={filters?.project ?? ""}
              onChange={(event) => change("project", event.target.value)}
            >
              <option value="">{t("deployments.filters.all")}</option>
              {projects.map((project) => (
                <option key={project.id} value={project.id}>
                  {project.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="filter-env" className={labelClass}>
              {t("deployments.filters.env")}
            </label>
            <select
              id="filter-env"
              className={selectClass}
              value={filters?.env ?? ""}
              onChange={(event) => change("env", event.target.value)}
            >
              <option value="">{t("deployments.filters.all")}</option>
              {envs.map((env) => (
                <option key={env} value={env}>
                  {env}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="filter-verdict" className={labelClass}>
              {t("deployments.filters.verdict")}
            </label>
            <select
              id="filter-verdict"
              className={selectClass}
              value={filters?.verdict ?? ""}
              onChange={(event) => change("verdict", event.target.value)}
            >
              <option value="">{t("deployments.filters.all")}</option>
              {verdictLevels.map((level) => (
                <option key={level} value={level}>
                  {t(`common.verdict.${level}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="filter-state" className={labelClass}>
              {t("deployments.filters.state")}
            </label>
            <select
              id="filter-state"
              className={selectClass}
              value={filters?.state ?? ""}
              onChange={(event) => change("state", event.target.value)}
            >
              <option value="">{t("deployments.filters.all")}</option>
              {deploymentStates.map((state) => (
                <option key={state} value={state}>
                  {t(`common.state.${state}`)}
                </option>
              ))}
            </select>
          </div>
        </form>
      </search>

      <div className="mt-6 min-h-[36rem]">
        {list.kind === "loading" && (
          <Skeleton label={t("deployments.loading")} blocks={["h-10", ...Array(8).fill("h-12")]} />
        )}
        {list.kind === "error" && (
          <ErrorState failure={list.failure} onRetry={() => filters && void load(filters)} />
        )}
        {list.kind === "ready" && list.items.length === 0 && (
          <EmptyState
            title={filters && hasFilters(filters) ? t("deployments.emptyFiltered") : t("deployments.empty")}
            body={
              filters && hasFilters(filters) ? t("deployments.emptyFilteredBody") : t("deployments.emptyBody")
            }
            action={
              filters && hasFilters(filters) ? (
                <button
                  type="button"
                  className={buttonClass.secondary}
                  onClick={() => {
                    setSearch("");
                    apply({});
                  }}
                >
                  {t("deployments.filters.clear")}
                </button>
              ) : undefined
            }
          />
        )}
        {list.kind === "ready" && list.items.length > 0 && (
          <>
            <p role="status" className="mb-2 text-slate-600 text-sm dark:text-slate-300">
              {t("deployments.showing", { count: list.items.length })}
            </p>
            <DeploymentTable locale={locale} items={list.items} format={format} />
            {list.nextCursor && (
              <div className="mt-4 flex items-center gap-3">
                <Button
                  variant="secondary"
                  busy={more.loading}
                  busyLabel={t("common.loadingMore")}
                  onClick={() => void loadMore()}
                >
                  {t("common.loadMore")}
                </Button>
                {more.failure && (
                  <span role="alert" className="text-red-700 text-sm dark:text-red-300">
                    {t(failureKey(more.failure))}
                  </span>
                )}
              </div>
            )}
          </>
        )}
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
