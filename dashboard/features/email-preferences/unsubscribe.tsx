import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { linkClass } from "../../components/ui/link";
import { IslandI18n, type IslandProps } from "../../i18n/island-provider";
import { type Locale, localizedPath } from "../../i18n/locales";
import { type ApiFailure, apiRequest } from "../../lib/api-client";
import { failureKey } from "../deployments/page-states";

export default function UnsubscribeIsland({ locale, messages }: IslandProps) {
  return (
    <IslandI18n locale={locale} messages={messages}>
      <Unsubscribe locale={locale} />
    </IslandI18n>
  );
}

type State =
  | { kind: "ready" }
  | { kind: "sending" }
  | { kind: "done"; category: "product" | "alerts" }
  | { kind: "invalid" }
  | { kind: "failed"; failure: ApiFailure };

/**
 * Opening the link changes nothing (mail scanners prefetch links): the person confirms with one
 * click, which posts the link's token.
 */
function Unsubscribe({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const [token, setToken] = useState<string | null | undefined>(undefined);
  const [state, setState] = useState<State>({ kind: "ready" });
  useEffect(() => setToken(new URLSearchParams(window.location.search).get("token")), []);

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!token || state.kind === "sending") return;
    setState({ kind: "sending" });
    const answer = await apiRequest<{ unsubscribed: "product" | "alerts" }>(
      "POST",
      "/api/email/unsubscribe",
      {
        body: { token },
      },
    );
    if (answer.ok) setState({ kind: "done", category: answer.data.unsubscribed });
    else if (answer.error.status === 400) setState({ kind: "invalid" });
    else setState({ kind: "failed", failure: answer.error });
  };

  const settings = (
    <a
      href={`${localizedPath(locale, "/settings/")}#email-preferences`}
      className={`${linkClass} mt-4 inline-block`}
    >
      {t("emailPreferences.unsubscribe.settingsLink")}
    </a>
  );

  if (token === null) {
    return (
      <>
        <Alert tone="info">{t("emailPreferences.unsubscribe.missing")}</Alert>
        {settings}
      </>
    );
  }
  if (state.kind === "done") {
    return (
      <>
        <Alert tone="success">
          {t(
            state.category === "alerts"
              ? "emailPreferences.unsubscribe.doneAlerts"
              : "emailPreferences.unsubscribe.doneProduct",
          )}
        </Alert>
        {settings}
      </>
    );
  }
  if (state.kind === "invalid") {
    return (
      <>
        <Alert tone="error">{t("emailPreferences.unsubscribe.invalid")}</Alert>
        {settings}
      </>
    );
  }
  return (
    <form noValidate onSubmit={confirm}>
      <Button
        type="submit"
        waiting={token === undefined}
        busy={state.kind === "sending"}
        busyLabel={t("emailPreferences.unsubscribe.sending")}
      >
        {t("emailPreferences.unsubscribe.confirm")}
      </Button>
      {state.kind === "failed" && (
        <div className="mt-3">
          <Alert tone="error">{t(failureKey(state.failure))}</Alert>
        </div>
      )}
    </form>
  );
}
