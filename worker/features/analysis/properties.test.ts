// Properties of the judges over many seeded random inputs (fixtures.randomJudgeInput).
import { describe, expect, it } from "vitest";
import { randomJudgeInput, seededRandom } from "./fixtures";
import { hintContradictions } from "./hints";
import { judges } from "./judge";

const RUNS = 3000;
const random = seededRandom(20260504);
const inputs = Array.from({ length: RUNS }, () => randomJudgeInput(random));

describe.each(Object.values(judges))("judge $name over random inputs", (judge) => {
  const results = inputs.map((input) => judge.judge(input));

  it("keeps every confidence within [0.2, 0.95], with two decimals", () => {
    const confidences = results.flatMap((result) => [
      result.confidence,
      ...result.hints.map((hint) => hint.confidence),
    ]);
    const outOfRange = confidences.filter(
      (confidence) =>
        confidence < 0.2 || confidence > 0.95 || Math.round(confidence * 100) / 100 !== confidence,
    );
    expect(outOfRange).toEqual([]);
    expect(results.every((result) => result.dataQuality.score >= 0 && result.dataQuality.score <= 1)).toBe(
      true,
    );
  });

  it("never returns a hint that contradicts its verdict", () => {
    const contradictions = results.flatMap((result, index) =>
      hintContradictions(result.verdict, result.hints).map((problem) => `input ${index}: ${problem}`),
    );
    expect(contradictions).toEqual([]);
  });

  it("is deterministic and does not depend on object identity", () => {
    const differing = inputs.filter(
      (input, index) =>
        JSON.stringify(judge.judge(structuredClone(input))) !== JSON.stringify(results[index]),
    );
    expect(differing).toHaveLength(0);
  });

  it("says ok only with no failed metric and data quality that allows it", () => {
    // Classic needs a score of 0.9; robust lets gaps alone (a 0.25 penalty at most) lower the
    // confidence instead, having checked the window's coverage itself.
    const minimumScore = judge.name === "classic" ? 0.9 : 0.75;
    const wrongOks = results.filter(
      (result) =>
        result.verdict === "ok" &&
        (result.audit.some((entry) => entry.failed) ||
          result.dataQuality.score < minimumScore ||
          result.dataQuality.issues.some((issue) => issue.blocksOk)),
    );
    expect(wrongOks).toEqual([]);
  });

  it("recommends a rollback exactly when a critical metric failed", () => {
    const mismatches = results.filter(
      (result) =>
        (result.verdict === "rollback_recommended") !==
        result.audit.some((entry) => entry.failed && entry.critical),
    );
    expect(mismatches).toEqual([]);
  });

  it("covers every verdict and both data paths in the sample", () => {
    const verdicts = new Set(results.map((result) => result.verdict));
    expect([...verdicts].sort()).toEqual(["ok", "rollback_recommended", "warning"]);
    expect(results.some((result) => result.audit.length === 0)).toBe(true);
    expect(results.some((result) => result.hints.length > 0)).toBe(true);
  });
});
