// The metrics endpoint. A changed URL is saved as the candidate first; collection keeps using the
// active URL until a test of the candidate succeeds (worker/features/projects/routes.ts).
import { type FormEvent, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { TextField } from "../../components/ui/text-field";
import { apiRequest } from "../../lib/api-client";
import type { EndpointView } from "../deployments/api-types";
import { failureKey } from "../deployments/page-states";
import { isSignedOut, redirectToSignIn } from "../session/session";
import { EndpointStateBadge } from "./endpoint-state";
import { isHttpUrl } from "./project-form";
import { Section, type TabProps, useAction } from "./settings-section";

export function EndpointSection({ locale, project, format, onChange }: TabProps) {
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
    <Section id="endpoint-title" name="endpoint">
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
