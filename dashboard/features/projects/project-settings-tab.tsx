// A project's settings: metrics endpoint (test & activate), HMAC signing, observation window, API
// key rotation and deletion. Every secret the server returns is shown once, here.
import { type FormEvent, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { TextField } from "../../components/ui/text-field";
import { type Locale, localizedPath } from "../../i18n/locales";
import { type ApiFailure, apiRequest } from "../auth/api";
import type { EndpointView, Project } from "../deployments/api-types";
import type { Formatters } from "../deployments/format";
import { cardClass, failureKey } from "../deployments/page-states";
import { isSignedOut, redirectToSignIn } from "../session/session";
import { EndpointStateBadge } from "./endpoint-state";
import { isHttpUrl, parseWindow } from "./project-form";
import { SecretReveal } from "./secret-reveal";

interface TabProps {
  locale: Locale;
  project: Project;
  format: Formatters;
  onChange: (project: Project) => void;
}

function Section({
  id,
  title,
  lead,
  children,
}: {
  id: string;
  title: string;
  lead?: string;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className={`${cardClass} p-5 sm:p-6`}>
      <h2 id={id} className="font-semibold text-lg text-slate-900 dark:text-white">
        {title}
      </h2>
      {lead && <p className="mt-1 max-w-3xl text-slate-700 text-sm dark:text-slate-300">{lead}</p>}
      <div className="mt-4">{children}</div>
    </section>
  );
}

/** Sends a request; 401 goes to sign in, other failures come back for the section to show. */
function useAction(locale: Locale) {
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ action: string; failure: ApiFailure } | null>(null);
  const run = async <T,>(
    action: string,
    method: "POST" | "PUT" | "PATCH" | "DELETE",
    path: string,
    body?: unknown,
  ): Promise<{ data: T } | null> => {
    setBusy(action);
    setFailure(null);
    const result = await apiRequest<T>(method, path, { body });
    setBusy(null);
    if (result.ok) return { data: result.data };
    if (isSignedOut(result.error)) redirectToSignIn(locale);
    else setFailure({ action, failure: result.error });
    return null;
  };
  return { busy, failure, setFailure, run };
}

export function ProjectSettingsTab(props: TabProps) {
  return (
    <div className="grid grid-cols-1 gap-6">
      <EndpointSection {...props} />
      <HmacSection {...props} />
      <WindowSection {...props} />
      <ApiKeySection {...props} />
      <DeleteSection {...props} />
    </div>
  );
}

function EndpointSection({ locale, project, format, onChange }: TabProps) {
  const { t } = useTranslation();
  const endpoint = project.endpoint;
  const [url, setUrl] = useState(endpoint.candidate ?? endpoint.active ?? "");
  const [invalid, setInvalid] = useState(false);
  const [outcome, setOutcome] = useState<"activated" | null>(null);
  const [testFailure, setTestFailure] = useState<{
    reason: string;
    message: string;
    httpStatus: number | null;
  } | null>(null);
  const { busy, failure, run } = useAction(locale);
  const [testing, setTesting] = useState(false);

  const withEndpoint = (view: EndpointView) => onChange({ ...project, endpoint: view });

  const testAndActivate = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(null);
    setTestFailure(null);
    if (!isHttpUrl(url)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    const trimmed = url.trim();
    if (trimmed !== (endpoint.candidate ?? endpoint.active)) {
      const saved = await run<{ endpoint: EndpointView }>(
        "save",
        "PUT",
        `/api/projects/${project.id}/endpoint`,
        {
          url: trimmed,
        },
      );
      if (!saved) return;
      withEndpoint(saved.data.endpoint);
    }
    setTesting(true);
    const result = await apiRequest<{ endpoint: EndpointView }>(
      "POST",
      `/api/projects/${project.id}/endpoint/test`,
    );
    setTesting(false);
    if (result.ok) {
      withEndpoint(result.data.endpoint);
      setOutcome("activated");
      return;
    }
    if (isSignedOut(result.error)) return redirectToSignIn(locale);
    const details = await detailsOf(project.id);
    if (details) withEndpoint(details);
    setTestFailure({
      reason: result.error.code,
      message: result.error.message,
      httpStatus: result.error.status,
    });
  };

  return (
    <Section
      id="endpoint-title"
      title={t("projects.settings.endpoint.title")}
      lead={t("projects.settings.endpoint.lead")}
    >
      <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
        <Fact label={t("projects.settings.endpoint.state")}>
          <EndpointStateBadge state={endpoint.state} />
        </Fact>
        <Fact label={t("projects.settings.endpoint.active")}>{endpoint.active ?? "—"}</Fact>
        <Fact label={t("projects.settings.endpoint.lastTested")}>
          {format.dateTime(endpoint.lastTestedAt)}
        </Fact>
        <Fact label={t("projects.settings.endpoint.lastVerified")}>
          {format.dateTime(endpoint.lastVerifiedAt)}
        </Fact>
        {endpoint.lastError && (
          <div className="sm:col-span-2">
            <dt className="text-slate-600 dark:text-slate-400">
              {t("projects.settings.endpoint.lastError")}
            </dt>
            <dd className="mt-0.5 font-medium text-red-800 dark:text-red-300">
              <code className="text-xs">{endpoint.lastError.code}</code> {endpoint.lastError.message}
            </dd>
          </div>
        )}
      </dl>
      <form noValidate onSubmit={testAndActivate} className="mt-5 grid gap-3">
        <TextField
          id="endpoint-url"
          type="url"
          inputMode="url"
          label={t("projects.settings.endpoint.url")}
          hint={t("projects.settings.endpoint.urlHint")}
          error={invalid ? t("projects.form.errors.endpointInvalid") : undefined}
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          autoComplete="off"
        />
        <div>
          <Button
            type="submit"
            busy={busy !== null || testing}
            busyLabel={t("projects.settings.endpoint.testing")}
          >
            {t("projects.settings.endpoint.test")}
          </Button>
        </div>
      </form>
      <div className="mt-3 grid gap-2">
        {outcome === "activated" && <Alert tone="success">{t("projects.settings.endpoint.activated")}</Alert>}
        {testFailure && (
          <Alert tone="error">
            {t("projects.settings.endpoint.testFailed")}{" "}
            {testFailure.message && <span className="break-words">({testFailure.message})</span>}
          </Alert>
        )}
        {failure && <Alert tone="error">{t(failureKey(failure.failure))}</Alert>}
      </div>
    </Section>
  );
}

