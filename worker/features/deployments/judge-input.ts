// What a judge reads for one deployment, built in one place so the analysis, early verdicts,
// rejudge and backtest all judge the very same input.
import type { Database } from "../../../db/client";
import { listBaselineHistory } from "../../../db/queries/baseline-samples";
import { listDeploymentSamples } from "../../../db/queries/deployment-views";
import type { JudgeInput, JudgeSettings, MetricName } from "../analysis/types";
import { metricSampleOf } from "./deployments";

const METRICS: readonly MetricName[] = [
  "latency_p95",
  "error_rate",
  "cpu_usage",
  "memory_usage",
  "requests_per_sec",
];

/**
 * A project's stored settings as the judge reads them: anything unknown is dropped, so a value
 * written by an older or newer version never fails an analysis.
 */
export function judgeSettingsOf(stored: unknown): JudgeSettings {
  if (!stored || typeof stored !== "object") return {};
  const { sensitivity, ignoredMetrics } = stored as Record<string, unknown>;
  const settings: JudgeSettings = {};
  if (sensitivity === "low" || sensitivity === "medium" || sensitivity === "high") {
    settings.sensitivity = sensitivity;
  }
  if (Array.isArray(ignoredMetrics)) {
    const ignored = METRICS.filter((metric) => ignoredMetrics.includes(metric));
    if (ignored.length > 0) settings.ignoredMetrics = ignored;
  }
  return settings;
}

export interface JudgedDeployment {
  id: string;
  /** Whose continuous baseline is the history. */
  projectId: string;
  startedAt: Date;
  observationWindowMinutes: number;
}

/**
 * The deployment's PRE and POST samples, its trigger time, the continuous baseline around it
 * (the hour before the trigger, the same hour a day and a week earlier) and the given settings.
 */
export async function judgeInputOf(
  db: Database,
  deployment: JudgedDeployment,
  settings: JudgeSettings,
  analyzedAt: Date,
): Promise<JudgeInput> {
  const [samples, history] = await Promise.all([
    listDeploymentSamples(db, deployment.id),
    listBaselineHistory(db, deployment.projectId, deployment.startedAt),
  ]);
  return {
    pre: samples.filter((row) => row.phase === "pre").map(metricSampleOf),
    post: samples.filter((row) => row.phase === "post").map(metricSampleOf),
    analyzedAt,
    observationWindowMinutes: deployment.observationWindowMinutes,
    triggeredAt: deployment.startedAt,
    history: history.map(metricSampleOf),
    settings,
  };
}
