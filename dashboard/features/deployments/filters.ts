// The deployments list's filters, kept in the address bar (components/paged-list/url-filters.ts).
// Whatever the address says is checked here: an unknown value is dropped.
import { filterSearch, hasFilterValues, oneOf, pagedApiPath } from "../../components/paged-list/url-filters";
import { type DeploymentState, deploymentStates, type VerdictLevel, verdictLevels } from "./api-types";

export interface DeploymentFilters {
  project?: string;
  env?: string;
  verdict?: VerdictLevel;
  state?: DeploymentState;
  /** Branch or commit, as typed. */
  q?: string;
}

export const filterKeys = ["project", "env", "verdict", "state", "q"] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENV = /^[a-z0-9][a-z0-9_-]{0,49}$/;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

export function parseDeploymentFilters(search: string | URLSearchParams): DeploymentFilters {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const filters: DeploymentFilters = {};
  const project = params.get("project");
  if (isUuid(project)) filters.project = project.toLowerCase();
  const env = params.get("env");
  if (env && ENV.test(env)) filters.env = env;
  const verdict = oneOf(verdictLevels, params.get("verdict"));
  if (verdict) filters.verdict = verdict;
  const state = oneOf(deploymentStates, params.get("state"));
  if (state) filters.state = state;
  const q = params.get("q")?.trim().slice(0, 100);
  if (q) filters.q = q;
  return filters;
}

/** `?verdict=ok&q=main`, or "" when nothing is filtered: for the page's address. */
export function deploymentFiltersToSearch(filters: DeploymentFilters): string {
  return filterSearch(filterKeys, filters);
}

export function deploymentsApiPath(filters: DeploymentFilters, cursor?: string | null, limit = 20): string {
  return pagedApiPath("/api/deployments", filterKeys, filters, cursor, limit);
}

export function hasFilters(filters: DeploymentFilters): boolean {
  return hasFilterValues(filterKeys, filters);
}
