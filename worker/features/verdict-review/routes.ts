import type { Context } from "hono";
import { Hono } from "hono";
import { findOwnedDeployment } from "../../../db/queries/deployment-views";
import {
  countVerdictFeedback,
  type FeedbackRow,
  findFeedback,
  upsertFeedback,
} from "../../../db/queries/feedback";
import { findProject, type ProjectRow } from "../../../db/queries/projects";
import {
  countPostSamples,
  findStoredVerdict,
  listJudgedDeployments,
} from "../../../db/queries/verdict-review";
import type { AppEnv } from "../../env";
import { ApiError } from "../../lib/errors";
import { isUuid } from "../../lib/ids";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { validate } from "../../lib/validation";
import { authOf, requireAuth } from "../../middleware/authenticate";
import { enforceRateLimit } from "../../middleware/rate-limit";
import { resolveJudge } from "../analysis/judge";
import type { JudgeSettings } from "../analysis/types";
import { judgeSettingsOf } from "../deployments/judge-input";
import { backtestBody, type FeedbackView, feedbackBody, idParam, rejudgeBody } from "./schemas";
import {
  backtestDeployments,
  isJudgeable,
  replayDeployment,
  summarizeBacktest,
  verdictStatsOf,
} from "./verdict-review";

async function loadDeployment(c: Context<AppEnv>, id: string) {
  const deployment = isUuid(id) ? await findOwnedDeployment(c.var.db, authOf(c).userId, id) : null;
  if (!deployment) throw new ApiError("NOT_FOUND", "No such deployment.");
  return deployment;
}

async function loadProject(c: Context<AppEnv>, id: string): Promise<ProjectRow> {
  const project = isUuid(id) ? await findProject(c.var.db, authOf(c).userId, id) : null;
  if (!project) throw new ApiError("NOT_FOUND", "No such project.");
  return project;
}

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

/** Rejudge and feedback, under /api/deployments (signed-in user, own projects only). */
export const verdictReviewDeploymentRoutes = new Hono<AppEnv>();
verdictReviewDeploymentRoutes.use(requireAuth());

/**
 * What another judge or setting would say from the stored samples, beside the stored verdict.
 * Read-only: nothing is stored, the deployment keeps its verdict.
 */
verdictReviewDeploymentRoutes.post(
  "/:id/rejudge",
  validate("param", idParam),
  validate("json", rejudgeBody),
  async (c) => {
    const deployment = await loadDeployment(c, c.req.valid("param").id);
    const postSamples = deployment.state === "finished" ? await countPostSamples(c.var.db, deployment.id) : 0;
    if (!isJudgeable(deployment.state, postSamples)) {
      throw new ApiError(
        "DEPLOYMENT_NOT_JUDGEABLE",
        "This deployment has no samples from after its finish yet: there is nothing to judge.",
        { details: { state: deployment.state } },
      );
    }
    const project = await loadProject(c, deployment.projectId);
    const { judge, settings } = replayChoice(project, c.req.valid("json"));
    const [replay, stored] = await Promise.all([
      replayDeployment(c.var.db, deployment, judge, settings, new Date()),
      findStoredVerdict(c.var.db, deployment.id),
    ]);
    const result = replay.result;
    return c.json({
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
    });
  },
);

/** "Was this verdict right?": one answer per deployment, the latest replacing the earlier. */
verdictReviewDeploymentRoutes.post(
  "/:id/feedback",
  validate("param", idParam),
  validate("json", feedbackBody),
  async (c) => {
    const deployment = await loadDeployment(c, c.req.valid("param").id);
    const body = c.req.valid("json");
    const notAnalyzed = () =>
      new ApiError("DEPLOYMENT_NOT_ANALYZED", "This deployment has no verdict yet to answer about.", {
        details: { state: deployment.state },
      });
    if (deployment.state !== "analyzed") throw notAnalyzed();
    const row = await upsertFeedback(c.var.db, {
      deploymentId: deployment.id,
      userId: authOf(c).userId,
      correct: body.correct,
      note: body.note,
      now: new Date(),
    });
    if (!row) throw notAnalyzed();
    return c.json({ feedback: feedbackView(row) });
  },
);

verdictReviewDeploymentRoutes.get("/:id/feedback", validate("param", idParam), async (c) => {
  const deployment = await loadDeployment(c, c.req.valid("param").id);
  const row = await findFeedback(c.var.db, deployment.id);
  return c.json({ feedback: row && feedbackView(row) });
});

/** Backtest and verdict stats, under /api/projects. */
export const verdictReviewProjectRoutes = new Hono<AppEnv>();
verdictReviewProjectRoutes.use(requireAuth());

/** Replays the project's last `limit` analyzed deployments and says which verdicts would change. */
verdictReviewProjectRoutes.post(
  "/:id/backtest",
  validate("param", idParam),
  validate("json", backtestBody),
  async (c) => {
    const project = await loadProject(c, c.req.valid("param").id);
    await enforceRateLimit(c, RATE_LIMITS.backtestPerUser, authOf(c).userId);
    const body = c.req.valid("json");
    const { judge, settings } = replayChoice(project, body);
    const deployments = await listJudgedDeployments(c.var.db, project.id, body.limit);
    const items = await backtestDeployments(c.var.db, deployments, judge, settings, new Date());
    return c.json({
      projectId: project.id,
      judge: judge.name,
      judgeVersion: judge.version,
      settings,
      items,
      summary: summarizeBacktest(items),
    });
  },
);

/** How often the project's verdicts were marked right, in total and per verdict value. */
verdictReviewProjectRoutes.get("/:id/verdict-stats", validate("param", idParam), async (c) => {
  const project = await loadProject(c, c.req.valid("param").id);
  const stats = verdictStatsOf(await countVerdictFeedback(c.var.db, project.id));
  return c.json({ projectId: project.id, ...stats });
});
