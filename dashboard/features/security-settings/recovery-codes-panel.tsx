import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/button";
import { ShownOnce } from "../../components/ui/shown-once";
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
  const file = recoveryCodesFile(t("security.recoveryCodes.fileHeader", { email }), codes);
  return (
    <ShownOnce
      panelTestId="recovery-codes"
      title={t("security.recoveryCodes.title")}
      warning={t("security.recoveryCodes.warning")}
      secret={codes.join("\n")}
      copyLabels={{
        label: t("security.recoveryCodes.copy"),
        copiedLabel: t("security.recoveryCodes.copied"),
        failedLabel: t("security.recoveryCodes.copyFailed"),
      }}
      actions={
        <Button variant="secondary" onClick={() => download("seqpulse-recovery-codes.txt", file)}>
          {t("security.recoveryCodes.download")}
        </Button>
      }
      doneLabel={t("security.recoveryCodes.done")}
      onDone={onDone}
    >
      <ol className="mt-4 grid grid-cols-2 gap-x-6 gap-y-2 rounded-lg bg-slate-100 p-4 font-mono text-slate-900 text-sm sm:grid-cols-5 dark:bg-slate-800 dark:text-slate-100">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
    </ShownOnce>
  );
}
