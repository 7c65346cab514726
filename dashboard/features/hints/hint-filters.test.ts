import { describe, expect, it } from "vitest";
import { hintFiltersToSearch, hintsApiPath, parseHintFilters } from "./hint-filters";

const projectId = "0b7a4b5e-6f1d-4c8e-9a3b-2d1e0f9c8b7a";

describe("hint filters", () => {
  it("reads severity, project and metric, and drops anything else", () => {
    expect(parseHintFilters(`?severity=critical&project=${projectId}&metric=composite`)).toEqual({
      severity: "critical",
      project: projectId,
      metric: "composite",
    });
    expect(parseHintFilters("?severity=fatal&project=x&metric=latency")).toEqual({});
  });

  it("writes the address and the API path in a fixed order", () => {
    expect(hintFiltersToSearch({ metric: "error_rate", severity: "warning" })).toBe(
      "?severity=warning&metric=error_rate",
    );
    expect(hintFiltersToSearch({})).toBe("");
    expect(hintsApiPath({ project: projectId }, "next", 10)).toBe(
      `/api/sdh?project=${projectId}&limit=10&cursor=next`,
    );
  });
});
