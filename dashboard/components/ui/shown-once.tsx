import { type ReactNode, useEffect, useId, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Alert } from "./alert";
import { Button } from "./button";
import { CopyButton } from "./copy-button";

interface ShownOnceProps {
  /**
   * `notice`: a highlighted box among other settings, announced as it appears. `section`: a
   * titled section that replaces the form which asked for the secret, so it takes that form's
   * focus.
   */
  look?: "notice" | "section";
  title: string;
  /** Says the secret will not be shown again. */
  warning: string;
  /** What the copy button copies. */
  secret: string;
  /** The copy button's texts; "Copy", "Copied" and "Could not copy" unless given. */
  copyLabels?: { label: string; copiedLabel: string; failedLabel: string };
  doneLabel: string;
  onDone: () => void;
  /** On the element that shows the secret. */
  testId?: string;
  /** On the whole panel. */
  panelTestId?: string;
  /** Shows the secret some other way than as one line of code (a list of recovery codes). */
  children?: ReactNode;
  /** More actions, between "copy" and "done". */
  actions?: ReactNode;
}

const codeClass = {
  notice:
    "mt-3 block select-all break-all rounded-md bg-white px-3 py-2 font-mono text-slate-900 text-sm dark:bg-slate-900 dark:text-slate-100",
  section:
    "mt-3 block break-all rounded-md bg-slate-100 px-3 py-2 font-mono text-slate-900 text-sm dark:bg-slate-800 dark:text-slate-100",
};

/**
 * A secret the server returns once (API key, HMAC secret, API token, recovery codes): shown here
 * until dismissed, never again. The page keeps it nowhere else.
 */
export function ShownOnce({
  look = "section",
  title,
  warning,
  secret,
  copyLabels,
  doneLabel,
  onDone,
  testId,
  panelTestId,
  children,
  actions,
}: ShownOnceProps) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  useEffect(() => {
    if (look === "section") heading.current?.focus();
  }, [look]);

  const shown = children ?? (
    <code data-testid={testId} className={codeClass[look]}>
      {secret}
    </code>
  );
  const buttons = (
    <>
      <CopyButton
        text={secret}
        {...(copyLabels ?? {
          label: t("common.copy"),
          copiedLabel: t("common.copied"),
          failedLabel: t("common.copyFailed"),
        })}
      />
      {actions}
      <Button variant={look === "notice" ? "secondary" : "primary"} onClick={onDone}>
        {doneLabel}
      </Button>
    </>
  );

  if (look === "notice") {
    return (
      <div
        role="status"
        data-testid={panelTestId}
        className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50"
      >
        <p className="font-semibold">{title}</p>
        <p className="mt-1 text-sm">{warning}</p>
        {shown}
        <div className="mt-3 flex flex-wrap items-center gap-3">{buttons}</div>
      </div>
    );
  }
  return (
    <section aria-labelledby={titleId} data-testid={panelTestId}>
      <h3
        id={titleId}
        ref={heading}
        tabIndex={-1}
        className="font-semibold text-slate-900 focus:outline-none dark:text-white"
      >
        {title}
      </h3>
      <Alert tone="info" className="mt-3">
        {warning}
      </Alert>
      {shown}
      <div className="mt-4 flex flex-wrap items-center gap-3">{buttons}</div>
    </section>
  );
}
