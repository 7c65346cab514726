import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { linkClass } from "../../components/ui/link";
import { islandOf } from "../../i18n/island-provider";
import { type Locale, localizedPath } from "../../i18n/locales";
import { apiRequest } from "../../lib/api-client";
import { useHydrated } from "../auth/use-api-form";
import { linkErrorKey, useLinkToken } from "./link-token";

/**
 * Verifies the address with the mailed link's token, on a click: opening the page changes
 * nothing (mail scanners open links too).
 */
function VerifyEmailForm({ locale }: { locale: Locale }) {
  const { t } = useTranslation();
  const hydrated = useHydrated();
  const token = useLinkToken();
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<ReturnType<typeof linkErrorKey> | null>(null);
  const [done, setDone] = useState(false);

  async function confirm() {
    if (!token || sending) return;
    setSending(true);
    setError(null);
    const result = await apiRequest("POST", "/api/auth/email/verify", { body: { token } });
    setSending(false);
    if (result.ok) setDone(true);
    else setError(linkErrorKey(result.error));
  }

  const home = (
    <p className="mt-6">
      <a href={localizedPath(locale, "/")} className={linkClass}>
        {t("accountEmail.verify.continue")}
      </a>
    </p>
  );
  if (done) {
    return (
      <>
        <Alert tone="success">{t("accountEmail.verify.done")}</Alert>
        {home}
      </>
    );
  }
  if (token === null) return <Alert tone="error">{t("accountEmail.verify.missing")}</Alert>;
  return (
    <div className="grid gap-5">
      {error && <Alert tone="error">{t(error)}</Alert>}
      <Button
        type="button"
        onClick={confirm}
        waiting={!hydrated || token === undefined}
        busy={sending}
        busyLabel={t("accountEmail.sending")}
      >
        {t("accountEmail.verify.submit")}
      </Button>
      {error && home}
    </div>
  );
}

export default islandOf(VerifyEmailForm);
