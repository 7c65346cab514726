// How far the observation of a deployment awaiting its verdict has got: one POST sample a minute
// over the project's window (worker/features/deployments/deployments.ts `observationJobs`), so
// "7 of 15" is the samples stored against the window's minutes. The page refreshes by itself
// (use-deployment-polling.ts); the text is a polite live region so the change is heard too.
import { useTranslation } from "react-i18next";
import type { DeploymentDetail, DeploymentMetrics } from "./api-types";

export function observationProgress(
  deployment: Pick<DeploymentDetail, "state" | "verdict" | "observationWindowMinutes">,
  metrics: Pick<DeploymentMetrics, "post"> | null,
): { taken: number; expected: number } | null {
  if (deployment.verdict !== null || deployment.state !== "finished" || metrics === null) return null;
  const expected = deployment.observationWindowMinutes;
  return { taken: Math.min(metrics.post.length, expected), expected };
}

export function ObservationProgress({
  deployment,
  metrics,
}: {
  deployment: DeploymentDetail;
  metrics: DeploymentMetrics | null;
}) {
  const { t } = useTranslation();
  const progress = observationProgress(deployment, metrics);
  if (!progress) return null;
  const { taken, expected } = progress;
  const done = taken >= expected;
  return (
    <div className="mt-3" data-testid="observation-progress">
      <p role="status" className="text-slate-700 text-sm dark:text-slate-300">
        {done
          ? t("deployments.detail.progress.analysing")
          : t("deployments.detail.progress.samples", { taken, expected })}{" "}
        <span className="text-slate-600 dark:text-slate-400">{t("deployments.detail.progress.live")}</span>
      </p>
      <div
        className="mt-2 h-1.5 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
        role="progressbar"
        aria-label={t("deployments.detail.progress.label")}
        aria-valuemin={0}
        aria-valuemax={expected}
        aria-valuenow={taken}
      >
        <div
          className="h-full rounded-full bg-sky-600 transition-[width] motion-reduce:transition-none dark:bg-sky-400"
          style={{ width: `${expected > 0 ? (taken / expected) * 100 : 0}%` }}
        />
      </div>
    </div>
  );
}
