// A judge turns PRE/POST samples into a verdict. Projects choose one by name; `robust` judges each
// metric against the service's own baseline (judges/robust.ts) and is the default of new projects;
// `classic` is the original SeqPulse engine, kept for projects that chose it. Every analysis also
// runs the other one as a shadow.
import type { Judge } from "./judge-types";
import { classicJudge } from "./judges/classic";
import { robustJudge } from "./judges/robust";

export type { Judge } from "./judge-types";

export const DEFAULT_JUDGE_NAME = "robust";

export const judges: Record<string, Judge> = {
  [classicJudge.name]: classicJudge,
  [robustJudge.name]: robustJudge,
};

export function isJudgeName(name: string): boolean {
  return Object.hasOwn(judges, name);
}

/** The project's judge; a missing or retired name falls back to the default, never fails an analysis. */
export function resolveJudge(name: string | null | undefined): Judge {
  if (name && isJudgeName(name)) return judges[name] as Judge;
  return judges[DEFAULT_JUDGE_NAME] as Judge;
}

/** The judge whose verdict is stored beside the project's as a shadow. */
export function shadowJudgeOf(judge: Judge): Judge {
  return (judge.name === classicJudge.name ? robustJudge : classicJudge) as Judge;
}
