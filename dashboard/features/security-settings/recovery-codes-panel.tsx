import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { CopyButton } from "../../components/ui/copy-button";
import { recoveryCodesFile } from "./format";

interface RecoveryCodesPanelProps {
  codes: readonly string[];
  email: string;
  onDone: () => void;
}

function download(fileName: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type: "text/plain;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** New recovery codes, shown once: the server keeps only their hashes. */
export function RecoveryCodesPanel({ codes, email, onDone }: RecoveryCodesPanelProps) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const file = recoveryCodesFile(t("security.recoveryCodes.fileHeader", { email }), codes);

  // The codes replace the form the user just sent: take their focus to the new content.
  useEffect(() => heading.current?.focus(), []);

  return (
    <section aria-labelledby="recovery-codes-title" data-testid="recovery-codes">
      <h3
        id="recovery-codes-title"
        ref={heading}
        tabIndex={-1}
        className="font-semibold text-slate-900 focus:outline-none dark:text-white"
      >
        {t("security.recoveryCodes.title")}
      </h3>
      <Alert tone="info" className="mt-3">
        {t("security.recoveryCodes.warning")}
      </Alert>
      <ol className="mt-4 grid grid-cols-2 gap-x-6 gap-y-2 rounded-lg bg-slate-100 p-4 font-mono text-slate-900 text-sm sm:grid-cols-5 dark:bg-slate-800 dark:text-slate-100">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <CopyButton
          text={codes.join("\n")}
          label={t("security.recoveryCodes.copy")}
          copiedLabel={t("security.recoveryCodes.copied")}
          failedLabel={t("security.recoveryCodes.copyFailed")}
        />
        <Button variant="secondary" onClick={() => download("seqpulse-recovery-codes.txt", file)}>
          {t("security.recoveryCodes.download")}
        </Button>
        <Button onClick={onDone}>{t("security.recoveryCodes.done")}</Button>
      </div>
    </section>
  );
}
