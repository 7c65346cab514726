import { describe, expect, it } from "vitest";
import { deploymentFiltersToSearch, deploymentsApiPath, hasFilters, parseDeploymentFilters } from "./filters";

const projectId = "0b7a4b5e-6f1d-4c8e-9a3b-2d1e0f9c8b7a";

describe("deployment filters", () => {
  it("reads every known filter from the address", () => {
    expect(
      parseDeploymentFilters(`?project=${projectId}&env=prod&verdict=warning&state=analyzed&q=%20main%20`),
    ).toEqual({ project: projectId, env: "prod", verdict: "warning", state: "analyzed", q: "main" });
  });

  it("drops values the API would refuse", () => {
    expect(
      parseDeploymentFilters("?project=42&env=Prod!&verdict=rollback&state=pending&q=%20%20&limit=5"),
    ).toEqual({});
    expect(parseDeploymentFilters(`?q=${"x".repeat(150)}`).q).toHaveLength(100);
  });

  it("writes the page's query in a fixed order, without empty filters", () => {
    expect(deploymentFiltersToSearch({ q: "fix/login", verdict: "ok", env: "" })).toBe(
      "?verdict=ok&q=fix%2Flogin",
    );
    expect(deploymentFiltersToSearch({})).toBe("");
  });

  it("round-trips through the address", () => {
    const filters = { project: projectId, verdict: "rollback_recommended" as const, q: "a1b2c3" };
    expect(parseDeploymentFilters(deploymentFiltersToSearch(filters))).toEqual(filters);
  });

  it("asks the API for a page, with the cursor of the next one", () => {
    expect(deploymentsApiPath({ env: "staging" })).toBe("/api/deployments?env=staging&limit=20");
    expect(deploymentsApiPath({ state: "running" }, "abc_-", 50)).toBe(
      "/api/deployments?state=running&limit=50&cursor=abc_-",
    );
  });

  it("knows when anything is filtered", () => {
    expect(hasFilters({})).toBe(false);
    expect(hasFilters({ q: "main" })).toBe(true);
  });
});
