import { useTranslation } from "react-i18next";
import { CopyButton } from "../../components/ui/copy-button";

/** A snippet to copy: its file name, the text (scrollable, reachable by keyboard) and a copy button. */
export function CodeBlock({ title, code, testId }: { title: string; code: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <figure className="overflow-hidden rounded-xl border border-slate-200 dark:border-slate-700">
      <figcaption className="flex flex-wrap items-center justify-between gap-2 border-slate-200 border-b bg-slate-50 px-4 py-2 dark:border-slate-700 dark:bg-slate-800">
        <span className="font-medium font-mono text-slate-700 text-xs dark:text-slate-200">{title}</span>
        <CopyButton
          text={code}
          label={t("common.copy")}
          copiedLabel={t("common.copied")}
          failedLabel={t("common.copyFailed")}
        />
      </figcaption>
      <pre
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable block must be reachable by keyboard
        tabIndex={0}
        className="max-h-[28rem] overflow-auto bg-slate-950 p-4 text-slate-100 text-xs leading-relaxed focus-visible:outline-2 focus-visible:outline-sky-400 focus-visible:-outline-offset-2"
      >
        <code data-testid={testId}>{code}</code>
      </pre>
    </figure>
  );
}
