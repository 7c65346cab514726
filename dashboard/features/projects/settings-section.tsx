// Shared by the settings tab's sections. Each section calls useAction (or useProjectSave) for
// itself: its busy state and failure are its own, so a failure shows beside the action that
// caused it.
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button, type ButtonVariant } from "../../components/ui/button";
import type { Locale } from "../../i18n/locales";
import { type ApiFailure, apiRequest } from "../../lib/api-client";
import type { Project } from "../deployments/api-types";
import type { Formatters } from "../deployments/format";
import { cardClass, failureKey } from "../deployments/page-states";
import { isSignedOut, redirectToSignIn } from "../session/session";
import { SecretReveal } from "./secret-reveal";

export interface TabProps {
  locale: Locale;
  project: Project;
  format: Formatters;
  onChange: (project: Project) => void;
}

/** The settings tab's sections; each has `projects.settings.<name>.title` and `.lead`. */
type SectionName = "details" | "endpoint" | "hmac" | "webhooks" | "window" | "verdicts" | "apiKey" | "delete";

export function Section({
  id,
  name,
  failure = null,
  children,
}: {
  id: string;
  name: SectionName;
  /** The failure of the section's last action, shown under its content. */
  failure?: { failure: ApiFailure } | null;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={id} className={`${cardClass} p-5 sm:p-6`}>
      <h2 id={id} className="font-semibold text-lg text-slate-900 dark:text-white">
        {t(`projects.settings.${name}.title`)}
      </h2>
      <p className="mt-1 max-w-3xl text-slate-700 text-sm dark:text-slate-300">
        {t(`projects.settings.${name}.lead`)}
      </p>
      <div className="mt-4">
        {children}
        <ActionFailure failure={failure} />
      </div>
    </section>
  );
}

/** Sends a request; 401 goes to sign in, other failures come back for the section to show. */
export function useAction(locale: Locale) {
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

/**
 * A section's form saved with `PATCH /api/projects/:id`. `saved` says the last save succeeded
 * and nothing was edited since (an edit calls `edited`); `refused` names the fields the API
 * refused in the last failure (the first segment of its field path).
 */
export function useProjectSave({
  locale,
  project,
  onChange,
}: Pick<TabProps, "locale" | "project" | "onChange">) {
  const { busy, failure, run } = useAction(locale);
  const [saved, setSaved] = useState(false);

  /** The saved project, or null when the save failed (the failure is then in `failure`). */
  const save = async (body: unknown): Promise<Project | null> => {
    setSaved(false);
    const result = await run<{ project: Project }>("save", "PATCH", `/api/projects/${project.id}`, body);
    if (!result) return null;
    onChange(result.data.project);
    setSaved(true);
    return result.data.project;
  };

  const refused = new Set(failure?.failure.fields.map((item) => item.field.split(".")[0]) ?? []);
  return { busy, failure, run, save, saving: busy === "save", saved, edited: () => setSaved(false), refused };
}

/** The submit button of a section's form, named for what it saves. */
export function SaveButton({ saving, children }: { saving: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Button type="submit" variant="secondary" busy={saving} busyLabel={t("common.saving")}>
      {children}
    </Button>
  );
}

/** "Saved", announced politely beside the save button, until the next edit. */
export function SavedStatus({ saved }: { saved: boolean }) {
  const { t } = useTranslation();
  return (
    <span role="status" className="text-emerald-800 text-sm dark:text-emerald-300">
      {saved ? t("common.saved") : ""}
    </span>
  );
}

/** The failure of a section's last action, under the section's content. */
function ActionFailure({ failure }: { failure: { failure: ApiFailure } | null }) {
  const { t } = useTranslation();
  if (!failure) return null;
  return (
    <div className="mt-3">
      <Alert tone="error">{t(failureKey(failure.failure))}</Alert>
    </div>
  );
}

/**
 * An action asked twice: the first press shows the confirming button and "Cancel" in its place
 * (the section shows its warning meanwhile).
 */
export function ConfirmButtons({
  confirming,
  onConfirming,
  label,
  confirmLabel,
  askVariant = "secondary",
  busy,
  onConfirm,
}: {
  confirming: boolean;
  onConfirming: (confirming: boolean) => void;
  label: string;
  confirmLabel: string;
  /** The first button's look; the confirming one is always "danger". */
  askVariant?: ButtonVariant;
  busy: boolean;
  onConfirm: () => void;
}) {
  const { t } = useTranslation();
  if (!confirming) {
    return (
      <Button variant={askVariant} onClick={() => onConfirming(true)}>
        {label}
      </Button>
    );
  }
  return (
    <>
      <Button variant="danger" busy={busy} onClick={onConfirm}>
        {confirmLabel}
      </Button>
      <Button variant="secondary" onClick={() => onConfirming(false)}>
        {t("common.cancel")}
      </Button>
    </>
  );
}

/** What a confirmed action will do, under the buttons while it is asked. */
export function ConfirmWarning({ confirming, children }: { confirming: boolean; children: ReactNode }) {
  if (!confirming) return null;
  return <p className="mt-2 text-slate-700 text-sm dark:text-slate-300">{children}</p>;
}

/** A secret an action returned (HMAC secret, API key), kept until the user dismisses it. */
export function useRevealedSecret() {
  const [secret, setSecret] = useState<string | null>(null);
  return { secret, show: setSecret, dismiss: () => setSecret(null) };
}

/** The revealed secret, shown once under the section's facts; nothing when there is none. */
export function RevealedSecret({
  title,
  testId,
  revealed,
}: {
  title: string;
  testId: string;
  revealed: ReturnType<typeof useRevealedSecret>;
}) {
  if (!revealed.secret) return null;
  return (
    <div className="mt-4">
      <SecretReveal title={title} secret={revealed.secret} testId={testId} onDismiss={revealed.dismiss} />
    </div>
  );
}
