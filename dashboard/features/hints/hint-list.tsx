import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button, buttonClass } from "../../components/ui/button";
import { inputClass, labelClass } from "../../components/ui/text-field";
import { IslandI18n, type IslandProps } from "../../i18n/island-provider";
import { type Locale, localizedPath } from "../../i18n/locales";
import { type ApiFailure, apiRequest } from "../../lib/api-client";
import { type Hint, hintMetrics, hintSeverities, type Page, type Project } from "../deployments/api-types";
import { createFormatters } from "../deployments/format";
import { HintCard } from "../deployments/hint-card";
import { loadAnalysisMessages, type MessageTree } from "../deployments/localized-text";
import { EmptyState, ErrorState, failureKey, Skeleton } from "../deployments/page-states";
import { isSignedOut, redirectToSignIn, rememberSession } from "../session/session";
import { type HintFilters, hintFiltersToSearch, hintsApiPath, parseHintFilters } from "./hint-filters";

export default function HintListIsland({ locale, messages }: IslandProps) {
  return (
    <IslandI18n locale={locale} messages={messages}>
      <HintList locale={locale} />
    </IslandI18n>
  );
}

type ListState =
  | { kind: "loading" }
  | { kind: "ready"; items: Hint[]; nextCursor: string | null }
  | { kind: "error"; failure: ApiFailure };

const PAGE_SIZE = 20;

function HintList({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const format = useMemo(() => createFormatters(locale), [locale]);
  const [filters, setFilters] = useState<HintFilters | null>(null);
  const [projects, setProjects] = useState<Project[]>([]);
  const [analysisMessages, setAnalysisMessages] = useState<MessageTree | null>(null);
  const [list, setList] = useState<ListState>({ kind: "loading" });
  const [more, setMore] = useState<{ loading: boolean; failure: ApiFailure | null }>({
    loading: false,
    failure: null,
  });

  useEffect(() => {
    setFilters(parseHintFilters(window.location.search));
    void loadAnalysisMessages(locale).then(setAnalysisMessages);
    void apiRequest<Page<Project>>("GET", "/api/projects?limit=100").then((result) => {
      if (result.ok) setProjects(result.data.items);
    });
  }, [locale]);

  const load = useCallback(
    async (current: HintFilters, signal?: AbortSignal) => {
      setList({ kind: "loading" });
      const result = await apiRequest<Page<Hint>>("GET", hintsApiPath(current, null, PAGE_SIZE), { signal });
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

  const apply = (next: HintFilters) => {
    window.history.replaceState(null, "", `${localizedPath(locale, "/hints/")}${hintFiltersToSearch(next)}`);
    setFilters(next);
  };
  const change = (key: keyof HintFilters, value: string) =>
    apply(parseHintFilters(hintFiltersToSearch({ ...filters, [key]: value || undefined } as HintFilters)));

  const loadMore = async () => {
    if (list.kind !== "ready" || !list.nextCursor || !filters) return;
    setMore({ loading: true, failure: null });
    const result = await apiRequest<Page<Hint>>("GET", hintsApiPath(filters, list.nextCursor, PAGE_SIZE));
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

  const filtered = filters !== null && Object.values(filters).some(Boolean);
  const select = `mt-1.5 ${inputClass}`;

  return (
    <div>
      <search aria-label={t("hints.filters.label")}>
        <form className="grid gap-3 sm:grid-cols-3" onSubmit={(event) => event.preventDefault()}>
          <div>
            <label htmlFor="hint-severity" className={labelClass}>
              {t("hints.filters.severity")}
            </label>
            <select
              id="hint-severity"
              className={select}
              value={filters?.severity ?? ""}
              onChange={(event) => change("severity", event.target.value)}
            >
              <option value="">{t("hints.filters.all")}</option>
              {hintSeverities.map((severity) => (
                <option key={severity} value={severity}>
                  {t(`common.severity.${severity}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="hint-project" className={labelClass}>
              {t("hints.filters.project")}
            </label>
            <select
              id="hint-project"
              className={select}
              value={filters?.project ?? ""}
              onChange={(event) => change("project", event.target.value)}
            >
              <option value="">{t("hints.filters.all")}</option>
              {projects.map((project) => (
                <option key={project.id} value={project.id}>
                  {project.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="hint-metric" className={labelClass}>
              {t("hints.filters.metric")}
            </label>
            <select
              id="hint-metric"
              className={select}
              value={filters?.metric ?? ""}
              onChange={(event) => change("metric", event.target.value)}
            >
              <option value="">{t("hints.filters.all")}</option>
              {hintMetrics.map((metric) => (
                <option key={metric} value={metric}>
                  {t(`charts.metric.${metric}`)}
                </option>
              ))}
            </select>
          </div>
        </form>
      </search>

      <div className="mt-6 min-h-[36rem]">
        {(list.kind === "loading" || (list.kind === "ready" && analysisMessages === null)) && (
          <Skeleton label={t("hints.loading")} blocks={["h-48", "h-48", "h-48"]} />
        )}
        {list.kind === "error" && (
          <ErrorState failure={list.failure} onRetry={() => filters && void load(filters)} />
        )}
        {list.kind === "ready" && analysisMessages !== null && list.items.length === 0 && (
          <EmptyState
            title={filtered ? t("hints.emptyFiltered") : t("hints.empty")}
            body={filtered ? t("hints.emptyFilteredBody") : t("hints.emptyBody")}
            action={
              filtered ? (
                <button type="button" className={buttonClass.secondary} onClick={() => apply({})}>
                  {t("hints.filters.clear")}
                </button>
              ) : undefined
            }
          />
        )}
        {list.kind === "ready" && analysisMessages !== null && list.items.length > 0 && (
          <>
            <p role="status" className="mb-3 text-slate-600 text-sm dark:text-slate-300">
              {t("hints.showing", { count: list.items.length })}
            </p>
            <div className="grid gap-4">
              {list.items.map((hint) => (
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
