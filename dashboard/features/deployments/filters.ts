// The deployments list's filters, kept in the address bar (components/paged-list/url-filters.ts).
import { defineUrlFilters, oneOf } from "../../components/paged-list/url-filters";
import { deploymentStates, verdictLevels } from "./api-types";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENV = /^[a-z0-9][a-z0-9_-]{0,49}$/;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** A project id, as the API stores it. */
export const checkProjectId = (value: string) => (isUuid(value) ? value.toLowerCase() : undefined);

const deploymentFilters = defineUrlFilters("/api/deployments", {
  project: checkProjectId,
  env: (value) => (ENV.test(value) ? value : undefined),
  verdict: oneOf(verdictLevels),
  state: oneOf(deploymentStates),
  /** Branch or commit, as typed. */
  q: (value) => value.trim().slice(0, 100) || undefined,
});

export type DeploymentFilters = ReturnType<typeof deploymentFilters.parse>;

export const parseDeploymentFilters = deploymentFilters.parse;
/** `?verdict=ok&q=main`, or "" when nothing is filtered: for the page's address. */
export const deploymentFiltersToSearch = deploymentFilters.toSearch;
export const deploymentsApiPath = deploymentFilters.apiPath;
export const hasFilters = deploymentFilters.has;
