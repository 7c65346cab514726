import { and, desc, eq, sql } from "drizzle-orm";
import type { Database } from "../client";
import { deployments, metricSamples, verdicts } from "../schema";

/**
 * The project's last `limit` analyzed deployments, newest first, with the verdict stored for each:
 * what a backtest replays. One query; the caller has checked the project is the user's.
 */
export async function listJudgedDeployments(db: Database, projectId: string, limit: number) {
  return db
    .select({
      id: deployments.id,
      projectId: deployments.projectId,
      number: deployments.number,
      startedAt: deployments.startedAt,
      observationWindowMinutes: deployments.observationWindowMinutes,
      analyzedAt: deployments.analyzedAt,
      verdict: verdicts.verdict,
      confidence: verdicts.confidence,
      judge: verdicts.judge,
      judgeVersion: verdicts.judgeVersion,
    })
    .from(deployments)
    .innerJoin(verdicts, eq(verdicts.deploymentId, deployments.id))
    .where(and(eq(deployments.projectId, projectId), eq(deployments.state, "analyzed")))
    .orderBy(desc(deployments.number))
    .limit(limit);
}

/** The deployment's stored verdict as a rejudge compares with it; null when it has none. */
export async function findStoredVerdict(db: Database, deploymentId: string) {
  const rows = await db
    .select({
      verdict: verdicts.verdict,
      confidence: verdicts.confidence,
      judge: verdicts.judge,
      judgeVersion: verdicts.judgeVersion,
      summary: verdicts.summary,
      settings: verdicts.settings,
    })
    .from(verdicts)
    .where(eq(verdicts.deploymentId, deploymentId));
  return rows[0] ?? null;
}

/** How many POST samples the deployment has: none means there is nothing to judge yet. */
export async function countPostSamples(db: Database, deploymentId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(metricSamples)
    .where(and(eq(metricSamples.deploymentId, deploymentId), eq(metricSamples.phase, "post")));
  return row?.count ?? 0;
}
