// The hints page's filters, kept in the address bar like the deployments list's.
import { defineUrlFilters, oneOf } from "../../components/paged-list/url-filters";
import { hintMetrics, hintSeverities } from "../deployments/api-types";
import { checkProjectId } from "../deployments/filters";

const hintFilters = defineUrlFilters("/api/sdh", {
  severity: oneOf(hintSeverities),
  project: checkProjectId,
  metric: oneOf(hintMetrics),
});

export type HintFilters = ReturnType<typeof hintFilters.parse>;

export const parseHintFilters = hintFilters.parse;
export const hintFiltersToSearch = hintFilters.toSearch;
export const hintsApiPath = hintFilters.apiPath;
export const hasHintFilters = hintFilters.has;
