import { useTranslation } from "react-i18next";
import { ShownOnce } from "../../components/ui/shown-once";

/** A project's API key or HMAC secret, which the server returns once. */
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
    <ShownOnce
      look="notice"
      title={title}
      warning={body ?? t("projects.secret.once")}
      secret={secret}
      testId={testId}
      doneLabel={t("projects.secret.saved")}
      onDone={onDismiss}
    />
  );
}
