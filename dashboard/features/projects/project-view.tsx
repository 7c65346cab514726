// One project: tabs for its recent deployments, how to call SeqPulse from CI, and its settings.
// The tab is in the address (`?id=…&tab=integration`) so it can be linked to.
import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { buttonClass } from "../../components/ui/button";
import { IslandI18n, type IslandProps } from "../../i18n/island-provider";
import { type Locale, localizedPath } from "../../i18n/locales";
import type { Project } from "../deployments/api-types";
import { Tag } from "../deployments/badges";
import { isUuid } from "../deployments/filters";
import { createFormatters } from "../deployments/format";
import { projectHref } from "../deployments/links";
import { EmptyState, ErrorState, Skeleton } from "../deployments/page-states";
import { useApiData } from "../session/use-api-data";
import { EndpointStateBadge } from "./endpoint-state";
import { IntegrationTab } from "./integration-tab";
import { ProjectOverviewTab } from "./project-overview-tab";
import { ProjectSettingsTab } from "./project-settings-tab";

export default function ProjectViewIsland({ locale, messages }: IslandProps) {
  return (
    <IslandI18n locale={locale} messages={messages}>
      <ProjectView locale={locale} />
    </IslandI18n>
  );
}

export const projectTabs = ["overview", "integration", "settings"] as const;
export type ProjectTab = (typeof projectTabs)[number];

function readAddress(): { id: string; tab: ProjectTab } {
  const params = new URLSearchParams(window.location.search);
  const id = params.get("id") ?? "";
  const tab = params.get("tab");
  return {
    id: isUuid(id) ? id : "",
    tab: (projectTabs as readonly string[]).includes(tab ?? "") ? (tab as ProjectTab) : "overview",
  };
}

function ProjectView({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const format = useMemo(() => createFormatters(locale), [locale]);
  const [address, setAddress] = useState<{ id: string; tab: ProjectTab } | null>(null);
  const project = useApiData<{ project: Project }>(
    locale,
    address?.id ? `/api/projects/${address.id}` : null,
  );
  const tabRefs = useRef<Record<ProjectTab, HTMLButtonElement | null>>({
    overview: null,
    integration: null,
    settings: null,
  });

  useEffect(() => setAddress(readAddress()), []);

  const heading = (name?: string) => (
    <h1 className="font-bold text-2xl text-slate-900 tracking-tight sm:text-3xl dark:text-white">
      {name ?? t("projects.view.title")}
    </h1>
  );

  if (address?.id === "" || (project.state.kind === "error" && project.state.failure.status === 404)) {
    return (
      <>
        {heading()}
        <div className="mt-6">
          <EmptyState
            title={t("projects.view.notFound")}
            body={t("projects.view.notFoundBody")}
            action={
              <a href={localizedPath(locale, "/projects/")} className={buttonClass.primary}>
                {t("projects.view.backToList")}
              </a>
            }
          />
        </div>
      </>
    );
  }
  if (project.state.kind === "error") {
    return (
      <>
        {heading()}
        <div className="mt-6">
          <ErrorState failure={project.state.failure} onRetry={() => void project.reload()} />
        </div>
      </>
    );
  }
  if (project.state.kind === "loading" || !address) {
    return (
      <>
        {heading()}
        <div className="mt-2 h-6" />
        <div className="mt-6">
          <Skeleton label={t("projects.view.loading")} blocks={["h-11", "h-48", "h-64"]} />
        </div>
      </>
    );
  }

  const current = project.state.data.project;
  const selectTab = (tab: ProjectTab, focus = false) => {
    setAddress({ ...address, tab });
    window.history.replaceState(null, "", projectHref(locale, current.id, tab));
    if (focus) tabRefs.current[tab]?.focus();
  };
  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    const index = projectTabs.indexOf(address.tab);
    const next =
      event.key === "ArrowRight"
        ? projectTabs[(index + 1) % projectTabs.length]
        : event.key === "ArrowLeft"
          ? projectTabs[(index + projectTabs.length - 1) % projectTabs.length]
          : event.key === "Home"
            ? projectTabs[0]
            : event.key === "End"
              ? projectTabs[projectTabs.length - 1]
              : undefined;
    if (next) {
      event.preventDefault();
      selectTab(next, true);
    }
  };
  const update = (next: Project) => project.setState({ kind: "ready", data: { project: next } });

  return (
    <>
      {heading(current.name)}
      <p className="mt-2 flex flex-wrap items-center gap-2 text-slate-700 text-sm dark:text-slate-300">
        <EndpointStateBadge state={current.endpoint.state} />
        {current.envs.map((env) => (
          <Tag key={env}>{env}</Tag>
        ))}
        {current.description && <span>{current.description}</span>}
      </p>

      <div
        role="tablist"
        aria-label={t("projects.view.tabsLabel")}
        className="mt-6 flex gap-1 overflow-x-auto border-slate-200 border-b dark:border-slate-800"
      >
        {projectTabs.map((tab) => (
          <button
            key={tab}
            ref={(element) => {
              tabRefs.current[tab] = element;
            }}
            type="button"
            role="tab"
            id={`tab-${tab}`}
            aria-controls={`panel-${tab}`}
            aria-selected={address.tab === tab}
            tabIndex={address.tab === tab ? 0 : -1}
            onClick={() => selectTab(tab)}
            onKeyDown={onTabKey}
            className="-mb-px shrink-0 border-transparent border-b-2 px-4 py-2.5 font-medium text-slate-600 text-sm hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-sky-600 focus-visible:-outline-offset-2 aria-selected:border-sky-700 aria-selected:text-sky-800 dark:text-slate-300 dark:hover:text-white dark:aria-selected:border-sky-400 dark:aria-selected:text-sky-300"
          >
            {t(`projects.view.tabs.${tab}`)}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`panel-${address.tab}`}
        aria-labelledby={`tab-${address.tab}`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the ARIA tabs pattern focuses the panel
        tabIndex={0}
        className="mt-6 rounded-sm focus-visible:outline-2 focus-visible:outline-sky-600 focus-visible:outline-offset-4"
      >
        {address.tab === "overview" && (
          <ProjectOverviewTab locale={locale} project={current} format={format} />
        )}
        {address.tab === "integration" && (
          <IntegrationTab locale={locale} project={current} onOpenSettings={() => selectTab("settings")} />
        )}
        {address.tab === "settings" && (
          <ProjectSettingsTab locale={locale} project={current} format={format} onChange={update} />
        )}
      </div>
    </>
  );
}
