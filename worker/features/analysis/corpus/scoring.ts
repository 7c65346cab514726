// Scores a judge's verdicts on corpus cases: acceptable share per family and overall, the three
// error rates of issue 10's goal, and a confusion table (label x verdict).
import type { Verdict, VerdictLevel } from "../types";
import { acceptable } from "./acceptable";
import type { CorpusCase } from "./corpus";
import type { CaseLabel } from "./families";

export const LABELS: readonly CaseLabel[] = ["healthy", "bad", "degraded", "dark"];
export const LEVELS: readonly VerdictLevel[] = ["ok", "warning", "rollback_recommended"];

/** Issue 10's goal, as shares. */
export const GOAL = { acceptable: 0.95, falseRollback: 0.01, missed: 0.01, badNotRolledBack: 0.03 } as const;

export interface Tally {
  cases: number;
  acceptable: number;
  healthy: number;
  /** Healthy -> rollback_recommended. */
  falseRollbacks: number;
  bad: number;
  /** Bad -> ok. */
  missed: number;
  /** Bad -> anything but rollback_recommended. */
  badNotRolledBack: number;
  dark: number;
  /** Dark cases whose verdict names missing data. */
  darkWithInsufficientDataReason: number;
}

export interface FamilyScore extends Tally {
  family: string;
  label: CaseLabel;
}

export interface Score {
  overall: Tally;
  families: FamilyScore[];
  confusion: Record<CaseLabel, Record<VerdictLevel, number>>;
}

function emptyTally(): Tally {
  return {
    cases: 0,
    acceptable: 0,
    healthy: 0,
    falseRollbacks: 0,
    bad: 0,
    missed: 0,
    badNotRolledBack: 0,
    dark: 0,
    darkWithInsufficientDataReason: 0,
  };
}

function count(tally: Tally, label: CaseLabel, verdict: Verdict): void {
  const result = acceptable(label, verdict);
  tally.cases += 1;
  if (result.acceptable) tally.acceptable += 1;
  if (label === "healthy") {
    tally.healthy += 1;
    if (verdict.verdict === "rollback_recommended") tally.falseRollbacks += 1;
  }
  if (label === "bad") {
    tally.bad += 1;
    if (verdict.verdict === "ok") tally.missed += 1;
    if (verdict.verdict !== "rollback_recommended") tally.badNotRolledBack += 1;
  }
  if (label === "dark") {
    tally.dark += 1;
    if (result.insufficientDataReason) tally.darkWithInsufficientDataReason += 1;
  }
}

/** `verdicts[i]` is the verdict on `cases[i]`. */
export function scoreVerdicts(cases: readonly CorpusCase[], verdicts: readonly Verdict[]): Score {
  if (cases.length !== verdicts.length) throw new RangeError("one verdict per case");
  const overall = emptyTally();
  const families = new Map<string, FamilyScore>();
  const confusion = Object.fromEntries(
    LABELS.map((label) => [label, Object.fromEntries(LEVELS.map((level) => [level, 0]))]),
  ) as Score["confusion"];
  cases.forEach((item, index) => {
    const verdict = verdicts[index] as Verdict;
    let family = families.get(item.family);
    if (!family) {
      family = { family: item.family, label: item.label, ...emptyTally() };
      families.set(item.family, family);
    }
    count(overall, item.label, verdict);
    count(family, item.label, verdict);
    confusion[item.label][verdict.verdict] += 1;
  });
  return { overall, families: [...families.values()], confusion };
}

/** A share of a count, or null when there is nothing to divide by. */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

export function meetsGoal(tally: Tally): boolean {
  const at = (part: number, whole: number) => share(part, whole) ?? 0;
  return (
    at(tally.acceptable, tally.cases) >= GOAL.acceptable &&
    at(tally.falseRollbacks, tally.healthy) <= GOAL.falseRollback &&
    at(tally.missed, tally.bad) <= GOAL.missed &&
    at(tally.badNotRolledBack, tally.bad) <= GOAL.badNotRolledBack
  );
}
