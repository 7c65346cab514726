import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { planLimits } from "../../../worker/features/plans/limits";
import { PROJECT_DESCRIPTION_MAX_LENGTH, PROJECT_NAME_MAX_LENGTH } from "../../../worker/lib/field-limits";
import { PagedList } from "../../components/paged-list/paged-list";
import { usePagedList } from "../../components/paged-list/use-paged-list";
import { Alert } from "../../components/ui/alert";
import { Button, buttonClass } from "../../components/ui/button";
import { linkClass } from "../../components/ui/link";
import { TextField } from "../../components/ui/text-field";
import { islandOf } from "../../i18n/island-provider";
import type { Locale } from "../../i18n/locales";
import { type ApiFailure, apiRequest } from "../../lib/api-client";
import type { Project } from "../deployments/api-types";
import { Tag } from "../deployments/badges";
import { createFormatters } from "../deployments/format";
import { projectHref } from "../deployments/links";
import { cardClass, EmptyState, failureKey, Skeleton } from "../deployments/page-states";
import { lockedInputClass } from "../plans/locked-input";
import { isSignedOut, redirectToSignIn } from "../session/session";
import { EndpointStateBadge } from "./endpoint-state";
import {
  type ProjectField,
  type ProjectFieldError,
  type ProjectFormValues,
  validateProjectForm,
} from "./project-form";
import { SecretReveal } from "./secret-reveal";

export default islandOf(ProjectList);

const PAGE_SIZE = 50;

