import type { z } from "zod";
import type { DeploymentListRow } from "../../../db/queries/deployment-views";
import type {
  dataQuality,
  hintEvidence,
  judgeSettingsView,
  localizedText,
  shadowVerdict,
} from "../analysis/schemas";
import type { HintMetric, HintSeverity } from "../analysis/types";
import type { DeploymentView, HintView } from "./schemas";

// The jsonb columns hold what the judges wrote (analysis/types.ts); the API contract's schemas
// (./schemas.ts) name their shapes and the route tests check every answer against them.
type LocalizedText = z.output<typeof localizedText>;

/** The API shape of a deployment: explicit fields, dates as ISO strings. */
export function deploymentView(row: DeploymentListRow): DeploymentView {
  return {
    id: row.id,
    number: row.number,
    project: { id: row.projectId, name: row.projectName },
    env: row.env,
    state: row.state,
    pipelineResult: row.pipelineResult,
    branch: row.branch,
    commitSha: row.commitSha,
    version: row.version,
    commitUrl: row.commitUrl,
    ciRunUrl: row.ciRunUrl,
    actor: row.actor,
    observationWindowMinutes: row.observationWindowMinutes,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    analyzedAt: row.analyzedAt?.toISOString() ?? null,
    durationMs: row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
    verdict: row.verdict
      ? {
          verdict: row.verdict,
          // NOT NULL in the verdicts table; the left join only types them nullable.
          confidence: row.confidence as number,
          summary: row.summary as LocalizedText,
          details: row.details as LocalizedText[],
          dataQuality: row.dataQuality as z.output<typeof dataQuality>,
          judge: row.judge as string,
          // Decided before the window was over (an overwhelming regression).
          early: row.early ?? false,
          // The judge settings it ran with (JudgeSettings), so the verdict can be replayed.
          settings: (row.settings ?? {}) as z.output<typeof judgeSettingsView>,
          // What the other judge would have said (ShadowVerdict), or null when it could not say.
          shadow: (row.shadow ?? null) as z.output<typeof shadowVerdict> | null,
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
}): HintView {
  return {
    deployment: { id: row.deploymentId, number: row.deploymentNumber, env: row.env },
    project: { id: row.projectId, name: row.projectName },
    metric: row.metric as HintMetric,
    code: row.code,
    severity: row.severity as HintSeverity,
    confidence: row.confidence,
    title: row.title as LocalizedText,
    diagnosis: row.diagnosis as LocalizedText,
    suggestedActions: row.suggestedActions as LocalizedText[],
    observedValue: row.observedValue,
    threshold: row.threshold,
    evidence: row.evidence as z.output<typeof hintEvidence>,
    createdAt: row.createdAt.toISOString(),
  };
}
