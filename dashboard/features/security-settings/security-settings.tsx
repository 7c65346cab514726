import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { IslandI18n, type IslandProps } from "../../i18n/island-provider";
import type { Locale } from "../../i18n/locales";
import type { User } from "../auth/api";
import { type CurrentUserState, loadCurrentUser } from "../auth/current-user";
import { signInUrl } from "../auth/next-path";
import { problemForFailure } from "../auth/problems";
import { useProblemText } from "../auth/use-api-form";
import { ConnectedAccountsSection } from "./connected-accounts-section";
import { PasswordSection } from "./password-section";
import { SessionsSection } from "./sessions-section";
import { TokensSection } from "./tokens-section";
import { TwoFactorSection } from "./two-factor-section";

export default function SecuritySettingsIsland({ locale, messages }: IslandProps) {
  return (
    <IslandI18n locale={locale} messages={messages}>
      <SecuritySettings locale={locale} />
    </IslandI18n>
  );
}

/**
 * Nothing about the account is on the page until `/api/auth/me` answers: signed-out visitors
 * are sent to sign in (and back here afterwards) without seeing any of it.
 */
function SecuritySettings({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const text = useProblemText();
  const [state, setState] = useState<CurrentUserState>({ kind: "loading" });
  const [sessionsVersion, setSessionsVersion] = useState(0);

  const load = useCallback(async () => {
    setState({ kind: "loading" });
    const answer = await loadCurrentUser();
    if (answer.kind === "signed-out") {
      window.location.replace(signInUrl(locale, `${window.location.pathname}${window.location.search}`));
      return;
    }
    setState(answer);
  }, [locale]);

  useEffect(() => {
    void load();
  }, [load]);

  const updateUser = useCallback((change: Partial<User>) => {
    setState((previous) =>
      previous.kind === "signed-in" ? { kind: "signed-in", user: { ...previous.user, ...change } } : previous,
    );
  }, []);

  if (state.kind === "loading" || state.kind === "signed-out") {
    return (
      <div className="min-h-[48rem]">
        <p role="status" className="sr-only">
          {t("security.loading")}
        </p>
        <div aria-hidden="true" className="grid gap-6">
          {["h-56", "h-80", "h-48"].map((height) => (
            <div
              key={height}
              className={`rounded-xl border border-slate-200 bg-white motion-safe:animate-pulse dark:border-slate-800 dark:bg-slate-900 ${height}`}
            />
          ))}
        </div>
      </div>
    );
  }

  if (state.kind === "error") {
    return (
      <div className="grid justify-items-start gap-4">
        <Alert tone="error">
          {t("security.loadFailed")} {text(problemForFailure(state.error))}
        </Alert>
        <Button variant="secondary" onClick={() => void load()}>
          {t("security.retry")}
        </Button>
      </div>
    );
  }

  const { user } = state;
  return (
    <div className="grid gap-6">
      <TwoFactorSection
        user={user}
        locale={locale}
        onEnabledChange={(twoFactorEnabled) => updateUser({ twoFactorEnabled })}
      />
      <SessionsSection locale={locale} reloadKey={sessionsVersion} />
      {/* A password change ends the other sessions and revokes every token: both lists reload. */}
      <TokensSection locale={locale} reloadKey={sessionsVersion} />
      <PasswordSection
        locale={locale}
        email={user.email}
        hasPassword={user.hasPassword}
        onChanged={() => {
          updateUser({ hasPassword: true });
          setSessionsVersion((version) => version + 1);
        }}
      />
      <ConnectedAccountsSection
        locale={locale}
        linkedProviders={user.linkedProviders}
        onLinkedChange={(linkedProviders) => updateUser({ linkedProviders })}
      />
    </div>
  );
}
