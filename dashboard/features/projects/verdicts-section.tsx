// The settings tab's "Verdicts" section: which judge decides, how sensitive it is, which metrics
// it judges, and how often the continuous baseline samples the endpoint between deployments.
// Saved with `PATCH /api/projects/:id`; the rules live in verdict-settings.ts.
import { type FormEvent, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/button";
import { errorClass, hintClass } from "../../components/ui/text-field";
import { judgeNames, sampleMetrics, sensitivities } from "../deployments/api-types";
import { SaveButton, SavedStatus, Section, type TabProps, useProjectSave } from "./settings-section";
import {
  type BacktestSummary,
  baselineIntervals,
  PREVIEW_DEPLOYMENTS,
  transitionsOf,
  type VerdictSettingsValues,
  verdictSettingsBody,
  verdictSettingsValuesOf,
} from "./verdict-settings";

const choiceClass =
  "flex cursor-pointer items-start gap-3 rounded-md border border-slate-300 p-3 has-checked:border-sky-600 has-checked:bg-sky-50 has-focus-visible:outline-2 has-focus-visible:outline-sky-600 dark:border-slate-600 dark:has-checked:border-sky-400 dark:has-checked:bg-sky-950/50";
const inputClass = "mt-0.5 size-4 shrink-0 accent-sky-700 dark:accent-sky-400";

function Group({ legend, hint, children }: { legend: string; hint?: string; children: ReactNode }) {
  return (
    <fieldset>
      <legend className="font-medium text-slate-800 text-sm dark:text-slate-200">{legend}</legend>
      {hint && <p className={hintClass}>{hint}</p>}
      <div className="mt-2">{children}</div>
    </fieldset>
  );
}

export function VerdictsSection({ locale, project, onChange }: TabProps) {
  const { t } = useTranslation();
  const { busy, failure, run, save, saving, saved, edited } = useProjectSave({ locale, project, onChange });
  const [values, setValues] = useState<VerdictSettingsValues>(() => verdictSettingsValuesOf(project));
  const [nothingJudged, setNothingJudged] = useState(false);
  const [preview, setPreview] = useState<BacktestSummary | null>(null);

  const update = (change: Partial<VerdictSettingsValues>) => {
    edited();
    setNothingJudged(false);
    setPreview(null);
    setValues({ ...values, ...change });
  };

  /** Replays the recent deployments with the values on screen, saved or not: nothing is stored. */
  const tryValues = async () => {
    setPreview(null);
    const checked = verdictSettingsBody(values);
    setNothingJudged(!checked.ok);
    if (!checked.ok) return;
    const result = await run<{ summary: BacktestSummary }>(
      "preview",
      "POST",
      `/api/projects/${project.id}/backtest`,
      {
        judge: checked.body.judge,
        settings: checked.body.judgeSettings,
        limit: PREVIEW_DEPLOYMENTS,
      },
    );
    if (result) setPreview(result.data.summary);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    edited();
    const checked = verdictSettingsBody(values);
    setNothingJudged(!checked.ok);
    if (!checked.ok) return;
    const updated = await save(checked.body);
    if (updated) setValues(verdictSettingsValuesOf(updated));
  };

  return (
    <Section id="verdicts-title" name="verdicts" failure={failure}>
      <form noValidate onSubmit={submit} className="grid max-w-3xl gap-6" data-testid="verdict-settings">
        <Group legend={t("projects.settings.verdicts.judge.legend")}>
          <div className="grid gap-2 sm:grid-cols-2">
            {judgeNames.map((name) => (
              <label key={name} className={choiceClass}>
                <input
                  type="radio"
                  name="judge"
                  value={name}
                  className={inputClass}
                  checked={values.judge === name}
                  onChange={() => update({ judge: name })}
                />
                <span>
                  <span className="block font-medium text-slate-900 text-sm dark:text-slate-100">
                    {t(`projects.settings.verdicts.judge.${name}.label`)}
                  </span>
                  <span className="mt-0.5 block text-slate-700 text-sm dark:text-slate-300">
                    {t(`projects.settings.verdicts.judge.${name}.body`)}
                  </span>
                </span>
              </label>
            ))}
          </div>
        </Group>

        <Group
          legend={t("projects.settings.verdicts.sensitivity.legend")}
          hint={t("projects.settings.verdicts.sensitivity.hint")}
        >
          <div className="flex flex-wrap gap-2">
            {sensitivities.map((level) => (
              <label key={level} className={`${choiceClass} items-center py-2`}>
                <input
                  type="radio"
                  name="sensitivity"
                  value={level}
                  className={inputClass}
                  checked={values.sensitivity === level}
                  onChange={() => update({ sensitivity: level })}
                />
                <span className="text-sm">{t(`projects.settings.verdicts.sensitivity.${level}`)}</span>
              </label>
            ))}
          </div>
        </Group>

        <Group
          legend={t("projects.settings.verdicts.metrics.legend")}
          hint={t("projects.settings.verdicts.metrics.hint")}
        >
          <div className="grid gap-2 sm:grid-cols-2">
            {sampleMetrics.map((metric) => (
              <label key={metric} className={`${choiceClass} items-center py-2`}>
                <input
                  type="checkbox"
                  name={`judge-${metric}`}
                  className={inputClass}
                  checked={values.judged[metric]}
                  aria-invalid={nothingJudged || undefined}
                  onChange={(event) =>
                    update({ judged: { ...values.judged, [metric]: event.target.checked } })
                  }
                />
                <span className="text-sm">{t(`projects.settings.verdicts.metrics.${metric}`)}</span>
              </label>
            ))}
          </div>
          {nothingJudged && (
            <p className={errorClass}>{t("projects.settings.verdicts.metrics.nothingJudged")}</p>
          )}
        </Group>

        <Group
          legend={t("projects.settings.verdicts.baseline.legend")}
          hint={t("projects.settings.verdicts.baseline.hint")}
        >
          <div className="flex flex-wrap gap-2">
            {baselineIntervals.map((minutes) => (
              <label key={minutes} className={`${choiceClass} items-center py-2`}>
                <input
                  type="radio"
                  name="baseline-interval"
                  value={minutes}
                  className={inputClass}
                  checked={values.baselineIntervalMinutes === minutes}
                  onChange={() => update({ baselineIntervalMinutes: minutes })}
                />
                <span className="text-sm">
                  {minutes === 0
                    ? t("projects.settings.verdicts.baseline.off")
                    : t("projects.settings.verdicts.baseline.every", { count: minutes })}
                </span>
              </label>
            ))}
          </div>
        </Group>

        <div className="flex flex-wrap items-center gap-3">
          <SaveButton saving={saving}>{t("projects.settings.verdicts.submit")}</SaveButton>
          <Button
            type="button"
            variant="secondary"
            busy={busy === "preview"}
            busyLabel={t("projects.settings.verdicts.preview.busy")}
            onClick={() => void tryValues()}
          >
            {t("projects.settings.verdicts.preview.button", { count: PREVIEW_DEPLOYMENTS })}
          </Button>
          <SavedStatus saved={saved} />
        </div>
        <div aria-live="polite" data-testid="verdict-preview">
          {preview && <PreviewResult summary={preview} />}
        </div>
      </form>
    </Section>
  );
}

/** What the replay found: how many verdicts would change, and from what to what. */
export function PreviewResult({ summary }: { summary: BacktestSummary }) {
  const { t } = useTranslation();
  if (summary.total === 0) {
    return (
      <p className="text-slate-700 text-sm dark:text-slate-300">
        {t("projects.settings.verdicts.preview.none")}
      </p>
    );
  }
  const transitions = transitionsOf(summary);
  return (
    <div className="text-slate-800 text-sm dark:text-slate-200">
      <p>
        {t(
          summary.changed === 0
            ? "projects.settings.verdicts.preview.unchanged"
            : "projects.settings.verdicts.preview.changed",
          { total: summary.total, changed: summary.changed },
        )}
      </p>
      {transitions.length > 0 && (
        <ul className="mt-1 list-disc pl-5">
          {transitions.map(({ from, to, count }) => (
            <li key={`${from}-${to}`}>
              {t("projects.settings.verdicts.preview.transition", {
                from: t(`common.verdict.${from}`),
                to: t(`common.verdict.${to}`),
                count,
              })}
            </li>
          ))}
        </ul>
      )}
      <p className="mt-1 text-slate-600 dark:text-slate-400">
        {t("projects.settings.verdicts.preview.note")}
      </p>
    </div>
  );
}
