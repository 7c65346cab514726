// HMAC signing of the metrics requests. Enable and rotate return the secret once; after a rotation
// the previous secret stays valid for a grace period, so the application can switch over. Disable
// drops both secrets, hence the confirmation.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/button";
import type { Project } from "../deployments/api-types";
import { SecretReveal } from "./secret-reveal";
import { ConfirmButtons, ConfirmWarning, Section, type TabProps, useAction } from "./settings-section";

export function HmacSection({ locale, project, format, onChange }: TabProps) {
  const { t } = useTranslation();
  const { busy, failure, run } = useAction(locale);
  const [secret, setSecret] = useState<string | null>(null);
  const [confirmDisable, setConfirmDisable] = useState(false);

  const act = async (action: "enable" | "rotate" | "disable") => {
    const result = await run<{ project: Project; secret?: string }>(
      action,
      "POST",
      `/api/projects/${project.id}/hmac/${action}`,
    );
    if (!result) return;
    onChange(result.data.project);
    setSecret(result.data.secret ?? null);
    setConfirmDisable(false);
  };

  return (
    <Section id="hmac-title" name="hmac" failure={failure}>
      <p className="font-medium text-sm">
        {project.hmac.enabled ? t("projects.settings.hmac.enabled") : t("projects.settings.hmac.disabled")}
      </p>
      {project.hmac.previousSecretValidUntil && (
        <p className="mt-1 text-slate-700 text-sm dark:text-slate-300">
          {t("projects.settings.hmac.previousValid", {
            time: format.dateTime(project.hmac.previousSecretValidUntil),
          })}
        </p>
      )}
      {secret && (
        <div className="mt-4">
          <SecretReveal
            title={t("projects.settings.hmac.secretTitle")}
            secret={secret}
            testId="hmac-secret"
            onDismiss={() => setSecret(null)}
          />
        </div>
      )}
      <div className="mt-4 flex flex-wrap gap-3">
        {!project.hmac.enabled && (
          <Button busy={busy === "enable"} onClick={() => void act("enable")}>
            {t("projects.settings.hmac.enable")}
          </Button>
        )}
        {project.hmac.enabled && (
          <>
            <Button variant="secondary" busy={busy === "rotate"} onClick={() => void act("rotate")}>
              {t("projects.settings.hmac.rotate")}
            </Button>
            <ConfirmButtons
              confirming={confirmDisable}
              onConfirming={setConfirmDisable}
              label={t("projects.settings.hmac.disable")}
              confirmLabel={t("projects.settings.hmac.confirmDisable")}
              askVariant="danger"
              busy={busy === "disable"}
              onConfirm={() => void act("disable")}
            />
          </>
        )}
      </div>
      <ConfirmWarning confirming={confirmDisable}>
        {t("projects.settings.hmac.disableWarning")}
      </ConfirmWarning>
    </Section>
  );
}