function ProjectList({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const format = useMemo(() => createFormatters(locale), [locale]);
  const [formOpen, setFormOpen] = useState(false);
  const [created, setCreated] = useState<{ project: Project; apiKey: string } | null>(null);
  const paged = usePagedList<Project>({
    locale,
    pagePath: (cursor) =>
      cursor
        ? `/api/projects?limit=${PAGE_SIZE}&cursor=${encodeURIComponent(cursor)}`
        : `/api/projects?limit=${PAGE_SIZE}`,
    onFirstPage: (items) => {
      // `/projects/?new` opens the form directly (the overview's "New project").
      if (items.length === 0 || new URLSearchParams(window.location.search).has("new")) setFormOpen(true);
    },
  });
  const { list } = paged;

  return (
    <div>
      {created && (
        <div className="mb-6 grid gap-3">
          <SecretReveal
            title={t("projects.created.title", { name: created.project.name })}
            body={t("projects.created.body")}
            secret={created.apiKey}
            testId="api-key"
            onDismiss={() => setCreated(null)}
          />
          <p>
            <a
              href={projectHref(locale, created.project.id, "integration")}
              className={buttonClass.primary}
              data-testid="continue-to-integration"
            >
              {t("projects.created.next")}
            </a>
          </p>
        </div>
      )}

      {list.kind === "ready" && !formOpen && (
        <Button onClick={() => setFormOpen(true)}>{t("projects.new")}</Button>
      )}
      {formOpen && list.kind === "ready" && (
        <CreateProjectForm
          locale={locale}
          canCancel={list.items.length > 0}
          onCancel={() => setFormOpen(false)}
          onCreated={(project, apiKey) => {
            setCreated({ project, apiKey });
            setFormOpen(false);
            paged.replaceItems([project, ...list.items]);
          }}
        />
      )}

      <section aria-labelledby="project-list-title" className="mt-8 min-h-[20rem]">
        <h2 id="project-list-title" className="font-semibold text-slate-900 text-xl dark:text-white">
          {t("projects.listTitle")}
        </h2>
        <div className="mt-4">
          <PagedList
            paged={paged}
            loading={<Skeleton label={t("projects.loading")} blocks={["h-32", "h-32"]} />}
            empty={<EmptyState title={t("projects.empty")} body={t("projects.emptyBody")} />}
          >
            {(items) => (
              <ul className="grid gap-4 md:grid-cols-2">
                {items.map((project) => (
                  <li key={project.id} className={`${cardClass} p-5`}>
                    <h3 className="font-semibold text-lg">
                      <a href={projectHref(locale, project.id)} className={linkClass}>
                        {project.name}
                      </a>
                    </h3>
                    {project.description && (
                      <p className="mt-1 line-clamp-2 text-slate-700 text-sm dark:text-slate-300">
                        {project.description}
                      </p>
                    )}
                    <div className="mt-3 flex flex-wrap items-center gap-2">
                      <EndpointStateBadge state={project.endpoint.state} />
                      {project.envs.map((env) => (
                        <Tag key={env}>{env}</Tag>
                      ))}
                    </div>
                    <p className="mt-3 text-slate-600 text-sm dark:text-slate-400">
                      {t("projects.cardFacts", {
                        window: t("deployments.detail.minutes", { count: project.observationWindowMinutes }),
                        hmac: project.hmac.enabled ? t("projects.hmacOn") : t("projects.hmacOff"),
                        created: format.dateTime(project.createdAt),
                      })}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </PagedList>
        </div>
      </section>
    </div>
  );
}

/** New projects start on the free plan: its one environment, its longest window. */
const NEW_PROJECT_LIMITS = planLimits.free;

const emptyForm: ProjectFormValues = {
  name: "",
  description: "",
  envs: NEW_PROJECT_LIMITS.forcedEnv ?? "prod",
  observationWindowMinutes: String(Math.min(15, NEW_PROJECT_LIMITS.maxObservationWindowMinutes)),
  metricsEndpoint: "",
};

const serverFields: Record<string, ProjectField> = {
  name: "name",
  description: "description",
  envs: "envs",
  observationWindowMinutes: "observationWindowMinutes",
  metricsEndpoint: "metricsEndpoint",
};

function CreateProjectForm({
  locale,
  canCancel,
  onCancel,
  onCreated,
}: {
  locale: Locale;
  canCancel: boolean;
  onCancel: () => void;
  onCreated: (project: Project, apiKey: string) => void;
}) {
  const { t } = useTranslation();
  const [values, setValues] = useState<ProjectFormValues>(emptyForm);
  const [errors, setErrors] = useState<Partial<Record<ProjectField, ProjectFieldError | "serverRefused">>>(
    {},
  );
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [sending, setSending] = useState(false);
  const form = useRef<HTMLFormElement | null>(null);

  useEffect(() => {
    form.current?.querySelector<HTMLInputElement>("input")?.focus();
  }, []);

  const focusFirstInvalid = () =>
    requestAnimationFrame(() =>
      form.current?.querySelector<HTMLInputElement>("[aria-invalid=true]")?.focus(),
    );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    const checked = validateProjectForm(values);
    setFailure(null);
    if (!checked.ok) {
      setErrors(checked.errors);
      focusFirstInvalid();
      return;
    }
    setErrors({});
    setSending(true);
    const result = await apiRequest<{ project: Project; apiKey: string }>("POST", "/api/projects", {
      body: checked.body,
    });
    setSending(false);
    if (result.ok) {
      onCreated(result.data.project, result.data.apiKey);
      return;
    }
    if (isSignedOut(result.error)) return redirectToSignIn(locale);
    const fieldErrors: Partial<Record<ProjectField, "serverRefused">> = {};
    for (const item of result.error.fields) {
      const field = serverFields[item.field.split(".")[0] ?? ""];
      if (field) fieldErrors[field] = "serverRefused";
    }
    if (Object.keys(fieldErrors).length > 0) {
      setErrors(fieldErrors);
      focusFirstInvalid();
    } else setFailure(result.error);
  };

  const field = (name: ProjectField) => ({
    id: `project-${name}`,
    value: values[name],
    error: errors[name] ? t(`projects.form.errors.${errors[name]}`) : undefined,
    onChange: (event: { target: { value: string } }) => setValues({ ...values, [name]: event.target.value }),
  });

  return (
    <form
      ref={form}
      noValidate
      onSubmit={submit}
      aria-labelledby="new-project-title"
      className={`${cardClass} grid gap-5 p-5 sm:p-6`}
    >
      <h2 id="new-project-title" className="font-semibold text-slate-900 text-xl dark:text-white">
        {t("projects.form.title")}
      </h2>
      {failure && <Alert tone="error">{t(failureKey(failure))}</Alert>}
      <div className="grid gap-5 sm:grid-cols-2">
        <TextField
          {...field("name")}
          label={t("projects.form.name")}
          maxLength={PROJECT_NAME_MAX_LENGTH}
          required
          autoComplete="off"
        />
        <TextField
          {...field("envs")}
          label={t("projects.form.envs")}
          hint={
            NEW_PROJECT_LIMITS.forcedEnv
              ? t("plan.newProjectNote", { max: NEW_PROJECT_LIMITS.maxObservationWindowMinutes })
              : t("projects.form.envsHint")
          }
          disabled={NEW_PROJECT_LIMITS.forcedEnv !== null}
          inputClassName={lockedInputClass}
          autoComplete="off"
        />
        <div className="sm:col-span-2">
          <TextField
            {...field("description")}
            label={t("projects.form.description")}
            labelNote={t("projects.form.optional")}
            maxLength={PROJECT_DESCRIPTION_MAX_LENGTH}
          />
        </div>
        <div className="sm:col-span-2">
          <TextField
            {...field("metricsEndpoint")}
            type="url"
            inputMode="url"
            label={t("projects.form.endpoint")}
            labelNote={t("projects.form.optional")}
            hint={t("projects.form.endpointHint")}
            placeholder="https://app.example.com/seqpulse-metrics"
            autoComplete="off"
          />
        </div>
        <TextField
          {...field("observationWindowMinutes")}
          type="number"
          inputMode="numeric"
          min={1}
          max={NEW_PROJECT_LIMITS.maxObservationWindowMinutes}
          label={t("projects.form.window")}
          hint={t("projects.form.windowHint")}
        />
      </div>
      <div className="flex flex-wrap gap-3">
        <Button type="submit" busy={sending} busyLabel={t("projects.form.creating")}>
          {t("projects.form.submit")}
        </Button>
        {canCancel && (
          <Button variant="secondary" onClick={onCancel}>
            {t("common.cancel")}
          </Button>
        )}
      </div>
    </form>
  );
}
