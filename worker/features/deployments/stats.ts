import type { Database } from "../../../db/client";
import { countDeploymentsByDay } from "../../../db/queries/deployment-views";

const DAY_MS = 86_400_000;

interface VerdictCounts {
  ok: number;
  warning: number;
  rollback_recommended: number;
  /** Not judged yet (running, under observation, expired or cancelled). */
  pending: number;
  total: number;
}

const noCounts = (): VerdictCounts => ({ ok: 0, warning: 0, rollback_recommended: 0, pending: 0, total: 0 });

/**
 * The overview's numbers: the owner's deployments per UTC day and verdict over the `days` days
 * that end with `now`'s (today included), every day present even without deployments.
 */
export async function deploymentStats(
  db: Database,
  ownerId: string,
  params: { days: number; projectId?: string; now: Date },
) {
  const { days, now } = params;
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  const rows = await countDeploymentsByDay(db, ownerId, { since, projectId: params.projectId });
  const byDay = new Map<string, VerdictCounts>();
  for (let i = 0; i < days; i++) {
    byDay.set(new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10), noCounts());
  }
  const totals = noCounts();
  for (const row of rows) {
    const bucket = byDay.get(row.day);
    if (!bucket) continue;
    const key = (row.verdict ?? "pending") as keyof VerdictCounts;
    bucket[key] += row.count;
    bucket.total += row.count;
    totals[key] += row.count;
    totals.total += row.count;
  }
  return {
    since: since.toISOString(),
    days: [...byDay].map(([day, counts]) => ({ day, ...counts })),
    totals,
  };
}
