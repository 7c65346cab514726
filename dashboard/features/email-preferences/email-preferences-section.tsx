import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import type { Locale } from "../../i18n/locales";
import { type ApiFailure, apiRequest } from "../../lib/api-client";
import { cardClass, failureKey, Skeleton } from "../deployments/page-states";
import { isSignedOut, redirectToSignIn } from "../session/session";

interface Preferences {
  product: boolean;
  alerts: boolean;
}

const switches = ["product", "alerts"] as const;

/**
 * The settings page's email section: one switch per category of non-essential mail, saved as
 * soon as it changes. `#email-preferences` is the target of the link at the foot of every mail.
 */
export function EmailPreferencesSection({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const [preferences, setPreferences] = useState<Preferences | null>(null);
  const [saving, setSaving] = useState<keyof Preferences | null>(null);
  const [outcome, setOutcome] = useState<{ kind: "saved" } | { kind: "failed"; failure: ApiFailure } | null>(
    null,
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: once per page load
  useEffect(() => {
    void (async () => {
      const answer = await apiRequest<{ preferences: Preferences }>("GET", "/api/account/email-preferences");
      if (answer.ok) setPreferences(answer.data.preferences);
      else if (isSignedOut(answer.error)) redirectToSignIn(locale);
      else setOutcome({ kind: "failed", failure: answer.error });
    })();
  }, []);

  const change = async (name: keyof Preferences, value: boolean) => {
    const before = preferences;
    // Shown at once; put back if the change is refused.
    if (before) setPreferences({ ...before, [name]: value });
    setSaving(name);
    setOutcome(null);
    const answer = await apiRequest<{ preferences: Preferences }>("PUT", "/api/account/email-preferences", {
      body: { [name]: value },
    });
    setSaving(null);
    if (answer.ok) {
      setPreferences(answer.data.preferences);
      setOutcome({ kind: "saved" });
      return;
    }
    setPreferences(before);
    if (isSignedOut(answer.error)) redirectToSignIn(locale);
    else setOutcome({ kind: "failed", failure: answer.error });
  };

  return (
    <section
      id="email-preferences"
      aria-labelledby="email-preferences-title"
      className={`${cardClass} p-5 sm:p-6`}
    >
      <fieldset>
        <legend id="email-preferences-title" className="font-semibold text-lg text-slate-900 dark:text-white">
          {t("emailPreferences.section.title")}
        </legend>
        <p className="mt-1 text-slate-700 text-sm dark:text-slate-300">
          {t("emailPreferences.section.lead")}
        </p>
        {preferences === null && outcome?.kind !== "failed" && (
          <div className="mt-4">
            <Skeleton label={t("emailPreferences.section.loading")} blocks={["h-16"]} />
          </div>
        )}
        {preferences !== null && (
          <div className="mt-4 grid gap-3">
            {switches.map((name) => (
              <label key={name} className="flex cursor-pointer items-start gap-3">
                <input
                  type="checkbox"
                  name={name}
                  checked={preferences[name]}
                  disabled={saving !== null}
                  onChange={(event) => void change(name, event.target.checked)}
                  className="mt-1 size-4 accent-sky-700"
                />
                <span>
                  <span className="block font-medium text-slate-900 text-sm dark:text-white">
                    {t(`emailPreferences.section.${name}`)}
                  </span>
                  <span className="block text-slate-700 text-sm dark:text-slate-300">
                    {t(`emailPreferences.section.${name}Hint`)}
                  </span>
                </span>
              </label>
            ))}
          </div>
        )}
        <p role="status" className="mt-2 min-h-5 text-emerald-800 text-sm dark:text-emerald-300">
          {outcome?.kind === "saved" ? t("common.saved") : ""}
        </p>
        {outcome?.kind === "failed" && <Alert tone="error">{t(failureKey(outcome.failure))}</Alert>}
      </fieldset>
    </section>
  );
}
