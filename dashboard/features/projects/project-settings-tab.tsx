// A project's settings: name, description and environments, metrics endpoint (test & activate),
// HMAC signing, webhooks, observation window, verdicts (judge, sensitivity, metrics, continuous baseline),
// API key rotation and deletion. Every secret the server returns is shown once, here.
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/button";
import { TextField } from "../../components/ui/text-field";
import { localizedPath } from "../../i18n/locales";
import type { Project } from "../deployments/api-types";
import { DetailsSection } from "./details-section";
import { EndpointSection } from "./endpoint-section";
import { HmacSection } from "./hmac-section";
import { parseWindow } from "./project-form";
import {
  ConfirmButtons,
  ConfirmWarning,
  RevealedSecret,
  SaveButton,
  SavedStatus,
  Section,
  type TabProps,
  useAction,
  useProjectSave,
  useRevealedSecret,
} from "./settings-section";
import { VerdictsSection } from "./verdicts-section";
import { WebhooksSection } from "./webhooks-section";

export function ProjectSettingsTab(props: TabProps) {
  return (
    <div className="grid grid-cols-1 gap-6">
      <DetailsSection {...props} />
      <EndpointSection {...props} />
      <HmacSection {...props} />
      <WebhooksSection {...props} />
      <WindowSection {...props} />
      <VerdictsSection {...props} />
      <ApiKeySection {...props} />
      <DeleteSection {...props} />
    </div>
  );
}

function WindowSection({ locale, project, onChange }: TabProps) {
  const { t } = useTranslation();
  const { failure, save, saving, saved, edited } = useProjectSave({ locale, project, onChange });
  const [value, setValue] = useState(String(project.observationWindowMinutes));
  const [invalid, setInvalid] = useState(false);
  // Longer windows are refused by the plan (403 PLAN_LIMIT): checked here first.
  const max = project.limits.maxObservationWindowMinutes;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    edited();
    const parsed = parseWindow(value);
    const minutes = parsed !== null && parsed <= max ? parsed : null;
    setInvalid(minutes === null);
    if (minutes === null) return;
    await save({ observationWindowMinutes: minutes });
  };

  return (
    <Section id="window-title" name="window" failure={failure}>
      <form noValidate onSubmit={submit} className="flex flex-wrap items-end gap-3">
        <div className="w-40">
          <TextField
            id="window-minutes"
            type="number"
            inputMode="numeric"
            min={1}
            max={max}
            label={t("projects.settings.window.label")}
            error={invalid ? t("projects.form.errors.windowRange") : undefined}
            value={value}
            onChange={(event) => setValue(event.target.value)}
          />
        </div>
        <SaveButton saving={saving}>{t("common.save")}</SaveButton>
        <SavedStatus saved={saved} />
      </form>
      <p className="mt-3 text-slate-700 text-sm dark:text-slate-300" data-testid="window-plan-note">
        {t("plan.windowNote", { plan: t(`plan.names.${project.plan}`), max })}
        {project.observationWindowMinutes > max &&
          ` ${t("plan.windowClamped", { stored: project.observationWindowMinutes, max })}`}
      </p>
    </Section>
  );
}

function ApiKeySection({ locale, project, onChange }: TabProps) {
  const { t } = useTranslation();
  const { busy, failure, run } = useAction(locale);
  const [confirming, setConfirming] = useState(false);
  const revealed = useRevealedSecret();

  const rotate = async () => {
    const result = await run<{ project: Project; apiKey: string }>(
      "rotate",
      "POST",
      `/api/projects/${project.id}/api-key/rotate`,
    );
    setConfirming(false);
    if (!result) return;
    onChange(result.data.project);
    revealed.show(result.data.apiKey);
  };

  return (
    <Section id="api-key-title" name="apiKey" failure={failure}>
      <p className="text-sm">
        {t("projects.settings.apiKey.current")}{" "}
        <code className="rounded bg-slate-100 px-1.5 py-0.5 dark:bg-slate-800">{project.apiKeyPrefix}…</code>
      </p>
      <RevealedSecret title={t("projects.settings.apiKey.newKey")} testId="api-key" revealed={revealed} />
      <div className="mt-4 flex flex-wrap gap-3">
        <ConfirmButtons
          confirming={confirming}
          onConfirming={setConfirming}
          label={t("projects.settings.apiKey.rotate")}
          confirmLabel={t("projects.settings.apiKey.confirm")}
          busy={busy === "rotate"}
          onConfirm={() => void rotate()}
        />
      </div>
      <ConfirmWarning confirming={confirming}>{t("projects.settings.apiKey.warning")}</ConfirmWarning>
    </Section>
  );
}

function DeleteSection({ locale, project }: TabProps) {
  const { t } = useTranslation();
  const { busy, failure, run } = useAction(locale);
  const [typed, setTyped] = useState("");
  const matches = typed.trim() === project.name;

  const remove = async (event: FormEvent) => {
    event.preventDefault();
    if (!matches) return;
    const result = await run<null>("delete", "DELETE", `/api/projects/${project.id}`, {
      confirmName: typed.trim(),
    });
    if (result) window.location.assign(localizedPath(locale, "/projects/"));
  };

  return (
    <Section id="delete-title" name="delete" failure={failure}>
      <form noValidate onSubmit={remove} className="grid max-w-md gap-3">
        <TextField
          id="delete-confirm"
          label={t("projects.settings.delete.label", { name: project.name })}
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          autoComplete="off"
        />
        <div>
          <Button type="submit" variant="danger" disabled={!matches} busy={busy === "delete"}>
            {t("projects.settings.delete.submit")}
          </Button>
        </div>
      </form>
    </Section>
  );
}
