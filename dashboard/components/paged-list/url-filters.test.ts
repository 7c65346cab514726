import { describe, expect, it } from "vitest";
import { defineUrlFilters, filterSearch, hasFilterValues, oneOf, pagedApiPath } from "./url-filters";

const keys = ["severity", "project", "q"] as const;

describe("filterSearch", () => {
  it("writes the filters in the order of the keys, leaving empty ones out", () => {
    expect(filterSearch(keys, { q: "main branch", severity: "warning", project: "" })).toBe(
      "?severity=warning&q=main+branch",
    );
  });

  it("is empty when nothing is filtered", () => {
    expect(filterSearch(keys, {})).toBe("");
    expect(filterSearch(keys, { q: undefined })).toBe("");
  });
});

describe("pagedApiPath", () => {
  it("adds the page size, and the cursor only after the first page", () => {
    expect(pagedApiPath("/api/sdh", keys, { severity: "critical" }, null, 20)).toBe(
      "/api/sdh?severity=critical&limit=20",
    );
    expect(pagedApiPath("/api/sdh", keys, {}, "abc/+=", 20)).toBe("/api/sdh?limit=20&cursor=abc%2F%2B%3D");
  });
});

describe("hasFilterValues", () => {
  it("is true only when a key has a value", () => {
    expect(hasFilterValues(keys, {})).toBe(false);
    expect(hasFilterValues(keys, { q: "" })).toBe(false);
    expect(hasFilterValues(keys, { project: "p" })).toBe(true);
  });
});

describe("oneOf", () => {
  it("keeps a known value and drops anything else", () => {
    const levels = ["ok", "warning"] as const;
    expect(oneOf(levels)("warning")).toBe("warning");
    expect(oneOf(levels)("WARNING")).toBeUndefined();
  });
});

describe("defineUrlFilters", () => {
  const filters = defineUrlFilters("/api/things", {
    level: oneOf(["low", "high"] as const),
    q: (value) => value.trim() || undefined,
  });

  it("keeps what passes each check and drops the rest, and anything it does not name", () => {
    expect(filters.parse("?level=high&q=%20main%20&limit=5")).toEqual({ level: "high", q: "main" });
    expect(filters.parse("?level=medium&q=%20")).toEqual({});
  });

  it("writes addresses and API paths in the order the filters are named", () => {
    expect(filters.toSearch({ q: "x", level: "low" })).toBe("?level=low&q=x");
    expect(filters.apiPath({ q: "x" }, "c1", 5)).toBe("/api/things?q=x&limit=5&cursor=c1");
    expect(filters.has({})).toBe(false);
  });
});
