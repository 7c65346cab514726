// The settings tab's first section: a project's name, description and environments, changed with
// `PATCH /api/projects/:id`. Checked here as the API will check them (project-form.ts), so a
// mistake is explained beside its field before anything is sent.
import { type FormEvent, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { PROJECT_NAME_MAX_LENGTH } from "../../../worker/lib/field-limits";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { TextField } from "../../components/ui/text-field";
import type { Project } from "../deployments/api-types";
import { failureKey } from "../deployments/page-states";
import { type ProjectDetailsValues, type ProjectFieldError, validateProjectDetails } from "./project-form";
import { Section, type TabProps, useAction } from "./settings-section";

type DetailField = keyof ProjectDetailsValues;

function valuesOf(project: Project): ProjectDetailsValues {
  return { name: project.name, description: project.description ?? "", envs: project.envs.join(", ") };
}

export function DetailsSection({ locale, project, onChange }: TabProps) {
  const { t } = useTranslation();
  const { busy, failure, run } = useAction(locale);
  const form = useRef<HTMLFormElement | null>(null);
  const [values, setValues] = useState<ProjectDetailsValues>(() => valuesOf(project));
  const [errors, setErrors] = useState<Partial<Record<DetailField, ProjectFieldError | "serverRefused">>>({});
  const [saved, setSaved] = useState(false);

  const focusFirstInvalid = () =>
    requestAnimationFrame(() =>
      form.current?.querySelector<HTMLInputElement>("[aria-invalid=true]")?.focus(),
    );

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const checked = validateProjectDetails(values);
    if (!checked.ok) {
      setErrors(checked.errors);
      focusFirstInvalid();
      return;
    }
    setErrors({});
    const result = await run<{ project: Project }>(
      "save",
      "PATCH",
      `/api/projects/${project.id}`,
      checked.body,
    );
    if (result) {
      onChange(result.data.project);
      setValues(valuesOf(result.data.project));
      setSaved(true);
    }
  };

  // A value the API refused although it passed the checks here: shown beside its field.
  const refused = new Set(failure?.failure.fields.map((item) => item.field.split(".")[0]) ?? []);
  const errorOf = (name: DetailField) => {
    const code = errors[name] ?? (refused.has(name) ? "serverRefused" : undefined);
    return code ? t(`projects.form.errors.${code}`) : undefined;
  };
  const field = (name: DetailField) => ({
    id: `details-${name}`,
    value: values[name],
    error: errorOf(name),
    onChange: (event: { target: { value: string } }) => {
      setSaved(false);
      setValues({ ...values, [name]: event.target.value });
    },
  });
  const removedEnvs = project.envs.filter(
    (env) =>
      !values.envs
        .split(/[\s,]+/)
        .map((value) => value.trim())
        .includes(env),
  );

  return (
    <Section
      id="details-title"
      title={t("projects.settings.details.title")}
      lead={t("projects.settings.details.lead")}
    >
      <form ref={form} noValidate onSubmit={save} className="grid max-w-xl gap-4">
        <TextField
          {...field("name")}
          label={t("projects.form.name")}
          autoComplete="off"
          maxLength={PROJECT_NAME_MAX_LENGTH}
        />
        <TextField
          {...field("description")}
          label={t("projects.form.description")}
          labelNote={t("projects.form.optional")}
          autoComplete="off"
        />
        <TextField
          {...field("envs")}
          label={t("projects.form.envs")}
          hint={t("projects.form.envsHint")}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
        />
        {removedEnvs.length > 0 && (
          <p className="text-slate-700 text-sm dark:text-slate-300" data-testid="removed-envs">
            {t("projects.settings.details.removedEnvs", { envs: removedEnvs.join(", ") })}
          </p>
        )}
        <div className="flex flex-wrap items-center gap-3">
          {/* Named for what it saves: the window section below has its own "Save". */}
          <Button type="submit" variant="secondary" busy={busy === "save"} busyLabel={t("common.saving")}>
            {t("projects.settings.details.submit")}
          </Button>
          <span role="status" className="text-emerald-800 text-sm dark:text-emerald-300">
            {saved ? t("common.saved") : ""}
          </span>
        </div>
      </form>
      {failure && refused.size === 0 && (
        <div className="mt-3">
          <Alert tone="error">{t(failureKey(failure.failure))}</Alert>
        </div>
      )}
    </Section>
  );
}