async function detailsOf(projectId: string): Promise<EndpointView | null> {
  const result = await apiRequest<{ endpoint: EndpointView }>("GET", `/api/projects/${projectId}/endpoint`);
  return result.ok ? result.data.endpoint : null;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="mt-0.5 break-all font-medium text-slate-900 dark:text-slate-100">{children}</dd>
    </div>
  );
}

function HmacSection({ locale, project, format, onChange }: TabProps) {
  const { t } = useTranslation();
  const { busy, failure, run } = useAction(locale);
  const [secret, setSecret] = useState<string | null>(null);
  const [confirmDisable, setConfirmDisable] = useState(false);

  const act = async (action: "enable" | "rotate" | "disable") => {
    const result = await run<{ project: Project; secret?: string }>(
      action,
      "POST",
      `/api/projects/${project.id}/hmac/${action}`,
    );
    if (!result) return;
    onChange(result.data.project);
    setSecret(result.data.secret ?? null);
    setConfirmDisable(false);
  };

  return (
    <Section
      id="hmac-title"
      title={t("projects.settings.hmac.title")}
      lead={t("projects.settings.hmac.lead")}
    >
      <p className="font-medium text-sm">
        {project.hmac.enabled ? t("projects.settings.hmac.enabled") : t("projects.settings.hmac.disabled")}
      </p>
      {project.hmac.previousSecretValidUntil && (
        <p className="mt-1 text-slate-700 text-sm dark:text-slate-300">
          {t("projects.settings.hmac.previousValid", {
            time: format.dateTime(project.hmac.previousSecretValidUntil),
          })}
        </p>
      )}
      {secret && (
        <div className="mt-4">
          <SecretReveal
            title={t("projects.settings.hmac.secretTitle")}
            secret={secret}
            testId="hmac-secret"
            onDismiss={() => setSecret(null)}
          />
        </div>
      )}
      <div className="mt-4 flex flex-wrap gap-3">
        {!project.hmac.enabled && (
          <Button busy={busy === "enable"} onClick={() => void act("enable")}>
            {t("projects.settings.hmac.enable")}
          </Button>
        )}
        {project.hmac.enabled && (
          <>
            <Button variant="secondary" busy={busy === "rotate"} onClick={() => void act("rotate")}>
              {t("projects.settings.hmac.rotate")}
            </Button>
            {confirmDisable ? (
              <>
                <Button variant="danger" busy={busy === "disable"} onClick={() => void act("disable")}>
                  {t("projects.settings.hmac.confirmDisable")}
                </Button>
                <Button variant="secondary" onClick={() => setConfirmDisable(false)}>
                  {t("common.cancel")}
                </Button>
              </>
            ) : (
              <Button variant="danger" onClick={() => setConfirmDisable(true)}>
                {t("projects.settings.hmac.disable")}
              </Button>
            )}
          </>
        )}
      </div>
      {confirmDisable && (
        <p className="mt-2 text-slate-700 text-sm dark:text-slate-300">
          {t("projects.settings.hmac.disableWarning")}
        </p>
      )}
      {failure && (
        <div className="mt-3">
          <Alert tone="error">{t(failureKey(failure.failure))}</Alert>
        </div>
      )}
    </Section>
  );
}

