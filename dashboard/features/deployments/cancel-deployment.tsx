// Ends a deployment stuck in `running` (its pipeline will never call finish), after a confirm
// step: sampling stops, no verdict, and the environment takes the next trigger at once.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import type { Locale } from "../../i18n/locales";
import { type ApiFailure, apiRequest } from "../../lib/api-client";
import { isSignedOut, redirectToSignIn } from "../session/session";
import type { DeploymentDetail } from "./api-types";
import { failureKey } from "./page-states";

export function CancelDeployment({
  deployment,
  locale,
  onCancelled,
}: {
  deployment: Pick<DeploymentDetail, "id" | "number" | "env" | "state">;
  locale: Locale;
  onCancelled: () => void;
}) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  if (deployment.state !== "running") return null;

  const cancel = async () => {
    setBusy(true);
    setFailure(null);
    const result = await apiRequest("POST", `/api/deployments/${deployment.id}/cancel`);
    setBusy(false);
    if (result.ok) {
      setConfirming(false);
      onCancelled();
    } else if (isSignedOut(result.error)) redirectToSignIn(locale);
    else setFailure(result.error);
  };

  return (
    <div className="mt-4" data-testid="cancel-deployment">
      {confirming ? (
        <div className="rounded-md border border-slate-300 bg-white p-4 dark:border-slate-600 dark:bg-slate-900">
          <p id="cancel-question" className="text-slate-800 text-sm dark:text-slate-200">
            {t("deployments.cancel.confirmQuestion", { number: deployment.number, env: deployment.env })}
          </p>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button
              variant="danger"
              busy={busy}
              busyLabel={t("deployments.cancel.busy")}
              aria-describedby="cancel-question"
              onClick={() => void cancel()}
            >
              {t("deployments.cancel.confirm")}
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)} disabled={busy}>
              {t("deployments.cancel.keep")}
            </Button>
          </div>
        </div>
      ) : (
        <>
          <p className="text-slate-700 text-sm dark:text-slate-300">
            {t("deployments.cancel.lead", { env: deployment.env })}
          </p>
          <Button variant="danger" className="mt-2" onClick={() => setConfirming(true)}>
            {t("deployments.cancel.button")}
          </Button>
        </>
      )}
      {failure && (
        <Alert tone="error" className="mt-3">
          {failure.code === "DEPLOYMENT_NOT_CANCELLABLE"
            ? t("deployments.cancel.notCancellable")
            : t(failureKey(failure))}
        </Alert>
      )}
    </div>
  );
}
