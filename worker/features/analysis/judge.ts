// A judge turns PRE/POST samples into a verdict. Projects choose one by name; `classic` is the
// original SeqPulse engine and the default.
import { classicJudge } from "./judges/classic";
import type { JudgeInput, Verdict } from "./types";

export interface Judge {
  name: string;
  /** Bumped whenever the same input could yield a different verdict; stored with each verdict. */
  version: number;
  judge(input: JudgeInput): Verdict;
}

export const DEFAULT_JUDGE_NAME = "classic";

export const judges: Record<string, Judge> = { [classicJudge.name]: classicJudge };

export function isJudgeName(name: string): boolean {
  return Object.hasOwn(judges, name);
}

/** The project's judge; a missing or retired name falls back to the default, never fails an analysis. */
export function resolveJudge(name: string | null | undefined): Judge {
  if (name && isJudgeName(name)) return judges[name] as Judge;
  return judges[DEFAULT_JUDGE_NAME] as Judge;
}