function WindowSection({ locale, project, onChange }: TabProps) {
  const { t } = useTranslation();
  const { busy, failure, run } = useAction(locale);
  const [value, setValue] = useState(String(project.observationWindowMinutes));
  const [invalid, setInvalid] = useState(false);
  const [saved, setSaved] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const minutes = parseWindow(value);
    setInvalid(minutes === null);
    if (minutes === null) return;
    const result = await run<{ project: Project }>("save", "PATCH", `/api/projects/${project.id}`, {
      observationWindowMinutes: minutes,
    });
    if (result) {
      onChange(result.data.project);
      setSaved(true);
    }
  };

  return (
    <Section
      id="window-title"
      title={t("projects.settings.window.title")}
      lead={t("projects.settings.window.lead")}
    >
      <form noValidate onSubmit={save} className="flex flex-wrap items-end gap-3">
        <div className="w-40">
          <TextField
            id="window-minutes"
            type="number"
            inputMode="numeric"
            min={1}
            max={60}
            label={t("projects.settings.window.label")}
            error={invalid ? t("projects.form.errors.windowRange") : undefined}
            value={value}
            onChange={(event) => setValue(event.target.value)}
          />
        </div>
        <Button type="submit" variant="secondary" busy={busy === "save"} busyLabel={t("common.saving")}>
          {t("common.save")}
        </Button>
        <span role="status" className="text-emerald-800 text-sm dark:text-emerald-300">
          {saved ? t("common.saved") : ""}
        </span>
      </form>
      {failure && (
        <div className="mt-3">
          <Alert tone="error">{t(failureKey(failure.failure))}</Alert>
        </div>
      )}
    </Section>
  );
}

function ApiKeySection({ locale, project, onChange }: TabProps) {
  const { t } = useTranslation();
  const { busy, failure, run } = useAction(locale);
  const [confirming, setConfirming] = useState(false);
  const [apiKey, setApiKey] = useState<string | null>(null);

  const rotate = async () => {
    const result = await run<{ project: Project; apiKey: string }>(
      "rotate",
      "POST",
      `/api/projects/${project.id}/api-key/rotate`,
    );
    setConfirming(false);
    if (!result) return;
    onChange(result.data.project);
    setApiKey(result.data.apiKey);
  };

  return (
    <Section
      id="api-key-title"
      title={t("projects.settings.apiKey.title")}
      lead={t("projects.settings.apiKey.lead")}
    >
      <p className="text-sm">
        {t("projects.settings.apiKey.current")}{" "}
        <code className="rounded bg-slate-100 px-1.5 py-0.5 dark:bg-slate-800">{project.apiKeyPrefix}…</code>
      </p>
      {apiKey && (
        <div className="mt-4">
          <SecretReveal
            title={t("projects.settings.apiKey.newKey")}
            secret={apiKey}
            testId="api-key"
            onDismiss={() => setApiKey(null)}
          />
        </div>
      )}
      <div className="mt-4 flex flex-wrap gap-3">
        {confirming ? (
          <>
            <Button variant="danger" busy={busy === "rotate"} onClick={() => void rotate()}>
              {t("projects.settings.apiKey.confirm")}
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              {t("common.cancel")}
            </Button>
          </>
        ) : (
          <Button variant="secondary" onClick={() => setConfirming(true)}>
            {t("projects.settings.apiKey.rotate")}
          </Button>
        )}
      </div>
      {confirming && (
        <p className="mt-2 text-slate-700 text-sm dark:text-slate-300">
          {t("projects.settings.apiKey.warning")}
        </p>
      )}
      {failure && (
        <div className="mt-3">
          <Alert tone="error">{t(failureKey(failure.failure))}</Alert>
        </div>
      )}
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
    <Section
      id="delete-title"
      title={t("projects.settings.delete.title")}
      lead={t("projects.settings.delete.lead")}
    >
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
      {failure && (
        <div className="mt-3">
          <Alert tone="error">{t(failureKey(failure.failure))}</Alert>
        </div>
      )}
    </Section>
  );
}
