// Beside a verdict: what the other judge would have said, whether it was an early verdict, and
// "Was this verdict right?" (one answer per deployment, the latest replacing the earlier).
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { errorClass, hintClass, inputClass, labelClass } from "../../components/ui/text-field";
import type { Locale } from "../../i18n/locales";
import { type ApiFailure, apiRequest } from "../../lib/api-client";
import { isSignedOut, redirectToSignIn } from "../session/session";
import { useApiData } from "../session/use-api-data";
import type { DeploymentDetail, Verdict, VerdictFeedback } from "./api-types";
import type { Formatters } from "./format";
import { failureKey } from "./page-states";
import { feedbackBody, MAX_FEEDBACK_NOTE_LENGTH, shadowOf } from "./verdict-feedback";

/** "The classic judge would have said: Warning (confidence 62 %)"; nothing without a shadow. */
export function ShadowVerdictLine({ verdict, format }: { verdict: Verdict; format: Formatters }) {
  const { t } = useTranslation();
  const shadow = shadowOf(verdict);
  if (!shadow) return null;
  const judge =
    shadow.judge === "classic" || shadow.judge === "robust"
      ? t(`common.judge.${shadow.judge}`)
      : shadow.judge;
  return (
    <p className="mt-2 text-slate-700 text-sm dark:text-slate-300" data-testid="shadow-verdict">
      {t("deployments.detail.shadow", {
        judge,
        verdict: t(`common.verdict.${shadow.verdict}`),
        confidence: format.percent(shadow.confidence, 0),
      })}
    </p>
  );
}

export function EarlyVerdictBadge({ verdict }: { verdict: Verdict }) {
  const { t } = useTranslation();
  if (verdict.early !== true) return null;
  return (
    <span
      className="inline-flex items-center rounded-full border border-slate-400 bg-white px-2.5 py-0.5 font-medium text-slate-800 text-xs dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100"
      title={t("deployments.detail.earlyHint")}
      data-testid="early-verdict"
    >
      {t("deployments.detail.early")}
    </span>
  );
}

/** "Was this verdict right?" with Yes / No and an optional note; shown once there is a verdict. */
export function VerdictFeedbackPanel({
  deployment,
  locale,
  format,
}: {
  deployment: Pick<DeploymentDetail, "id" | "state" | "verdict">;
  locale: Locale;
  format: Formatters;
}) {
  const { t } = useTranslation();
  const analyzed = deployment.state === "analyzed" && deployment.verdict !== null;
  const saved = useApiData<{ feedback: VerdictFeedback | null }>(
    locale,
    analyzed ? `/api/deployments/${deployment.id}/feedback` : null,
  );
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState<"yes" | "no" | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [tooLong, setTooLong] = useState(false);
  const feedback = saved.state.kind === "ready" ? saved.state.data.feedback : null;

  // The saved note fills the field once it arrives, so a changed answer keeps it.
  useEffect(() => {
    if (feedback?.note) setNote(feedback.note);
  }, [feedback?.note]);

  if (!analyzed) return null;

  const answer = async (correct: boolean) => {
    const body = feedbackBody(correct, note);
    setTooLong(body === null);
    if (body === null) return;
    setBusy(correct ? "yes" : "no");
    setFailure(null);
    const result = await apiRequest<{ feedback: VerdictFeedback }>(
      "POST",
      `/api/deployments/${deployment.id}/feedback`,
      { body },
    );
    setBusy(null);
    if (result.ok) void saved.reload({ quiet: true });
    else if (isSignedOut(result.error)) redirectToSignIn(locale);
    else setFailure(result.error);
  };
  const submit = (event: FormEvent) => event.preventDefault();

  return (
    <section
      aria-labelledby="feedback-title"
      className="mt-4 border-slate-300/70 border-t pt-4 dark:border-slate-600/70"
      data-testid="verdict-feedback"
    >
      <h3 id="feedback-title" className="font-semibold text-slate-900 dark:text-white">
        {t("deployments.feedback.question")}
      </h3>
      <form noValidate onSubmit={submit} className="mt-2 grid max-w-xl gap-3">
        <div>
          <label htmlFor="feedback-note" className={labelClass}>
            {t("deployments.feedback.note")}
            <span className="font-normal text-slate-600 dark:text-slate-400">
              {" "}
              ({t("deployments.feedback.optional")})
            </span>
          </label>
          <textarea
            id="feedback-note"
            rows={2}
            maxLength={MAX_FEEDBACK_NOTE_LENGTH + 50}
            className={`mt-1.5 ${inputClass}`}
            aria-invalid={tooLong || undefined}
            aria-describedby="feedback-note-hint"
            value={note}
            onChange={(event) => {
              setTooLong(false);
              setNote(event.target.value);
            }}
          />
          {tooLong && (
            <p className={errorClass}>
              {t("deployments.feedback.tooLong", { max: MAX_FEEDBACK_NOTE_LENGTH })}
            </p>
          )}
          <p id="feedback-note-hint" className={hintClass}>
            {t("deployments.feedback.noteHint")}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button
            type="button"
            variant="secondary"
            aria-pressed={feedback ? feedback.correct : undefined}
            busy={busy === "yes"}
            busyLabel={t("common.saving")}
            onClick={() => void answer(true)}
          >
            {t("deployments.feedback.yes")}
          </Button>
          <Button
            type="button"
            variant="secondary"
            aria-pressed={feedback ? !feedback.correct : undefined}
            busy={busy === "no"}
            busyLabel={t("common.saving")}
            onClick={() => void answer(false)}
          >
            {t("deployments.feedback.no")}
          </Button>
        </div>
      </form>
      <p
        role="status"
        className="mt-2 text-slate-700 text-sm dark:text-slate-300"
        data-testid="feedback-saved"
      >
        {feedback
          ? t(feedback.correct ? "deployments.feedback.savedRight" : "deployments.feedback.savedWrong", {
              time: format.dateTime(feedback.updatedAt),
            })
          : ""}
      </p>
      {failure && (
        <Alert tone="error" className="mt-3">
          {t(failureKey(failure))}
        </Alert>
      )}
    </section>
  );
}
