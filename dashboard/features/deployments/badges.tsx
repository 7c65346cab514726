import { useTranslation } from "react-i18next";
import type { Deployment, HintSeverity, VerdictLevel } from "./api-types";

/**
 * A deployment without a verdict yet is "pending"; an expired or cancelled one never gets one.
 * An `ok` after a failed pipeline is not a green light: the metrics were healthy, most likely
 * because the previous version kept serving, so it is shown as the neutral "healthy_unchanged".
 */
export type VerdictDisplay = VerdictLevel | "healthy_unchanged" | "pending" | "expired" | "cancelled";

export function verdictDisplayOf(
  deployment: Pick<Deployment, "state" | "verdict"> & Partial<Pick<Deployment, "pipelineResult">>,
): VerdictDisplay {
  if (deployment.verdict) {
    const level = deployment.verdict.verdict;
    return level === "ok" && deployment.pipelineResult === "failed" ? "healthy_unchanged" : level;
  }
  if (deployment.state === "expired" || deployment.state === "cancelled") return deployment.state;
  return "pending";
}

const verdictTone: Record<VerdictDisplay, string> = {
  ok: "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-700 dark:bg-emerald-950 dark:text-emerald-100",
  warning:
    "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100",
  rollback_recommended:
    "border-red-300 bg-red-50 text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100",
  healthy_unchanged:
    "border-slate-300 bg-slate-100 text-slate-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100",
  pending:
    "border-slate-300 bg-slate-100 text-slate-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100",
  expired:
    "border-slate-300 bg-white text-slate-700 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-300",
  cancelled:
    "border-slate-300 bg-white text-slate-700 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-300",
};

/** Shapes differ as well as colours, so the verdict does not rely on colour alone. */
const verdictIcon: Record<VerdictDisplay, string> = {
  ok: "M4 10.5l4 4 8-9",
  warning: "M10 3l8 14H2L10 3zm0 5v4m0 3v.01",
  rollback_recommended: "M8 5L3 10l5 5M3 10h9a5 5 0 010 10",
  healthy_unchanged: "M10 3a7 7 0 110 14 7 7 0 010-14zM6 10h8",
  pending: "M10 3a7 7 0 110 14 7 7 0 010-14zm0 3v4l3 2",
  expired: "M4 4l12 12M16 4L4 16",
  cancelled: "M10 3a7 7 0 110 14 7 7 0 010-14zM5 15L15 5",
};

export function VerdictIcon({
  verdict,
  className = "size-4",
}: {
  verdict: VerdictDisplay;
  className?: string;
}) {
  return (
    <svg
      aria-hidden="true"
      viewBox={verdict === "rollback_recommended" ? "0 0 20 22" : "0 0 20 20"}
      className={`shrink-0 ${className}`}
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={verdictIcon[verdict]} />
    </svg>
  );
}

export function VerdictBadge({ verdict, size = "sm" }: { verdict: VerdictDisplay; size?: "sm" | "lg" }) {
  const { t } = useTranslation();
  const sizeClass = size === "lg" ? "gap-2 px-3 py-1.5 text-base" : "gap-1.5 px-2 py-0.5 text-xs";
  return (
    <span
      className={`inline-flex items-center whitespace-nowrap rounded-full border font-semibold ${sizeClass} ${verdictTone[verdict]}`}
      data-verdict={verdict}
    >
      <VerdictIcon verdict={verdict} className={size === "lg" ? "size-5" : "size-3.5"} />
      {t(`common.verdict.${verdict}`)}
    </span>
  );
}

const severityTone: Record<HintSeverity, string> = {
  critical: "border-red-300 bg-red-50 text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100",
  warning:
    "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100",
  info: "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-700 dark:bg-sky-950 dark:text-sky-100",
};

export function SeverityBadge({ severity }: { severity: HintSeverity }) {
  const { t } = useTranslation();
  return (
    <span
      className={`inline-flex items-center whitespace-nowrap rounded-full border px-2 py-0.5 font-semibold text-xs ${severityTone[severity]}`}
    >
      {t(`common.severity.${severity}`)}
    </span>
  );
}

/** Badges and pills that are not verdicts: environment, state, pipeline result. */
export function Tag({ children }: { children: React.ReactNode }) {
  return (
    <span className="inline-flex items-center whitespace-nowrap rounded-md bg-slate-100 px-1.5 py-0.5 font-medium text-slate-700 text-xs dark:bg-slate-800 dark:text-slate-200">
      {children}
    </span>
  );
}
