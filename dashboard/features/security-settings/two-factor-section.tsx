import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import type { Locale } from "../../i18n/locales";
import { apiRequest } from "../../lib/api-client";
import type { TwoFactorSetup, TwoFactorStatus, User } from "../auth/api";
import { type Problem, problemForFailure } from "../auth/problems";
import { useProblemText } from "../auth/use-api-form";
import { RecoveryCodesPanel } from "./recovery-codes-panel";
import { SectionSkeleton, SettingsSection } from "./settings-section";
import { DisableForm, RegenerateCodesForm, SetupPanel, StartSetupButton } from "./two-factor-forms";
import { useSessionGuard } from "./use-session-guard";

interface TwoFactorSectionProps {
  user: User;
  locale: Locale;
  onEnabledChange: (enabled: boolean) => void;
}

type Status =
  | { kind: "loading" }
  | { kind: "ready"; status: TwoFactorStatus }
  | { kind: "error"; problem: Problem };

export function TwoFactorSection({ user, locale, onEnabledChange }: TwoFactorSectionProps) {
  const { t } = useTranslation();
  const text = useProblemText();
  const guard = useSessionGuard(locale);
  const [status, setStatus] = useState<Status>({ kind: "loading" });
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [notice, setNotice] = useState<"enabled" | "disabled" | null>(null);

  const load = useCallback(async () => {
    setStatus({ kind: "loading" });
    const result = await apiRequest<TwoFactorStatus>("GET", "/api/auth/2fa");
    if (result.ok) setStatus({ kind: "ready", status: result.data });
    else if (!guard(result.error)) setStatus({ kind: "error", problem: problemForFailure(result.error) });
  }, [guard]);

  useEffect(() => {
    void load();
  }, [load]);

  const enabled = status.kind === "ready" && status.status.enabled;
  const showCodes = (fresh: string[]) => {
    setCodes(fresh);
    setStatus({ kind: "ready", status: { enabled: true, recoveryCodesRemaining: fresh.length } });
  };

  let body: React.ReactNode;
  if (status.kind === "loading") {
    body = <SectionSkeleton rows={1} />;
  } else if (status.kind === "error") {
    body = (
      <div className="grid justify-items-start gap-3">
        <Alert tone="error">{text(status.problem)}</Alert>
        <Button variant="secondary" onClick={() => void load()}>
          {t("security.retry")}
        </Button>
      </div>
    );
  } else if (codes) {
    body = <RecoveryCodesPanel codes={codes} email={user.email} onDone={() => setCodes(null)} />;
  } else if (status.status.enabled) {
    body = (
      <div className="grid gap-8">
        {notice === "enabled" && <Alert tone="success">{t("security.twoFactor.enabled")}</Alert>}
        <p className="text-slate-700 text-sm dark:text-slate-300">
          {t("security.twoFactor.remaining", { number: status.status.recoveryCodesRemaining })}
        </p>
        <RegenerateCodesForm onCodes={setCodes} guard={guard} />
        <DisableForm
          needsPassword={user.hasPassword}
          guard={guard}
          onDisabled={() => {
            setStatus({ kind: "ready", status: { enabled: false, recoveryCodesRemaining: 0 } });
            setNotice("disabled");
            onEnabledChange(false);
          }}
        />
      </div>
    );
  } else if (setup) {
    body = (
      <SetupPanel
        setup={setup}
        guard={guard}
        onCancel={() => setSetup(null)}
        onEnabled={(fresh) => {
          setSetup(null);
          setNotice("enabled");
          showCodes(fresh);
          onEnabledChange(true);
        }}
      />
    );
  } else {
    body = (
      <div className="grid justify-items-start gap-4">
        {notice === "disabled" && <Alert tone="success">{t("security.twoFactor.disabled")}</Alert>}
        <StartSetupButton onSetup={setSetup} guard={guard} />
      </div>
    );
  }

  return (
    <SettingsSection
      id="two-factor"
      title={t("security.twoFactor.title")}
      description={t("security.twoFactor.description")}
      aside={
        status.kind === "ready" && (
          <span
            className={`rounded-full px-2.5 py-1 font-medium text-xs ${
              enabled
                ? "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
                : "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200"
            }`}
            data-testid="two-factor-status"
          >
            {enabled ? t("security.twoFactor.statusOn") : t("security.twoFactor.statusOff")}
          </span>
        )
      }
    >
      {body}
    </SettingsSection>
  );
}
