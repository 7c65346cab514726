// The hints page's filters, kept in the address bar like the deployments list's.
import { type HintMetric, type HintSeverity, hintMetrics, hintSeverities } from "../deployments/api-types";
import { isUuid } from "../deployments/filters";

export interface HintFilters {
  severity?: HintSeverity;
  project?: string;
  metric?: HintMetric;
}

const keys = ["severity", "project", "metric"] as const;

export function parseHintFilters(search: string | URLSearchParams): HintFilters {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const filters: HintFilters = {};
  const severity = params.get("severity");
  if (severity && (hintSeverities as readonly string[]).includes(severity))
    filters.severity = severity as HintSeverity;
  const project = params.get("project");
  if (isUuid(project)) filters.project = project.toLowerCase();
  const metric = params.get("metric");
  if (metric && (hintMetrics as readonly string[]).includes(metric)) filters.metric = metric as HintMetric;
  return filters;
}

function toParams(filters: HintFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of keys) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params;
}

export function hintFiltersToSearch(filters: HintFilters): string {
  const query = toParams(filters).toString();
  return query ? `?${query}` : "";
}

export function hintsApiPath(filters: HintFilters, cursor?: string | null, limit = 20): string {
  const params = toParams(filters);
  params.set("limit", String(limit));
  if (cursor) params.set("cursor", cursor);
  return `/api/sdh?${params.toString()}`;
}
