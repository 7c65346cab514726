// A deployment awaiting its verdict changes on its own (a sample a minute, then the verdict), so
// pages that show one ask again while it is awaited: often at first, less and less while nothing
// changes, not at all while the tab is hidden (at once when it shows again), and no more once
// the verdict is there. The scheduling is plain functions with injected timers, unit-tested in
// Node; the hook only binds them to the page.
import { useEffect, useRef } from "react";
import type { ApiData } from "../session/use-api-data";
import type { Deployment, DeploymentDetail, DeploymentMetrics } from "./api-types";

/** Waits between two refreshes, by how many refreshes in a row changed nothing; the last repeats. */
export const POLL_DELAYS_MS = [5_000, 5_000, 7_500, 10_000, 15_000] as const;

export function pollDelay(unchangedRefreshes: number, delays: readonly number[] = POLL_DELAYS_MS): number {
  return delays[Math.min(unchangedRefreshes, delays.length - 1)] ?? 15_000;
}

/** Running (the pipeline has not finished) or observing: a verdict will come. */
export function isAwaitingVerdict(deployment: Pick<Deployment, "state" | "verdict">): boolean {
  return deployment.verdict === null && (deployment.state === "running" || deployment.state === "finished");
}

export interface PollingEnvironment {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  isHidden(): boolean;
  /** Calls `listener` when the page is shown or hidden; returns the unsubscribe. */
  onVisibilityChange(listener: () => void): () => void;
}

/**
 * Calls `refresh` after each delay until stopped. `refresh` answers whether anything changed,
 * which brings the delay back to the shortest. While the page is hidden nothing is asked.
 */
export function startPolling(
  refresh: () => Promise<boolean>,
  environment: PollingEnvironment,
  delays: readonly number[] = POLL_DELAYS_MS,
): { stop(): void } {
  let stopped = false;
  let timer: unknown = null;
  let unchanged = 0;
  let inFlight = false;

  const schedule = () => {
    if (stopped || environment.isHidden()) return;
    timer = environment.setTimeout(tick, pollDelay(unchanged, delays));
  };

  const tick = async () => {
    timer = null;
    if (stopped || inFlight) return;
    if (environment.isHidden()) return; // shown again: onVisible asks at once
    inFlight = true;
    let changed = false;
    try {
      changed = await refresh();
    } catch {
      // A failed refresh keeps what is shown; the next one may work.
    } finally {
      inFlight = false;
    }
    unchanged = changed ? 0 : unchanged + 1;
    schedule();
  };

  const onVisibilityChange = () => {
    if (stopped) return;
    if (timer !== null) environment.clearTimeout(timer);
    timer = null;
    if (!environment.isHidden()) void tick();
  };
  const unsubscribe = environment.onVisibilityChange(onVisibilityChange);
  schedule();

  return {
    stop() {
      stopped = true;
      if (timer !== null) environment.clearTimeout(timer);
      timer = null;
      unsubscribe();
    },
  };
}

const browserEnvironment: PollingEnvironment = {
  setTimeout: (callback, ms) => window.setTimeout(callback, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
  isHidden: () => document.visibilityState === "hidden",
  onVisibilityChange(listener) {
    document.addEventListener("visibilitychange", listener);
    return () => document.removeEventListener("visibilitychange", listener);
  },
};

/** While `active`, calls `refresh` on the schedule above; the latest `refresh` is always used. */
export function useDeploymentPolling(active: boolean, refresh: () => Promise<boolean>): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    if (!active) return;
    const poller = startPolling(() => latest.current(), browserEnvironment);
    return () => poller.stop();
  }, [active]);
}

/**
 * A list's rows with fresh copies of the ones a newer page also has (a running row that got its
 * verdict); `changed` says whether any row's state or verdict moved. Rows are not added or
 * removed: the list does not jump under the reader's eyes.
 */
export function refreshRows<T extends Pick<Deployment, "id" | "state" | "verdict">>(
  rows: readonly T[],
  fresh: readonly T[],
): { rows: T[]; changed: boolean } {
  const byId = new Map(fresh.map((row) => [row.id, row]));
  let changed = false;
  const next = rows.map((row) => {
    const newer = byId.get(row.id);
    if (!newer) return row;
    if (newer.state !== row.state || newer.verdict?.verdict !== row.verdict?.verdict) changed = true;
    return newer;
  });
  return { rows: next, changed };
}

/** What a refresh can change on the detail page, in one comparable string. */
export function detailProgressKey(
  deployment: Pick<DeploymentDetail, "state" | "verdict" | "collectionErrors">,
  metrics: Pick<DeploymentMetrics, "pre" | "post"> | null,
): string {
  return [
    deployment.state,
    deployment.verdict?.verdict ?? "",
    deployment.collectionErrors.length,
    metrics?.pre.length ?? "",
    metrics?.post.length ?? "",
  ].join("|");
}

interface Refreshable<T> {
  state: ApiData<T>;
  reload(options?: { quiet?: boolean }): Promise<T | null>;
}

/** The detail page: the deployment and its samples, refreshed together until the verdict. */
export function useDeploymentDetailPolling(
  detail: Refreshable<{ deployment: DeploymentDetail }>,
  metrics: Refreshable<DeploymentMetrics>,
): void {
  const deployment = detail.state.kind === "ready" ? detail.state.data.deployment : null;
  const samples = metrics.state.kind === "ready" ? metrics.state.data : null;
  const shown = useRef("");
  shown.current = deployment ? detailProgressKey(deployment, samples) : "";
  useDeploymentPolling(deployment !== null && isAwaitingVerdict(deployment), async () => {
    const before = shown.current;
    const [next, nextSamples] = await Promise.all([
      detail.reload({ quiet: true }),
      metrics.reload({ quiet: true }),
    ]);
    return next !== null && detailProgressKey(next.deployment, nextSamples) !== before;
  });
}
