// The settings tab's first section: a project's name, description and environments, changed with
// `PATCH /api/projects/:id`. Checked here as the API will check them (project-form.ts), so a
// mistake is explained beside its field before anything is sent.
import { type FormEvent, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { PROJECT_NAME_MAX_LENGTH } from "../../../worker/lib/field-limits";
import { TextField } from "../../components/ui/text-field";
import type { Project } from "../deployments/api-types";
import { lockedInputClass } from "../plans/locked-input";
import { type ProjectDetailsValues, type ProjectFieldError, validateProjectDetails } from "./project-form";
import { SaveButton, SavedStatus, Section, type TabProps, useProjectSave } from "./settings-section";

type DetailField = keyof ProjectDetailsValues;

function valuesOf(project: Project): ProjectDetailsValues {
  return { name: project.name, description: project.description ?? "", envs: project.envs.join(", ") };
}

export function DetailsSection({ locale, project, onChange }: TabProps) {
  const { t } = useTranslation();
  const { failure, save, saving, saved, edited, refused } = useProjectSave({ locale, project, onChange });
  const form = useRef<HTMLFormElement | null>(null);
  const [values, setValues] = useState<ProjectDetailsValues>(() => valuesOf(project));
  const forcedEnv = project.limits.forcedEnv;
  const [errors, setErrors] = useState<Partial<Record<DetailField, ProjectFieldError | "serverRefused">>>({});

  const focusFirstInvalid = () =>
    requestAnimationFrame(() =>
      form.current?.querySelector<HTMLInputElement>("[aria-invalid=true]")?.focus(),
    );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    edited();
    const checked = validateProjectDetails(values);
    if (!checked.ok) {
      setErrors(checked.errors);
      focusFirstInvalid();
      return;
    }
    setErrors({});
    // The plan decides the environments: a stored list (from before the plan) is left as it is.
    const updated = await save(forcedEnv ? { ...checked.body, envs: undefined } : checked.body);
    if (updated) setValues(valuesOf(updated));
  };

  // A value the API refused although it passed the checks here: shown beside its field.
  const errorOf = (name: DetailField) => {
    const code = errors[name] ?? (refused.has(name) ? "serverRefused" : undefined);
    return code ? t(`projects.form.errors.${code}`) : undefined;
  };
  const field = (name: DetailField) => ({
    id: `details-${name}`,
    value: values[name],
    error: errorOf(name),
    onChange: (event: { target: { value: string } }) => {
      edited();
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
    <Section id="details-title" name="details" failure={refused.size === 0 ? failure : null}>
      <form ref={form} noValidate onSubmit={submit} className="grid max-w-xl gap-4">
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
          hint={
            forcedEnv
              ? t("plan.envsLocked", { plan: t(`plan.names.${project.plan}`), env: forcedEnv })
              : t("projects.form.envsHint")
          }
          // A plan that records every deployment in one environment: nothing to choose.
          disabled={forcedEnv !== null}
          inputClassName={lockedInputClass}
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
          <SaveButton saving={saving}>{t("projects.settings.details.submit")}</SaveButton>
          <SavedStatus saved={saved} />
        </div>
      </form>
    </Section>
  );
}
