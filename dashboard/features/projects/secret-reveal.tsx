import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/button";
import { CopyButton } from "../../components/ui/copy-button";

/**
 * A secret the server returns once (API key, HMAC secret): shown here until dismissed, never
 * again. The page does not keep it anywhere else.
 */
export function SecretReveal({
  title,
  secret,
  body,
  testId,
  onDismiss,
}: {
  title: string;
  secret: string;
  body?: string;
  testId: string;
  onDismiss: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div
      role="status"
      className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50"
    >
      <p className="font-semibold">{title}</p>
      <p className="mt-1 text-sm">{body ?? t("projects.secret.once")}</p>
      <code
        data-testid={testId}
        className="mt-3 block select-all break-all rounded-md bg-white px-3 py-2 font-mono text-slate-900 text-sm dark:bg-slate-900 dark:text-slate-100"
      >
        {secret}
      </code>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <CopyButton
          text={secret}
          label={t("common.copy")}
          copiedLabel={t("common.copied")}
          failedLabel={t("common.copyFailed")}
        />
        <Button variant="secondary" onClick={onDismiss}>
          {t("projects.secret.saved")}
        </Button>
      </div>
    </div>
  );
}
