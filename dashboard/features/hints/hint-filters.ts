// The hints page's filters, kept in the address bar like the deployments list's.
import { filterSearch, hasFilterValues, oneOf, pagedApiPath } from "../../components/paged-list/url-filters";
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
  const severity = oneOf(hintSeverities, params.get("severity"));
  if (severity) filters.severity = severity;
  const project = params.get("project");
  if (isUuid(project)) filters.project = project.toLowerCase();
  const metric = oneOf(hintMetrics, params.get("metric"));
  if (metric) filters.metric = metric;
  return filters;
}

export function hintFiltersToSearch(filters: HintFilters): string {
  return filterSearch(keys, filters);
}

export function hintsApiPath(filters: HintFilters, cursor?: string | null, limit = 20): string {
  return pagedApiPath("/api/sdh", keys, filters, cursor, limit);
}

export function hasHintFilters(filters: HintFilters): boolean {
  return hasFilterValues(keys, filters);
}
