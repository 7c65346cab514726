import { describe, expect, it } from "vitest";
import { describeUserAgent, formatDateTime, recoveryCodesFile, sortSessions, svgDataUri } from "./format";

describe("describeUserAgent", () => {
  it.each([
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36",
      { browser: "Chrome", os: "Linux" },
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36 Edg/140.0",
      { browser: "Edge", os: "Windows" },
    ],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
      { browser: "Safari", os: "iOS" },
    ],
    [
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:130.0) Gecko/20100101 Firefox/130.0",
      { browser: "Firefox", os: "macOS" },
    ],
    ["curl/8.5.0", { browser: "curl", os: "?" }],
  ])("reads %s", (userAgent, expected) => {
    expect(describeUserAgent(userAgent)).toEqual(expected);
  });

  it("gives up on unknown or missing agents", () => {
    expect(describeUserAgent(null)).toBeNull();
    expect(describeUserAgent("")).toBeNull();
    expect(describeUserAgent("SomethingElse/1.0")).toBeNull();
  });
});

describe("formatDateTime", () => {
  it("formats in the page's language, and tolerates missing dates", () => {
    const iso = "2030-03-04T05:06:00Z";
    expect(formatDateTime(iso, "de")).not.toBe(formatDateTime(iso, "en"));
    expect(formatDateTime(iso, "en")).toMatch(/2030/);
    // The zone is named: "... UTC", "... GMT+2", "... EST".
    expect(formatDateTime(iso, "en")).toMatch(/(UTC|GMT|[A-Z]{3,4})[+−-]?\d*$/);
    expect(formatDateTime(null, "en")).toBe("");
    expect(formatDateTime("not a date", "en")).toBe("");
  });
});

describe("sortSessions", () => {
  it("puts this device first, then the most recently active", () => {
    const sessions = [
      { id: "a", current: false, lastSeenAt: "2030-01-01T00:00:00Z" },
      { id: "b", current: true, lastSeenAt: "2029-01-01T00:00:00Z" },
      { id: "c", current: false, lastSeenAt: "2030-06-01T00:00:00Z" },
    ];
    expect(sortSessions(sessions).map((session) => session.id)).toEqual(["b", "c", "a"]);
  });
});

describe("svgDataUri", () => {
  it("encodes the markup so that it stays one image source", () => {
    const uri = svgDataUri('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1"/></svg>');
    expect(uri.startsWith("data:image/svg+xml;charset=utf-8,")).toBe(true);
    expect(uri).not.toMatch(/[<>"\s]/);
    expect(decodeURIComponent(uri.slice(uri.indexOf(",") + 1))).toContain("<path");
  });
});

describe("recoveryCodesFile", () => {
  it("has a header and one code per line", () => {
    expect(recoveryCodesFile("Codes", ["aaaa-bbbb", "cccc-dddd"])).toBe("Codes\n\naaaa-bbbb\ncccc-dddd\n");
  });
});
