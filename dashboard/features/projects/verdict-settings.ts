// The "Verdicts" settings section's state and the PATCH body it sends: which judge, how
// sensitive, which metrics it judges, and how often the continuous baseline samples. Pure, so
// it is tested in Node; the API checks the same rules (worker/features/projects/schemas.ts).
import {
  type JudgeName,
  type JudgeSettings,
  judgeNames,
  type Project,
  type SampleMetric,
  type Sensitivity,
  sampleMetrics,
  type VerdictLevel,
  verdictLevels,
} from "../deployments/api-types";

export const baselineIntervals = [0, 5, 10, 30] as const;
export type BaselineInterval = (typeof baselineIntervals)[number];
export const DEFAULT_JUDGE: JudgeName = "robust";
export const DEFAULT_BASELINE_INTERVAL: BaselineInterval = 10;

export interface VerdictSettingsValues {
  judge: JudgeName;
  sensitivity: Sensitivity;
  /** Per metric: judged (true) or ignored. */
  judged: Record<SampleMetric, boolean>;
  baselineIntervalMinutes: BaselineInterval;
}

export function verdictSettingsValuesOf(
  project: Pick<Project, "judge" | "judgeSettings" | "baselineIntervalMinutes">,
): VerdictSettingsValues {
  const ignored = new Set(project.judgeSettings?.ignoredMetrics ?? []);
  const interval = project.baselineIntervalMinutes;
  return {
    judge: (judgeNames as readonly string[]).includes(project.judge)
      ? (project.judge as JudgeName)
      : DEFAULT_JUDGE,
    sensitivity: project.judgeSettings?.sensitivity ?? "medium",
    judged: Object.fromEntries(sampleMetrics.map((metric) => [metric, !ignored.has(metric)])) as Record<
      SampleMetric,
      boolean
    >,
    baselineIntervalMinutes: (baselineIntervals as readonly number[]).includes(interval)
      ? (interval as BaselineInterval)
      : DEFAULT_BASELINE_INTERVAL,
  };
}

export interface VerdictSettingsBody {
  judge: JudgeName;
  judgeSettings: JudgeSettings;
  baselineIntervalMinutes: BaselineInterval;
}

/**
 * The body of `PATCH /api/projects/:id`, or why it cannot be sent: a judge with every metric
 * switched off would judge nothing. Defaults are left out of the settings, so a project on the
 * defaults stores `{}`.
 */
export function verdictSettingsBody(
  values: VerdictSettingsValues,
): { ok: true; body: VerdictSettingsBody } | { ok: false; error: "nothingJudged" } {
  const ignoredMetrics = sampleMetrics.filter((metric) => !values.judged[metric]);
  if (ignoredMetrics.length === sampleMetrics.length) return { ok: false, error: "nothingJudged" };
  const judgeSettings: JudgeSettings = {};
  if (values.sensitivity !== "medium") judgeSettings.sensitivity = values.sensitivity;
  if (ignoredMetrics.length > 0) judgeSettings.ignoredMetrics = ignoredMetrics;
  return {
    ok: true,
    body: { judge: values.judge, judgeSettings, baselineIntervalMinutes: values.baselineIntervalMinutes },
  };
}

/** Deployments a settings preview replays: the API allows up to 100. */
export const PREVIEW_DEPLOYMENTS = 20;

/** `POST /api/projects/:id/backtest`'s summary. */
export interface BacktestSummary {
  total: number;
  changed: number;
  byTransition: Record<string, number>;
}

export interface VerdictTransition {
  from: VerdictLevel;
  to: VerdictLevel;
  count: number;
}

/** The summary's `"warning->ok"` counts as transitions, most frequent first; unknown keys are skipped. */
export function transitionsOf(summary: BacktestSummary): VerdictTransition[] {
  const isLevel = (value: string | undefined): value is VerdictLevel =>
    (verdictLevels as readonly string[]).includes(value ?? "");
  return Object.entries(summary.byTransition)
    .flatMap(([key, count]) => {
      const [from, to] = key.split("->");
      return isLevel(from) && isLevel(to) ? [{ from, to, count }] : [];
    })
    .sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}
