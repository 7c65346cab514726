import type * as z from "zod";
import type { Database } from "../../../db/client";
import {
  countVerdictFeedback,
  type FeedbackRow,
  findFeedback,
  upsertFeedback,
} from "../../../db/queries/feedback";
import type { ProjectRow } from "../../../db/queries/projects";
import {
  countPostSamples,
  findStoredVerdict,
  listJudgedDeployments,
} from "../../../db/queries/verdict-review";
import { ApiError } from "../../lib/errors";
import { resolveJudge } from "../analysis/judge";
import type { JudgeSettings } from "../analysis/types";
import { getOwnedDeployment } from "../deployments/deployment-reads";
import { judgeSettingsOf } from "../deployments/judge-input";
import { getOwnedProject } from "../projects/project-settings";
import type { backtestBody, FeedbackView, feedbackBody, rejudgeBody } from "./schemas";
import {
  backtestDeployments,
  isJudgeable,
  replayDeployment,
  summarizeBacktest,
  verdictStatsOf,
} from "./verdict-review";

// The verdict review flows over the owner's deployments and projects: another owner's (or an
// unknown) id is NOT_FOUND.

/** The judge and settings asked for, else the project's (settings given replace the project's whole). */
function replayChoice(project: ProjectRow, body: { judge?: string; settings?: JudgeSettings }) {
  const judge = resolveJudge(body.judge ?? project.judge);
  const settings = body.settings ?? judgeSettingsOf(project.judgeSettings);
  return { judge, settings };
}

function feedbackView(row: FeedbackRow): FeedbackView {
  return {
    deploymentId: row.deploymentId,
    correct: row.correct,
    note: row.note,
    verdict: row.verdict,
    userId: row.userId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * What another judge or setting would say from the stored samples, beside the stored verdict.
 * Read-only: nothing is stored, the deployment keeps its verdict.
 */
export async function rejudgeDeployment(
  db: Database,
  ownerId: string,
  deploymentId: string,
  body: z.infer<typeof rejudgeBody>,
  now: Date,
) {
  const deployment = await getOwnedDeployment(db, ownerId, deploymentId);
  const postSamples = deployment.state === "finished" ? await countPostSamples(db, deployment.id) : 0;
  if (!isJudgeable(deployment.state, postSamples)) {
    throw new ApiError(
      "DEPLOYMENT_NOT_JUDGEABLE",
      "This deployment has no samples from after its finish yet: there is nothing to judge.",
      { details: { state: deployment.state } },
    );
  }
  const project = await getOwnedProject(db, ownerId, deployment.projectId);
  const { judge, settings } = replayChoice(project, body);
  const [replay, stored] = await Promise.all([
    replayDeployment(db, deployment, judge, settings, now),
    findStoredVerdict(db, deployment.id),
  ]);
  const result = replay.result;
  return {
    deploymentId: deployment.id,
    judge: judge.name,
    judgeVersion: judge.version,
    settings,
    analyzedAt: replay.analyzedAt.toISOString(),
    replayed: {
      verdict: result.verdict,
      confidence: result.confidence,
      summary: result.summary,
      details: result.details,
      dataQuality: result.dataQuality,
      hints: result.hints.map((hint) => ({
        metric: hint.metric,
        code: hint.code,
        severity: hint.severity,
        confidence: hint.confidence,
        title: hint.title,
      })),
    },
    stored: stored && {
      verdict: stored.verdict,
      confidence: stored.confidence,
      judge: stored.judge,
      judgeVersion: stored.judgeVersion,
      summary: stored.summary,
      settings: judgeSettingsOf(stored.settings),
    },
    changed: stored ? stored.verdict !== result.verdict : null,
  };
}

/** "Was this verdict right?": one answer per deployment, the latest replacing the earlier. */
export async function recordVerdictFeedback(
  db: Database,
  ownerId: string,
  deploymentId: string,
  body: z.infer<typeof feedbackBody>,
  now: Date,
) {
  const deployment = await getOwnedDeployment(db, ownerId, deploymentId);
  const notAnalyzed = () =>
    new ApiError("DEPLOYMENT_NOT_ANALYZED", "This deployment has no verdict yet to answer about.", {
      details: { state: deployment.state },
    });
  if (deployment.state !== "analyzed") throw notAnalyzed();
  const row = await upsertFeedback(db, {
    deploymentId: deployment.id,
    userId: ownerId,
    correct: body.correct,
    note: body.note,
    now,
  });
  if (!row) throw notAnalyzed();
  return feedbackView(row);
}

/** The answer given about a deployment's verdict, or null. */
export async function getVerdictFeedback(db: Database, ownerId: string, deploymentId: string) {
  const deployment = await getOwnedDeployment(db, ownerId, deploymentId);
  const row = await findFeedback(db, deployment.id);
  return row && feedbackView(row);
}

/** Replays the project's last `limit` analyzed deployments and says which verdicts would change. */
export async function backtestProject(
  db: Database,
  project: ProjectRow,
  body: z.infer<typeof backtestBody>,
  now: Date,
) {
  const { judge, settings } = replayChoice(project, body);
  const deployments = await listJudgedDeployments(db, project.id, body.limit);
  const items = await backtestDeployments(db, deployments, judge, settings, now);
  return {
    projectId: project.id,
    judge: judge.name,
    judgeVersion: judge.version,
    settings,
    items,
    summary: summarizeBacktest(items),
  };
}

/** How often the project's verdicts were marked right, in total and per verdict value. */
export async function projectVerdictStats(db: Database, ownerId: string, projectId: string) {
  const project = await getOwnedProject(db, ownerId, projectId);
  const stats = verdictStatsOf(await countVerdictFeedback(db, project.id));
  return { projectId: project.id, ...stats };
}
