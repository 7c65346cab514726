import type { DeploymentListRow } from "../../../db/queries/deployment-views";

/** The API shape of a deployment: explicit fields, dates as ISO strings. */
export function deploymentView(row: DeploymentListRow) {
  return {
    id: row.id,
    number: row.number,
    project: { id: row.projectId, name: row.projectName },
    env: row.env,
    state: row.state,
    pipelineResult: row.pipelineResult,
    branch: row.branch,
    commitSha: row.commitSha,
    observationWindowMinutes: row.observationWindowMinutes,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    analyzedAt: row.analyzedAt?.toISOString() ?? null,
    durationMs: row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
    verdict: row.verdict
      ? {
          verdict: row.verdict,
          confidence: row.confidence,
          summary: row.summary,
          details: row.details,
          dataQuality: row.dataQuality,
          judge: row.judge,
          // Decided before the window was over (an overwhelming regression).
          early: row.early ?? false,
          // The judge settings it ran with (JudgeSettings), so the verdict can be replayed.
          settings: row.settings ?? {},
          // What the other judge would have said (ShadowVerdict), or null when it could not say.
          shadow: row.shadow ?? null,
        }
      : null,
  };
}

export function hintView(row: {
  deploymentId: string;
  deploymentNumber: number;
  projectId: string;
  projectName: string;
  env: string;
  metric: string;
  code: string;
  severity: string;
  confidence: number;
  title: unknown;
  diagnosis: unknown;
  suggestedActions: unknown;
  observedValue: number | null;
  threshold: number | null;
  evidence: unknown;
  createdAt: Date;
}) {
  return {
    deployment: { id: row.deploymentId, number: row.deploymentNumber, env: row.env },
    project: { id: row.projectId, name: row.projectName },
    metric: row.metric,
    code: row.code,
    severity: row.severity,
    confidence: row.confidence,
    title: row.title,
    diagnosis: row.diagnosis,
    suggestedActions: row.suggestedActions,
    observedValue: row.observedValue,
    threshold: row.threshold,
    evidence: row.evidence,
    createdAt: row.createdAt.toISOString(),
  };
}
