import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { islandOf } from "../../i18n/island-provider";
import { apiRequest } from "../../lib/api-client";
import type { User } from "../auth/api";
import { loadCurrentUser } from "../auth/current-user";

type Sent = "idle" | "sending" | "sent" | "already" | "failed" | "limited";

/**
 * For a signed-in user whose address is not verified yet: a line saying so and a button that
 * mails a new link. Nothing for anyone else (the page's own island handles signed-out visitors).
 */
function VerifyEmailNotice() {
  const { t } = useTranslation();
  const [user, setUser] = useState<User | null>(null);
  const [sent, setSent] = useState<Sent>("idle");

  useEffect(() => {
    void loadCurrentUser().then((state) => {
      if (state.kind === "signed-in") setUser(state.user);
    });
  }, []);

  async function resend() {
    if (sent === "sending") return;
    setSent("sending");
    const result = await apiRequest("POST", "/api/auth/email/verification");
    if (result.ok) setSent("sent");
    else if (result.error.code === "EMAIL_ALREADY_VERIFIED") setSent("already");
    else if (result.error.code === "RATE_LIMITED") setSent("limited");
    else setSent("failed");
  }

  if (!user || user.emailVerified) return null;
  if (sent === "sent") return <Alert tone="success">{t("accountEmail.notice.resent")}</Alert>;
  if (sent === "already") return <Alert tone="success">{t("accountEmail.notice.alreadyVerified")}</Alert>;
  return (
    <Alert tone="info">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <span>{t("accountEmail.notice.text", { email: user.email })}</span>
        <Button
          variant="secondary"
          onClick={resend}
          busy={sent === "sending"}
          busyLabel={t("accountEmail.sending")}
        >
          {t("accountEmail.notice.resend")}
        </Button>
      </div>
      {sent === "limited" && <p className="mt-2">{t("accountEmail.errors.RATE_LIMITED")}</p>}
      {sent === "failed" && <p className="mt-2">{t("accountEmail.errors.UNKNOWN")}</p>}
    </Alert>
  );
}

export default islandOf(VerifyEmailNotice);
