import * as z from "zod";
import { errorResponse, type RouteContract, rateLimited, timestamp } from "../../lib/contract";
import {
  DEFAULT_BACKTEST_DEPLOYMENTS,
  MAX_BACKTEST_DEPLOYMENTS,
  MAX_FEEDBACK_NOTE_LENGTH,
} from "../../lib/field-limits";
import {
  dataQuality,
  hintMetric,
  hintSeverity,
  judgeSettingsView,
  localizedText,
  verdictLevel,
} from "../analysis/schemas";
import { verdictLevels } from "../analysis/types";
import { judgeName, judgeSettings } from "../projects/schemas";

/** Which judge and settings to replay with; each defaults to the project's own. */
const replayFields = {
  judge: judgeName.optional(),
  settings: judgeSettings.optional(),
};

export const rejudgeBody = z.strictObject(replayFields);

export const backtestBody = z.strictObject({
  ...replayFields,
  limit: z.number().int().min(1).max(MAX_BACKTEST_DEPLOYMENTS).default(DEFAULT_BACKTEST_DEPLOYMENTS),
});

export { MAX_FEEDBACK_NOTE_LENGTH };

export const feedbackBody = z.object({
  correct: z.boolean(),
  /** Trimmed; an empty note is no note. NUL is refused before (middleware/refuse-nul.ts). */
  note: z
    .string()
    .trim()
    .max(MAX_FEEDBACK_NOTE_LENGTH)
    .nullable()
    .optional()
    .transform((note) => (note ? note : null)),
});

export const idParam = z.object({ id: z.string() });

// ---- Answers ----

export const rejudgeResponse = z.strictObject({
  deploymentId: z.uuid(),
  judge: z.string(),
  judgeVersion: z.number().int(),
  settings: judgeSettingsView,
  analyzedAt: timestamp,
  replayed: z.strictObject({
    verdict: verdictLevel,
    confidence: z.number(),
    summary: localizedText,
    details: z.array(localizedText),
    dataQuality,
    hints: z.array(
      z.strictObject({
        metric: hintMetric,
        code: z.string(),
        severity: hintSeverity,
        confidence: z.number(),
        title: localizedText,
      }),
    ),
  }),
  /** The verdict stored for the deployment, or null when it has none yet. */
  stored: z
    .strictObject({
      verdict: verdictLevel,
      confidence: z.number(),
      judge: z.string(),
      judgeVersion: z.number().int(),
      summary: localizedText,
      settings: judgeSettingsView,
    })
    .nullable(),
  changed: z
    .boolean()
    .nullable()
    .describe("Whether the replayed verdict differs from the stored one; null without a stored one."),
});

export const feedbackSchema = z.strictObject({
  deploymentId: z.uuid(),
  correct: z.boolean(),
  note: z.string().nullable(),
  verdict: verdictLevel.describe("The verdict the answer was about."),
  userId: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export type FeedbackView = z.output<typeof feedbackSchema>;

export const feedbackResponse = z.strictObject({ feedback: feedbackSchema });
export const maybeFeedbackResponse = z.strictObject({ feedback: feedbackSchema.nullable() });

const outcome = z.strictObject({ verdict: verdictLevel, confidence: z.number() });

export const backtestResponse = z.strictObject({
  projectId: z.uuid(),
  judge: z.string(),
  judgeVersion: z.number().int(),
  settings: judgeSettingsView,
  items: z.array(
    z.strictObject({
      id: z.uuid(),
      number: z.number().int(),
      stored: outcome.extend({ judge: z.string() }),
      replayed: outcome,
      changed: z.boolean(),
    }),
  ),
  summary: z.strictObject({
    total: z.number().int(),
    changed: z.number().int(),
    byTransition: z
      .record(z.string(), z.number().int())
      .describe('Changed verdicts only, by `"<stored>-><replayed>"`, e.g. `"warning->ok"`.'),
  }),
});

const feedbackCounts = {
  analyzed: z.number().int(),
  marked: z.number().int(),
  markedCorrect: z.number().int(),
};

export const verdictStatsResponse = z.strictObject({
  projectId: z.uuid(),
  ...feedbackCounts,
  byVerdict: z.strictObject(
    Object.fromEntries(verdictLevels.map((level) => [level, z.strictObject(feedbackCounts)])) as Record<
      (typeof verdictLevels)[number],
      z.ZodObject<typeof feedbackCounts, z.core.$strict>
    >,
  ),
});

const tag = "Verdict review";
const noDeployment = errorResponse("No such deployment (or not yours).");

export const verdictReviewContract: RouteContract[] = [
  {
    method: "POST",
    path: "/api/deployments/:id/rejudge",
    tag,
    summary: "What another judge or setting would say (stores nothing)",
    security: "user",
    request: { params: idParam, body: rejudgeBody },
    responses: {
      200: { description: "The replayed verdict beside the stored one.", body: rejudgeResponse },
      404: noDeployment,
      409: errorResponse("The deployment has no samples after its finish yet."),
    },
  },
  {
    method: "POST",
    path: "/api/deployments/:id/feedback",
    tag,
    summary: "Say whether the verdict was right",
    security: "user",
    request: { params: idParam, body: feedbackBody },
    responses: {
      200: { description: "The stored answer (replacing an earlier one).", body: feedbackResponse },
      404: noDeployment,
      409: errorResponse("The deployment has no verdict yet."),
    },
  },
  {
    method: "GET",
    path: "/api/deployments/:id/feedback",
    tag,
    summary: "The answer about the verdict, if any",
    security: "user",
    request: { params: idParam },
    responses: {
      200: { description: "The answer, or null.", body: maybeFeedbackResponse },
      404: noDeployment,
    },
  },
  {
    method: "POST",
    path: "/api/projects/:id/backtest",
    tag,
    summary: "Replay the project's last analyzed deployments",
    security: "user",
    request: { params: idParam, body: backtestBody },
    responses: {
      200: { description: "Each replay and which verdicts would change.", body: backtestResponse },
      404: errorResponse("No such project (or not yours)."),
      429: rateLimited("Too many backtests."),
    },
  },
  {
    method: "GET",
    path: "/api/projects/:id/verdict-stats",
    tag,
    summary: "How often the project's verdicts were marked right",
    security: "user",
    request: { params: idParam },
    responses: {
      200: { description: "Counts in total and per verdict.", body: verdictStatsResponse },
      404: errorResponse("No such project (or not yours)."),
    },
  },
];
