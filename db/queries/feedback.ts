import { eq, sql } from "drizzle-orm";
import type { Database } from "../client";
import { deploymentFeedback, deployments, type VerdictValue, verdicts } from "../schema";

export type FeedbackRow = typeof deploymentFeedback.$inferSelect;

/**
 * Records a person's word on a deployment's verdict: one row per deployment, the latest answer
 * replacing the earlier one. The verdict is copied from the stored one in the same statement, so
 * the answer always names the verdict it was about. Null when the deployment has no verdict.
 */
export async function upsertFeedback(
  db: Database,
  params: { deploymentId: string; userId: string; correct: boolean; note: string | null; now: Date },
): Promise<FeedbackRow | null> {
  const rows = await db
    .insert(deploymentFeedback)
    .select(
      db
        .select({
          deploymentId: verdicts.deploymentId,
          userId: sql<string>`${params.userId}::uuid`.as("user_id"),
          correct: sql<boolean>`${params.correct}::boolean`.as("correct"),
          note: sql<string | null>`${params.note}::text`.as("note"),
          verdict: verdicts.verdict,
          createdAt: sql<Date>`${params.now.toISOString()}::timestamptz`.as("created_at"),
          updatedAt: sql<Date>`${params.now.toISOString()}::timestamptz`.as("updated_at"),
        })
        .from(verdicts)
        .where(eq(verdicts.deploymentId, params.deploymentId)),
    )
    .onConflictDoUpdate({
      target: deploymentFeedback.deploymentId,
      set: {
        userId: sql`excluded.user_id`,
        correct: sql`excluded.correct`,
        note: sql`excluded.note`,
        verdict: sql`excluded.verdict`,
        updatedAt: sql`excluded.updated_at`,
      },
    })
    .returning();
  return rows[0] ?? null;
}

/** The deployment's feedback; the caller has checked the deployment is the user's. */
export async function findFeedback(db: Database, deploymentId: string): Promise<FeedbackRow | null> {
  const rows = await db
    .select()
    .from(deploymentFeedback)
    .where(eq(deploymentFeedback.deploymentId, deploymentId));
  return rows[0] ?? null;
}

export interface VerdictFeedbackCount {
  verdict: VerdictValue;
  /** Deployments of the project with this verdict. */
  analyzed: number;
  /** Of those, how many someone answered "was this verdict right?" for. */
  marked: number;
  markedCorrect: number;
}

/** Per verdict value, the project's verdicts and the answers given about them: one grouped query. */
export async function countVerdictFeedback(db: Database, projectId: string): Promise<VerdictFeedbackCount[]> {
  return db
    .select({
      verdict: verdicts.verdict,
      analyzed: sql<number>`count(*)::int`,
      marked: sql<number>`count(${deploymentFeedback.deploymentId})::int`,
      markedCorrect: sql<number>`(count(*) filter (where ${deploymentFeedback.correct}))::int`,
    })
    .from(verdicts)
    .innerJoin(deployments, eq(deployments.id, verdicts.deploymentId))
    .leftJoin(deploymentFeedback, eq(deploymentFeedback.deploymentId, verdicts.deploymentId))
    .where(eq(deployments.projectId, projectId))
    .groupBy(verdicts.verdict);
}
