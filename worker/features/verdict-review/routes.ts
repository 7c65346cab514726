import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { validate } from "../../lib/validation";
import { authOf, requireAuth } from "../../middleware/authenticate";
import { enforceRateLimit } from "../../middleware/rate-limit";
import { getOwnedProject } from "../projects/project-settings";
import {
  backtestProject,
  getVerdictFeedback,
  projectVerdictStats,
  recordVerdictFeedback,
  rejudgeDeployment,
} from "./review-flows";
import { backtestBody, feedbackBody, idParam, rejudgeBody } from "./schemas";

/** Rejudge and feedback, under /api/deployments (signed-in user, own projects only). */
export const verdictReviewDeploymentRoutes = new Hono<AppEnv>();
verdictReviewDeploymentRoutes.use(requireAuth());

/** See `rejudgeDeployment`: read-only, the deployment keeps its verdict. */
verdictReviewDeploymentRoutes.post(
  "/:id/rejudge",
  validate("param", idParam),
  validate("json", rejudgeBody),
  async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await rejudgeDeployment(c.var.db, authOf(c).userId, id, c.req.valid("json"), new Date()));
  },
);

verdictReviewDeploymentRoutes.post(
  "/:id/feedback",
  validate("param", idParam),
  validate("json", feedbackBody),
  async (c) => {
    const { id } = c.req.valid("param");
    const feedback = await recordVerdictFeedback(
      c.var.db,
      authOf(c).userId,
      id,
      c.req.valid("json"),
      new Date(),
    );
    return c.json({ feedback });
  },
);

verdictReviewDeploymentRoutes.get("/:id/feedback", validate("param", idParam), async (c) => {
  return c.json({ feedback: await getVerdictFeedback(c.var.db, authOf(c).userId, c.req.valid("param").id) });
});

/** Backtest and verdict stats, under /api/projects. */
export const verdictReviewProjectRoutes = new Hono<AppEnv>();
verdictReviewProjectRoutes.use(requireAuth());

verdictReviewProjectRoutes.post(
  "/:id/backtest",
  validate("param", idParam),
  validate("json", backtestBody),
  async (c) => {
    const { userId } = authOf(c);
    // Another owner's project is a 404 before anything is counted.
    const project = await getOwnedProject(c.var.db, userId, c.req.valid("param").id);
    await enforceRateLimit(c, RATE_LIMITS.backtestPerUser, userId);
    return c.json(await backtestProject(c.var.db, project, c.req.valid("json"), new Date()));
  },
);

verdictReviewProjectRoutes.get("/:id/verdict-stats", validate("param", idParam), async (c) => {
  return c.json(await projectVerdictStats(c.var.db, authOf(c).userId, c.req.valid("param").id));
});
