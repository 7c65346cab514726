import { describe, expect, it } from "vitest";
import type { DataQualityIssueKind, Verdict, VerdictLevel } from "../types";
import { acceptable, acceptableLevel } from "./acceptable";
import type { CorpusCase } from "./corpus";
import type { CaseLabel } from "./families";
import { meetsGoal, scoreVerdicts } from "./scoring";

function verdict(level: VerdictLevel, issues: DataQualityIssueKind[] = []): Verdict {
  const text = { code: "analysis.verdict.summary.ok", params: {}, text: "" };
  return {
    verdict: level,
    confidence: 0.5,
    summary: text,
    details: [],
    dataQuality: {
      score: 1,
      issues: issues.map((kind) => ({ ...text, kind, penalty: 0.25, blocksOk: true })),
    },
    audit: [],
    hints: [],
  };
}

describe("acceptable verdicts", () => {
  it.each([
    ["healthy", "ok", true],
    ["healthy", "warning", false],
    ["healthy", "rollback_recommended", false],
    ["bad", "ok", false],
    ["bad", "warning", false],
    ["bad", "rollback_recommended", true],
    ["degraded", "ok", false],
    ["degraded", "warning", true],
    ["degraded", "rollback_recommended", true],
    ["dark", "ok", false],
    ["dark", "warning", true],
    ["dark", "rollback_recommended", false],
  ] as const)("%s -> %s is acceptable: %s", (label, level, expected) => {
    expect(acceptableLevel(label, level)).toBe(expected);
    const reason: DataQualityIssueKind[] = label === "dark" ? ["min_post_samples"] : [];
    expect(acceptable(label, verdict(level, reason)).acceptable).toBe(expected);
  });

  it("accepts a dark case's warning only when it gives missing data as its reason", () => {
    expect(acceptable("dark", verdict("warning", ["stale_post_metrics"]))).toEqual({
      acceptable: true,
      insufficientDataReason: true,
    });
    expect(acceptable("dark", verdict("warning", ["post_in_future"]))).toEqual({
      acceptable: false,
      insufficientDataReason: false,
    });
    const darkLine = verdict("warning");
    darkLine.details.push({
      code: "analysis.verdict.details.baseline.windowMostlyDark",
      params: {},
      text: "",
    });
    expect(acceptable("dark", darkLine).acceptable).toBe(true);
    expect(acceptable("healthy", verdict("ok")).insufficientDataReason).toBeNull();
  });
});

describe("scoring", () => {
  const item = (family: string, label: CaseLabel) => ({ family, label }) as CorpusCase;

  it("counts acceptable, false rollbacks, missed and bad not rolled back per family, and the confusion table", () => {
    const cases = [
      item("steady", "healthy"),
      item("steady", "healthy"),
      item("spike", "bad"),
      item("spike", "bad"),
      item("spike", "bad"),
      item("dark", "dark"),
    ];
    const verdicts = [
      verdict("ok"),
      verdict("rollback_recommended"),
      verdict("rollback_recommended"),
      verdict("warning"),
      verdict("ok"),
      verdict("warning", ["min_post_samples"]),
    ];
    const score = scoreVerdicts(cases, verdicts);
    expect(score.overall).toMatchObject({
      cases: 6,
      acceptable: 3,
      falseRollbacks: 1,
      missed: 1,
      badNotRolledBack: 2,
    });
    expect(score.overall.darkWithInsufficientDataReason).toBe(1);
    expect(score.families.map((family) => [family.family, family.acceptable, family.cases])).toEqual([
      ["steady", 1, 2],
      ["spike", 1, 3],
      ["dark", 1, 1],
    ]);
    expect(score.confusion.bad).toEqual({ ok: 1, warning: 1, rollback_recommended: 1 });
    expect(score.confusion.healthy).toEqual({ ok: 1, warning: 0, rollback_recommended: 1 });
    expect(meetsGoal(score.overall)).toBe(false);
  });

  it("meets the goal when every verdict is acceptable", () => {
    const cases = [item("a", "healthy"), item("b", "bad"), item("c", "degraded"), item("d", "dark")];
    const verdicts = [
      verdict("ok"),
      verdict("rollback_recommended"),
      verdict("warning"),
      verdict("warning", ["min_post_samples"]),
    ];
    expect(meetsGoal(scoreVerdicts(cases, verdicts).overall)).toBe(true);
  });

  it("refuses verdicts that do not match the cases one to one", () => {
    expect(() => scoreVerdicts([item("a", "healthy")], [])).toThrow(RangeError);
  });
});
