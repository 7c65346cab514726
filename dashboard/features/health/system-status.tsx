import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { createIslandI18n, type IslandMessages } from "../../i18n/island";
import type { Locale } from "../../i18n/locales";
import { checkHealth, type HealthState } from "./health";

interface SystemStatusProps {
  locale: Locale;
  /** Only the `health` strings of the page's locale (see i18n/island.ts). */
  messages: IslandMessages;
}

export default function SystemStatus({ locale, messages }: SystemStatusProps) {
  const i18n = useMemo(() => createIslandI18n(locale, messages), [locale, messages]);
  return (
    <I18nextProvider i18n={i18n}>
      <SystemStatusCard />
    </I18nextProvider>
  );
}

type Variant = "loading" | "ok" | "degraded" | "database" | "timeout" | "network" | "unexpected";

function variantOf(state: HealthState): Variant {
  switch (state.kind) {
    case "loading":
    case "ok":
      return state.kind;
    case "degraded":
      return state.failingChecks.includes("db") ? "database" : "degraded";
    case "error":
      return state.reason === "unexpected-response" ? "unexpected" : state.reason;
  }
}

const dotClass: Record<Variant, string> = {
  loading: "bg-slate-400 motion-safe:animate-pulse dark:bg-slate-500",
  ok: "bg-emerald-500",
  degraded: "bg-amber-500",
  database: "bg-amber-500",
  timeout: "bg-red-500",
  network: "bg-red-500",
  unexpected: "bg-red-500",
};

const variants = Object.keys(dotClass) as Variant[];

function SystemStatusCard() {
  const { t } = useTranslation();
  const [state, setState] = useState<HealthState>({ kind: "loading" });
  const inFlight = useRef<AbortController | null>(null);

  const refresh = useCallback(async () => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setState({ kind: "loading" });
    const next = await checkHealth({ signal: controller.signal });
    // A newer check (or unmounting) superseded this one: its answer is stale.
    if (!controller.signal.aborted) setState(next);
  }, []);

  useEffect(() => {
    void refresh();
    return () => inFlight.current?.abort();
  }, [refresh]);

  const current = variantOf(state);
  const loading = state.kind === "loading";
  const text: Record<Variant, { headline: string; detail: string }> = {
    loading: { headline: t("health.loading"), detail: t("health.loadingDetail") },
    ok: { headline: t("health.ok"), detail: t("health.okDetail") },
    degraded: { headline: t("health.degraded"), detail: t("health.degradedDetail") },
    database: {
      headline: t("health.databaseUnreachable"),
      detail: t("health.databaseUnreachableDetail"),
    },
    timeout: { headline: t("health.error"), detail: t("health.errorTimeout") },
    network: { headline: t("health.error"), detail: t("health.errorNetwork") },
    unexpected: { headline: t("health.error"), detail: t("health.errorUnexpected") },
  };

  return (
    <section
      aria-labelledby="system-status-title"
      data-health-state={state.kind}
      className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2
        id="system-status-title"
        className="font-semibold text-slate-900 text-sm uppercase tracking-wide dark:text-slate-100"
      >
        {t("health.title")}
      </h2>
      {/* Every message is laid out invisibly in the same grid cell as the live one, so the
          card is as tall as its longest message from the first paint and the answer arriving
          never moves the page. Only the live region is exposed to assistive technology. */}
      <div className="mt-4 grid">
        {variants.map((variant) => (
          <StatusLine
            key={variant}
            variant={variant}
            text={text[variant]}
            className="invisible"
            placeholder
          />
        ))}
        <div role="status" className="col-start-1 row-start-1">
          <StatusLine variant={current} text={text[current]} />
        </div>
      </div>
      <button
        type="button"
        // aria-disabled rather than disabled: a disabled button drops keyboard focus, and the
        // user pressing it would lose their place while the check runs.
        aria-disabled={loading}
        onClick={() => {
          if (!loading) void refresh();
        }}
        className="mt-5 rounded-md border border-slate-300 px-3 py-1.5 font-medium text-slate-700 text-sm transition-colors hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 focus-visible:outline-offset-2 aria-disabled:cursor-not-allowed aria-disabled:opacity-60 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800 dark:focus-visible:outline-sky-400"
      >
        {t("health.checkAgain")}
      </button>
    </section>
  );
}

interface StatusLineProps {
  variant: Variant;
  text: { headline: string; detail: string };
  className?: string;
  /** A layout placeholder: invisible and absent from the accessibility tree. */
  placeholder?: boolean;
}

function StatusLine({ variant, text, className = "", placeholder = false }: StatusLineProps) {
  return (
    <div
      aria-hidden={placeholder || undefined}
      className={`col-start-1 row-start-1 flex items-start gap-3 ${className}`}
    >
      <span aria-hidden="true" className={`mt-1.5 size-3 shrink-0 rounded-full ${dotClass[variant]}`} />
      <div>
        <p className="font-medium text-base text-slate-900 dark:text-slate-50">{text.headline}</p>
        <p className="mt-1 text-slate-600 text-sm dark:text-slate-300">{text.detail}</p>
      </div>
    </div>
  );
}
