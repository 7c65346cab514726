import { describe, expect, it } from "vitest";
import { transitionsOf, verdictSettingsBody, verdictSettingsValuesOf } from "./verdict-settings";

const allJudged = {
  latency_p95: true,
  error_rate: true,
  cpu_usage: true,
  memory_usage: true,
  requests_per_sec: true,
};

describe("the Verdicts settings", () => {
  it("start from the project's values", () => {
    expect(
      verdictSettingsValuesOf({
        judge: "classic",
        judgeSettings: { sensitivity: "high", ignoredMetrics: ["cpu_usage"] },
        baselineIntervalMinutes: 30,
      }),
    ).toEqual({
      judge: "classic",
      sensitivity: "high",
      judged: { ...allJudged, cpu_usage: false },
      baselineIntervalMinutes: 30,
    });
  });

  it("fall back to the defaults for a value the page does not know", () => {
    expect(
      verdictSettingsValuesOf({ judge: "retired", judgeSettings: {}, baselineIntervalMinutes: 15 }),
    ).toEqual({ judge: "robust", sensitivity: "medium", judged: allJudged, baselineIntervalMinutes: 10 });
  });

  it("send the defaults as empty settings, and only what differs otherwise", () => {
    expect(
      verdictSettingsBody({
        judge: "robust",
        sensitivity: "medium",
        judged: allJudged,
        baselineIntervalMinutes: 0,
      }),
    ).toEqual({ ok: true, body: { judge: "robust", judgeSettings: {}, baselineIntervalMinutes: 0 } });
    expect(
      verdictSettingsBody({
        judge: "classic",
        sensitivity: "low",
        judged: { ...allJudged, memory_usage: false, cpu_usage: false },
        baselineIntervalMinutes: 5,
      }),
    ).toEqual({
      ok: true,
      body: {
        judge: "classic",
        judgeSettings: { sensitivity: "low", ignoredMetrics: ["cpu_usage", "memory_usage"] },
        baselineIntervalMinutes: 5,
      },
    });
  });

  it("refuse to switch every metric off", () => {
    const nothing = Object.fromEntries(
      Object.keys(allJudged).map((metric) => [metric, false]),
    ) as typeof allJudged;
    expect(
      verdictSettingsBody({
        judge: "robust",
        sensitivity: "medium",
        judged: nothing,
        baselineIntervalMinutes: 10,
      }),
    ).toEqual({ ok: false, error: "nothingJudged" });
  });
});

describe("a settings preview", () => {
  it("lists the verdicts that would change, most frequent first", () => {
    expect(
      transitionsOf({
        total: 20,
        changed: 5,
        byTransition: {
          "ok->warning": 1,
          "warning->ok": 3,
          "rollback_recommended->warning": 1,
          "bad->ok": 2,
        },
      }),
    ).toEqual([
      { from: "warning", to: "ok", count: 3 },
      { from: "ok", to: "warning", count: 1 },
      { from: "rollback_recommended", to: "warning", count: 1 },
    ]);
    expect(transitionsOf({ total: 0, changed: 0, byTransition: {} })).toEqual([]);
  });
});
