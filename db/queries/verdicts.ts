import { and, eq, inArray, lte, or, sql } from "drizzle-orm";
import type { Database } from "../client";
import { collectionErrors, deployments, hints, jobs, metricSamples, projects, verdicts } from "../schema";
import type { NewJob } from "./jobs";
import { insertDeliveriesAfter, type NewWebhookDelivery } from "./webhooks";

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
  /** The `deployment.verdict` webhook deliveries and their jobs: stored only with the verdict. */
  webhookEvent: { deliveries: readonly NewWebhookDelivery[]; jobs: readonly NewJob[] } = {
    deliveries: [],
    jobs: [],
  },
  /**
   * Notification jobs (mail) stored only with the verdict: `always`, and `ifFirstVerdict` when
   * it is the project's first verdict.
   */
  notificationJobs: { always: readonly NewJob[]; ifFirstVerdict: readonly NewJob[] } = {
    always: [],
    ifFirstVerdict: [],
  },
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
    if (inserted.length > 0 && webhookEvent.deliveries.length > 0) {
      await tx.execute(insertDeliveriesAfter(null, webhookEvent.deliveries));
      await tx
        .insert(jobs)
        .values([...webhookEvent.jobs])
        .onConflictDoNothing({ target: jobs.dedupeKey });
    }
    if (inserted.length > 0) {
      const queued = [...notificationJobs.always];
      if (notificationJobs.ifFirstVerdict.length > 0) {
        const [count] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(verdicts)
          .innerJoin(deployments, eq(deployments.id, verdicts.deploymentId))
          .where(
            eq(
              deployments.projectId,
              sql`(select ${deployments.projectId} from ${deployments} where ${deployments.id} = ${verdict.deploymentId})`,
            ),
          );
        if (count?.n === 1) queued.push(...notificationJobs.ifFirstVerdict);
      }
      if (queued.length > 0)
        await tx.insert(jobs).values(queued).onConflictDoNothing({ target: jobs.dedupeKey });
    }
    await tx
      .update(deployments)
      .set({ state: "analyzed", analyzedAt })
      .where(and(eq(deployments.id, verdict.deploymentId), eq(deployments.state, "finished")));
    return inserted.length > 0;
  });
}

/**
 * POST slots of the outer query's deployment that were sampled or had a collection error (only a
 * final one when `failedForGood`): each slot counted once.
 */
function postSlotCount({ failedForGood }: { failedForGood: boolean }) {
  return sql<number>`(
    select count(*)::int from (
      select ${metricSamples.sequence} from ${metricSamples}
      where ${metricSamples.deploymentId} = ${deployments.id} and ${metricSamples.phase} = 'post'
      union
      select ${collectionErrors.sequence} from ${collectionErrors}
      where ${collectionErrors.deploymentId} = ${deployments.id} and ${collectionErrors.phase} = 'post'
        ${failedForGood ? sql`and ${collectionErrors.final}` : sql``}
    ) as slots)`;
}

/**
 * Finished deployments (of those given) that still await their verdict, with what deciding it
 * needs: the project's judge and settings, how many POST slots are settled (sampled, or their
 * collection failed for good) and how many were at least tried (sampled, or an error recorded).
 * One statement for a whole collection batch.
 */
export async function findDeploymentsAwaitingVerdict(db: Database, deploymentIds: readonly string[]) {
  if (deploymentIds.length === 0) return [];
  return db
    .select({
      id: deployments.id,
      projectId: deployments.projectId,
      startedAt: deployments.startedAt,
      finishedAt: deployments.finishedAt,
      observationWindowMinutes: deployments.observationWindowMinutes,
      judge: projects.judge,
      judgeSettings: projects.judgeSettings,
      settledPostSlots: postSlotCount({ failedForGood: true }),
      attemptedPostSlots: postSlotCount({ failedForGood: false }),
    })
    .from(deployments)
    .innerJoin(projects, eq(projects.id, deployments.projectId))
    .where(and(inArray(deployments.id, [...deploymentIds]), eq(deployments.state, "finished")));
}

/**
 * POST samples of a deployment that a sweep is collecting or will try in its collection lane at
 * `now` (due, or claimed). Looked up by their exact job keys (`keys`, the window's collection
 * jobs), so the jobs table's unique index answers it.
 */
export async function countPostSamplesInCollection(
  db: Database,
  params: { keys: string[]; now: Date },
): Promise<number> {
  const { keys } = params;
  if (keys.length === 0) return 0;
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(jobs)
    .where(
      and(
        inArray(jobs.dedupeKey, keys),
        or(
          and(inArray(jobs.status, ["pending", "failed"]), lte(jobs.runAt, params.now)),
          eq(jobs.status, "running"),
        ),
      ),
    );
  return row?.count ?? 0;
}
