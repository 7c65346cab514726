import type { Database } from "../../../db/client";
import { findDeploymentById } from "../../../db/queries/deployments";
import { countOpenJobsWithKeyPrefix } from "../../../db/queries/jobs";
import { findProjectById } from "../../../db/queries/projects";
import { storeVerdict } from "../../../db/queries/verdicts";
import { resolveJudge } from "../analysis/judge";
import { ANALYSIS_GRACE_MS, SAMPLE_INTERVAL_MS } from "./deployments";
import { judgeInputOf, judgeSettingsOf } from "./judge-input";

/** Past this, missing samples are judged missing: the verdict is never held back longer. */
export const ANALYSIS_MAX_WAIT_MS = 10 * 60 * 1000;

export type AnalyzeOutcome =
  | { status: "stored"; verdict: string }
  | { status: "already-analyzed" | "skipped" }
  | { status: "waiting"; until: Date };

/**
 * Judges a finished deployment from its samples and stores the verdict and hints once. Waits
 * (a bounded time) while some of its samples are still being retried.
 */
export async function analyzeDeployment(
  db: Database,
  deploymentId: string,
  now: Date,
): Promise<AnalyzeOutcome> {
  const deployment = await findDeploymentById(db, deploymentId);
  if (!deployment) return { status: "skipped" };
  if (deployment.state === "analyzed") return { status: "already-analyzed" };
  if (deployment.state !== "finished" || !deployment.finishedAt) return { status: "skipped" };

  const windowEnd =
    deployment.finishedAt.getTime() + deployment.observationWindowMinutes * SAMPLE_INTERVAL_MS;
  const deadline = windowEnd + ANALYSIS_MAX_WAIT_MS;
  if (now.getTime() < deadline && (await countOpenJobsWithKeyPrefix(db, `collect:${deployment.id}:`)) > 0) {
    return { status: "waiting", until: new Date(Math.min(deadline, now.getTime() + ANALYSIS_GRACE_MS / 2)) };
  }

  const project = await findProjectById(db, deployment.projectId);
  const judge = resolveJudge(project?.judge);
  const input = await judgeInputOf(db, deployment, judgeSettingsOf(project?.judgeSettings), now);
  const result = judge.judge(input);
  const stored = await storeVerdict(
    db,
    {
      deploymentId: deployment.id,
      judge: judge.name,
      judgeVersion: judge.version,
      verdict: result.verdict,
      confidence: result.confidence,
      summary: result.summary,
      details: result.details,
      dataQuality: result.dataQuality,
      audit: result.audit,
      createdAt: now,
    },
    result.hints.map((hint) => ({
      metric: hint.metric,
      code: hint.code,
      severity: hint.severity,
      confidence: hint.confidence,
      title: hint.title,
      diagnosis: hint.diagnosis,
      suggestedActions: hint.suggestedActions,
      observedValue: hint.observedValue,
      threshold: hint.threshold,
      evidence: { rule: hint.rule, ...hint.evidence },
      createdAt: now,
    })),
    now,
  );
  return stored ? { status: "stored", verdict: result.verdict } : { status: "already-analyzed" };
}
