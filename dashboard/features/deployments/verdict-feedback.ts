// "Was this verdict right?" on the deployment page, the shadow judge's line beside the verdict,
// and the project's "N of M marked verdicts were right". Pure, tested in Node.

import { MAX_FEEDBACK_NOTE_LENGTH } from "../../../worker/lib/field-limits";
import type { Verdict, VerdictLevel, VerdictStats } from "./api-types";

/** The API's limit, counted after trimming. */
export { MAX_FEEDBACK_NOTE_LENGTH };

/** The POST body: the note trimmed, and left out when empty. Null when the note is too long. */
export function feedbackBody(correct: boolean, note: string): { correct: boolean; note?: string } | null {
  const trimmed = note.trim();
  if (trimmed.length > MAX_FEEDBACK_NOTE_LENGTH) return null;
  return trimmed ? { correct, note: trimmed } : { correct };
}

/** The other judge's verdict to show, or null when there is none (older verdicts, or not sent yet). */
export function shadowOf(
  verdict: Pick<Verdict, "shadow">,
): { judge: string; verdict: VerdictLevel; confidence: number } | null {
  const shadow = verdict.shadow;
  if (!shadow || typeof shadow.judge !== "string" || typeof shadow.confidence !== "number") return null;
  return { judge: shadow.judge, verdict: shadow.verdict, confidence: shadow.confidence };
}

/** "N of M marked verdicts were right"; null while no verdict has been marked. */
export function markedAccuracyOf(
  stats: Pick<VerdictStats, "marked" | "markedCorrect" | "analyzed">,
): { right: number; marked: number; analyzed: number } | null {
  if (stats.marked === 0) return null;
  return { right: stats.markedCorrect, marked: stats.marked, analyzed: stats.analyzed };
}
