// The deployments list's filters live in the address bar (`/deployments/?verdict=warning&q=main`),
// so a filtered list can be shared or reloaded. Whatever the address says is checked here: an
// unknown value is dropped, never sent to the API (which would answer 400).
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

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : undefined;
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

/** Query parameters in a fixed order, empty ones left out. */
function toParams(filters: DeploymentFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of filterKeys) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params;
}

/** `?verdict=ok&q=main`, or "" when nothing is filtered: for the page's address. */
export function deploymentFiltersToSearch(filters: DeploymentFilters): string {
  const query = toParams(filters).toString();
  return query ? `?${query}` : "";
}

export function deploymentsApiPath(filters: DeploymentFilters, cursor?: string | null, limit = 20): string {
  const params = toParams(filters);
  params.set("limit", String(limit));
  if (cursor) params.set("cursor", cursor);
  return `/api/deployments?${params.toString()}`;
}

export function hasFilters(filters: DeploymentFilters): boolean {
  return filterKeys.some((key) => filters[key]);
}
