// The shape every judge has, in its own module so that the registry (judge.ts) imports the judges
// and the judges import only this: no import cycle between them.
import type { MetricMeans } from "./samples";
import type { JudgeInput, MetricName, Verdict } from "./types";

export interface Judge {
  name: string;
  /** Bumped whenever the same input could yield a different verdict; stored with each verdict. */
  version: number;
  judge(input: JudgeInput): Verdict;
  /**
   * The value each metric's POST samples are compared with, given the baseline's means (null
   * when the metric is not judged, e.g. traffic without a baseline), so charts draw the very
   * line the verdict used.
   */
  comparisonLines(pre: MetricMeans | null): Record<MetricName, number | null>;
}
