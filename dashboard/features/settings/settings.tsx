import { type FormEvent, useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { USER_NAME_MAX_LENGTH } from "../../../worker/lib/field-limits";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { linkClass } from "../../components/ui/link";
import { inputClass, labelClass, TextField } from "../../components/ui/text-field";
import { IslandI18n, type IslandProps } from "../../i18n/island-provider";
import { isLocale, type Locale, localeNames, locales, localizedPath } from "../../i18n/locales";
import { type ApiFailure, apiRequest } from "../../lib/api-client";
import type { User } from "../auth/api";
import { type CurrentUserState, loadCurrentUser } from "../auth/current-user";
import { cardClass, ErrorState, failureKey, Skeleton } from "../deployments/page-states";
import { EmailPreferencesSection } from "../email-preferences/email-preferences-section";
import { isSignedOut, redirectToSignIn, rememberSession } from "../session/session";
import { readThemeChoice, saveThemeChoice, type ThemeChoice, themeChoices } from "./theme";

export default function SettingsIsland({ locale, messages }: IslandProps) {
  return (
    <IslandI18n locale={locale} messages={messages}>
      <Settings locale={locale} />
    </IslandI18n>
  );
}

const sectionTitle = "font-semibold text-lg text-slate-900 dark:text-white";

function Settings({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const [state, setState] = useState<CurrentUserState>({ kind: "loading" });

  const load = async () => {
    setState({ kind: "loading" });
    const answer = await loadCurrentUser();
    if (answer.kind === "signed-out") return redirectToSignIn(locale);
    if (answer.kind === "signed-in") rememberSession(true);
    setState(answer);
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: once per page load
  useEffect(() => {
    void load();
  }, []);

  return (
    <div className="grid gap-6">
      {(state.kind === "loading" || state.kind === "signed-out") && (
        <Skeleton label={t("settings.loading")} blocks={["h-44", "h-40"]} />
      )}
      {state.kind === "error" && <ErrorState failure={state.error} onRetry={() => void load()} />}
      {state.kind === "signed-in" && (
        <>
          <ProfileSection
            locale={locale}
            user={state.user}
            onSaved={(user) => setState({ kind: "signed-in", user })}
          />
          <LanguageSection locale={locale} />
          <EmailPreferencesSection locale={locale} />
        </>
      )}
      <ThemeSection />
      <section aria-labelledby="security-title" className={`${cardClass} p-5 sm:p-6`}>
        <h2 id="security-title" className={sectionTitle}>
          {t("settings.security.title")}
        </h2>
        <p className="mt-1 text-slate-700 text-sm dark:text-slate-300">{t("settings.security.lead")}</p>
        <a href={localizedPath(locale, "/settings/security/")} className={`${linkClass} mt-3 inline-block`}>
          {t("settings.security.link")}
        </a>
      </section>
    </div>
  );
}

function ProfileSection({
  locale,
  user,
  onSaved,
}: {
  locale: Locale;
  user: User;
  onSaved: (user: User) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(user.name);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<{ kind: "saved" } | { kind: "failed"; failure: ApiFailure } | null>(
    null,
  );

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    setOutcome(null);
    const result = await apiRequest<{ user: User }>("PATCH", "/api/auth/me", { body: { name: name.trim() } });
    setSending(false);
    if (result.ok) {
      onSaved(result.data.user);
      setOutcome({ kind: "saved" });
    } else if (isSignedOut(result.error)) redirectToSignIn(locale);
    else setOutcome({ kind: "failed", failure: result.error });
  };

  return (
    <section aria-labelledby="profile-title" className={`${cardClass} p-5 sm:p-6`}>
      <h2 id="profile-title" className={sectionTitle}>
        {t("settings.profile.title")}
      </h2>
      <p className="mt-1 text-slate-700 text-sm dark:text-slate-300">
        {t("settings.profile.email", { email: user.email })}
      </p>
      <form noValidate onSubmit={save} className="mt-4 flex flex-wrap items-end gap-3">
        <div className="w-full max-w-sm">
          <TextField
            id="profile-name"
            label={t("settings.profile.name")}
            value={name}
            maxLength={USER_NAME_MAX_LENGTH}
            autoComplete="name"
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <Button type="submit" variant="secondary" busy={sending} busyLabel={t("common.saving")}>
          {t("common.save")}
        </Button>
        <span role="status" className="text-emerald-800 text-sm dark:text-emerald-300">
          {outcome?.kind === "saved" ? t("common.saved") : ""}
        </span>
      </form>
      {outcome?.kind === "failed" && (
        <div className="mt-3">
          <Alert tone="error">{t(failureKey(outcome.failure))}</Alert>
        </div>
      )}
    </section>
  );
}

function LanguageSection({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const id = useId();
  const [choice, setChoice] = useState<Locale>(locale);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    setFailure(null);
    const result = await apiRequest<{ user: User }>("PATCH", "/api/auth/me", { body: { locale: choice } });
    if (result.ok) {
      // The same page, in the new language.
      window.location.assign(localizedPath(choice, "/settings/"));
      return;
    }
    setSending(false);
    if (isSignedOut(result.error)) redirectToSignIn(locale);
    else setFailure(result.error);
  };

  return (
    <section aria-labelledby="language-title" className={`${cardClass} p-5 sm:p-6`}>
      <h2 id="language-title" className={sectionTitle}>
        {t("settings.language.title")}
      </h2>
      <p className="mt-1 text-slate-700 text-sm dark:text-slate-300">{t("settings.language.lead")}</p>
      <form noValidate onSubmit={save} className="mt-4 flex flex-wrap items-end gap-3">
        <div className="w-full max-w-xs">
          <label htmlFor={id} className={labelClass}>
            {t("settings.language.label")}
          </label>
          <select
            id={id}
            className={`mt-1.5 ${inputClass}`}
            value={choice}
            onChange={(event) => isLocale(event.target.value) && setChoice(event.target.value)}
          >
            {locales.map((code) => (
              <option key={code} value={code} lang={code}>
                {localeNames[code]}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" variant="secondary" busy={sending} busyLabel={t("common.saving")}>
          {t("settings.language.submit")}
        </Button>
      </form>
      {failure && (
        <div className="mt-3">
          <Alert tone="error">{t(failureKey(failure))}</Alert>
        </div>
      )}
    </section>
  );
}

function ThemeSection() {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<ThemeChoice | null>(null);
  useEffect(() => setChoice(readThemeChoice()), []);

  return (
    <section aria-labelledby="theme-title" className={`${cardClass} p-5 sm:p-6`}>
      <fieldset>
        <legend id="theme-title" className={sectionTitle}>
          {t("settings.theme.title")}
        </legend>
        <p className="mt-1 text-slate-700 text-sm dark:text-slate-300">{t("settings.theme.lead")}</p>
        <div className="mt-4 flex flex-wrap gap-3">
          {themeChoices.map((option) => (
            <label
              key={option}
              className="flex cursor-pointer items-center gap-2 rounded-md border border-slate-300 px-3 py-2 text-sm has-checked:border-sky-700 has-checked:bg-sky-50 has-focus-visible:outline-2 has-focus-visible:outline-sky-600 dark:border-slate-600 dark:has-checked:border-sky-400 dark:has-checked:bg-sky-950"
            >
              <input
                type="radio"
                name="theme"
                value={option}
                checked={choice === option}
                disabled={choice === null}
                onChange={() => {
                  setChoice(option);
                  saveThemeChoice(option);
                }}
                className="accent-sky-700"
              />
              {t(`settings.theme.${option}`)}
            </label>
          ))}
        </div>
      </fieldset>
    </section>
  );
}
