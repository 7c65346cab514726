import { and, eq } from "drizzle-orm";
import type { Database } from "../client";
import { deployments, hints, verdicts } from "../schema";

export type NewVerdict = typeof verdicts.$inferInsert;
export type NewHint = Omit<typeof hints.$inferInsert, "deploymentId">;

/**
 * Stores the verdict and its hints and marks the deployment analyzed, in one transaction.
 * Idempotent: the first verdict stored wins (the deployment is its primary key); a concurrent
 * or repeated analysis stores nothing more. Returns whether this call stored it.
 */
export async function storeVerdict(
  db: Database,
  verdict: NewVerdict,
  hintRows: NewHint[],
  analyzedAt: Date,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(verdicts)
      .values(verdict)
      .onConflictDoNothing()
      .returning({ deploymentId: verdicts.deploymentId });
    if (inserted.length > 0 && hintRows.length > 0) {
      await tx
        .insert(hints)
        .values(hintRows.map((hint) => ({ ...hint, deploymentId: verdict.deploymentId })))
        .onConflictDoNothing();
    }
    await tx
      .update(deployments)
      .set({ state: "analyzed", analyzedAt })
      .where(and(eq(deployments.id, verdict.deploymentId), eq(deployments.state, "finished")));
    return inserted.length > 0;
  });
}
