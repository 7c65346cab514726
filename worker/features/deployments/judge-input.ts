// What a judge reads for one deployment, built in one place so the analysis, early verdicts,
// rejudge and backtest all judge the very same input.
import type { Database } from "../../../db/client";
import { listBaselineHistories } from "../../../db/queries/baseline-samples";
import { listSamplesOfDeployments } from "../../../db/queries/deployment-views";
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
  const [input] = await judgeInputsOf(db, [{ deployment, settings }], analyzedAt);
  if (!input) throw new Error("no judge input built");
  return input;
}

/**
 * `judgeInputOf` for many deployments in two queries (their samples, their baselines), not two
 * per deployment: a collection batch looks at every deployment it sampled. In the given order.
 */
export async function judgeInputsOf(
  db: Database,
  targets: ReadonlyArray<{ deployment: JudgedDeployment; settings: JudgeSettings }>,
  analyzedAt: Date,
): Promise<JudgeInput[]> {
  if (targets.length === 0) return [];
  const [samples, histories] = await Promise.all([
    listSamplesOfDeployments(
      db,
      targets.map((target) => target.deployment.id),
    ),
    listBaselineHistories(
      db,
      targets.map(({ deployment }) => ({
        projectId: deployment.projectId,
        triggeredAt: deployment.startedAt,
      })),
    ),
  ]);
  const samplesOf = Map.groupBy(samples, (row) => row.deploymentId);
  return targets.map(({ deployment, settings }, index) => {
    const own = samplesOf.get(deployment.id) ?? [];
    return {
      pre: own.filter((row) => row.phase === "pre").map(metricSampleOf),
      post: own.filter((row) => row.phase === "post").map(metricSampleOf),
      analyzedAt,
      observationWindowMinutes: deployment.observationWindowMinutes,
      triggeredAt: deployment.startedAt,
      history: (histories[index] ?? []).map(metricSampleOf),
      settings,
    };
  });
}
