import { useTranslation } from "react-i18next";
import type { EndpointState } from "../deployments/api-types";

const tone: Record<EndpointState, string> = {
  active:
    "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-700 dark:bg-emerald-950 dark:text-emerald-100",
  pending_verification:
    "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100",
  none: "border-slate-300 bg-slate-100 text-slate-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100",
};

export function EndpointStateBadge({ state }: { state: EndpointState }) {
  const { t } = useTranslation();
  return (
    <span
      className={`inline-flex items-center whitespace-nowrap rounded-full border px-2 py-0.5 font-semibold text-xs ${tone[state]}`}
      data-endpoint-state={state}
    >
      {t(`projects.endpointState.${state}`)}
    </span>
  );
}
