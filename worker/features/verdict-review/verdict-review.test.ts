import { describe, expect, it } from "vitest";
import type { MetricSample } from "../analysis/types";
import {
  type BacktestItem,
  isJudgeable,
  replayTimeOf,
  summarizeBacktest,
  verdictStatsOf,
} from "./verdict-review";

const at = (iso: string): MetricSample => ({
  collectedAt: new Date(iso),
  requestsPerSec: 1,
  latencyP95: 1,
  errorRate: 0,
  cpuUsage: 0,
  memoryUsage: 0,
});

describe("replayTimeOf", () => {
  const now = new Date("2026-12-05T10:00:00Z");
  const analyzedAt = new Date("2026-06-01T12:10:00Z");

  it("is the stored analysis time for an analyzed deployment, now otherwise", () => {
    const input = { pre: [at("2026-06-01T11:59:00Z")], post: [at("2026-06-01T12:05:00Z")] };
    expect(replayTimeOf(analyzedAt, input, now)).toEqual(analyzedAt);
    expect(replayTimeOf(null, input, now)).toEqual(now);
  });

  it("is never before the latest sample (one kept after an early verdict)", () => {
    const input = { pre: [], post: [at("2026-06-01T12:05:00Z"), at("2026-06-01T12:14:00Z")] };
    expect(replayTimeOf(analyzedAt, input, now)).toEqual(new Date("2026-06-01T12:14:00Z"));
  });
});

describe("isJudgeable", () => {
  it("needs a verdict already or POST samples", () => {
    expect(isJudgeable("analyzed", 0)).toBe(true);
    expect(isJudgeable("finished", 1)).toBe(true);
    expect(isJudgeable("finished", 0)).toBe(false);
    for (const state of ["running", "cancelled", "expired"] as const)
      expect(isJudgeable(state, 3)).toBe(false);
  });
});

describe("summarizeBacktest", () => {
  const item = (
    stored: BacktestItem["stored"]["verdict"],
    replayed: BacktestItem["stored"]["verdict"],
  ): BacktestItem => ({
    id: crypto.randomUUID(),
    number: 1,
    stored: { verdict: stored, confidence: 0.8, judge: "classic" },
    replayed: { verdict: replayed, confidence: 0.7 },
    changed: stored !== replayed,
  });

  it("counts changed verdicts by transition, unchanged ones only in the total", () => {
    expect(
      summarizeBacktest([
        item("warning", "ok"),
        item("warning", "ok"),
        item("rollback_recommended", "ok"),
        item("ok", "ok"),
        item("ok", "warning"),
      ]),
    ).toEqual({
      total: 5,
      changed: 4,
      byTransition: { "warning->ok": 2, "rollback_recommended->ok": 1, "ok->warning": 1 },
    });
    expect(summarizeBacktest([])).toEqual({ total: 0, changed: 0, byTransition: {} });
  });
});

describe("verdictStatsOf", () => {
  it("adds up the verdict values and fills the missing ones with zeros", () => {
    expect(
      verdictStatsOf([
        { verdict: "ok", analyzed: 7, marked: 3, markedCorrect: 3 },
        { verdict: "rollback_recommended", analyzed: 2, marked: 2, markedCorrect: 1 },
      ]),
    ).toEqual({
      analyzed: 9,
      marked: 5,
      markedCorrect: 4,
      byVerdict: {
        ok: { analyzed: 7, marked: 3, markedCorrect: 3 },
        warning: { analyzed: 0, marked: 0, markedCorrect: 0 },
        rollback_recommended: { analyzed: 2, marked: 2, markedCorrect: 1 },
      },
    });
  });
});
