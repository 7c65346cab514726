import * as z from "zod";
import { judgeName, judgeSettings } from "../projects/schemas";
import { DEFAULT_BACKTEST_DEPLOYMENTS, MAX_BACKTEST_DEPLOYMENTS } from "./verdict-review";

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

export const MAX_FEEDBACK_NOTE_LENGTH = 1000;

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
