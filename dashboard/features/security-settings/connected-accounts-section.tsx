import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button, buttonClass } from "../../components/ui/button";
import { type Locale, localizedPath } from "../../i18n/locales";
import { apiRequest } from "../../lib/api-client";
import {
  loadOAuthProviders,
  type OAuthProvider,
  oauthProviders,
  oauthStartUrl,
  providerNames,
} from "../auth/oauth";
import { type Problem, problemForFailure } from "../auth/problems";
import { useProblemText } from "../auth/use-api-form";
import { SettingsSection } from "./settings-section";
import { useSessionGuard } from "./use-session-guard";

interface ConnectedAccountsSectionProps {
  locale: Locale;
  linkedProviders: string[];
  onLinkedChange: (providers: string[]) => void;
}

/**
 * GitHub and Google, when the server has them configured (or the account is already linked to
 * one). The section is last on the page: appearing late moves nothing above it.
 */
export function ConnectedAccountsSection({
  locale,
  linkedProviders,
  onLinkedChange,
}: ConnectedAccountsSectionProps) {
  const { t } = useTranslation();
  const text = useProblemText();
  const guard = useSessionGuard(locale);
  const [configured, setConfigured] = useState<OAuthProvider[] | null>(null);
  const [busy, setBusy] = useState<OAuthProvider | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    let active = true;
    void loadOAuthProviders().then((providers) => {
      if (active) setConfigured(providers);
    });
    return () => {
      active = false;
    };
  }, []);

  if (configured === null) return null;
  const shown = oauthProviders.filter(
    (provider) => configured.includes(provider) || linkedProviders.includes(provider),
  );
  if (shown.length === 0) return null;

  async function disconnect(provider: OAuthProvider) {
    setBusy(provider);
    setProblem(null);
    const result = await apiRequest("DELETE", `/api/auth/oauth/${provider}`);
    setBusy(null);
    if (result.ok) onLinkedChange(linkedProviders.filter((item) => item !== provider));
    else if (!guard(result.error)) setProblem(problemForFailure(result.error));
  }

  const returnTo = localizedPath(locale, "/settings/security/");
  return (
    <SettingsSection
      id="connected"
      title={t("security.connected.title")}
      description={t("security.connected.description")}
    >
      {problem && (
        <Alert tone="error" className="mb-4">
          {text(problem)}
        </Alert>
      )}
      <ul className="divide-y divide-slate-200 dark:divide-slate-800">
        {shown.map((provider) => {
          const linked = linkedProviders.includes(provider);
          const name = providerNames[provider];
          return (
            <li
              key={provider}
              className="flex flex-wrap items-center justify-between gap-3 py-3 first:pt-0 last:pb-0"
            >
              <p className="font-medium text-slate-900 dark:text-white">
                {name}{" "}
                <span className="font-normal text-slate-600 text-sm dark:text-slate-300">
                  · {linked ? t("security.connected.connected") : t("security.connected.notConnected")}
                </span>
              </p>
              {linked ? (
                <Button
                  variant="secondary"
                  busy={busy === provider}
                  busyLabel={t("auth.sending")}
                  onClick={() => void disconnect(provider)}
                >
                  {t("security.connected.disconnect", { provider: name })}
                </Button>
              ) : (
                <a href={oauthStartUrl(provider, "link", returnTo)} className={buttonClass.secondary}>
                  {t("security.connected.connect", { provider: name })}
                </a>
              )}
            </li>
          );
        })}
      </ul>
    </SettingsSection>
  );
}
