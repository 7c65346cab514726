import { and, eq, lte, sql } from "drizzle-orm";
import type { Database } from "../client";
import { collectionErrors, deployments, metricSamples, projects, type SamplePhase } from "../schema";
import { enqueueJobs, type NewJob } from "./jobs";

export type DeploymentRow = typeof deployments.$inferSelect;

export async function findDeploymentByIdempotencyKey(
  db: Database,
  projectId: string,
  key: string,
): Promise<DeploymentRow | null> {
  const rows = await db
    .select()
    .from(deployments)
    .where(and(eq(deployments.projectId, projectId), eq(deployments.idempotencyKey, key)));
  return rows[0] ?? null;
}

export async function findRunningDeployment(
  db: Database,
  projectId: string,
  env: string,
): Promise<DeploymentRow | null> {
  const rows = await db
    .select()
    .from(deployments)
    .where(
      and(eq(deployments.projectId, projectId), eq(deployments.env, env), eq(deployments.state, "running")),
    );
  return rows[0] ?? null;
}

/** A deployment of this project (CI calls), or null. */
export async function findProjectDeployment(
  db: Database,
  projectId: string,
  id: string,
): Promise<DeploymentRow | null> {
  const rows = await db
    .select()
    .from(deployments)
    .where(and(eq(deployments.id, id), eq(deployments.projectId, projectId)));
  return rows[0] ?? null;
}

/** For jobs: by id only. */
export async function findDeploymentById(db: Database, id: string): Promise<DeploymentRow | null> {
  const rows = await db.select().from(deployments).where(eq(deployments.id, id));
  return rows[0] ?? null;
}

/** Running deployments whose finish never came stop blocking their environment. */
export async function expireStaleDeployments(
  db: Database,
  params: { now: Date; projectId?: string; env?: string },
): Promise<number> {
  const rows = await db
    .update(deployments)
    .set({ state: "expired" })
    .where(
      and(
        eq(deployments.state, "running"),
        lte(deployments.expiresAt, params.now),
        params.projectId ? eq(deployments.projectId, params.projectId) : undefined,
        params.env ? eq(deployments.env, params.env) : undefined,
      ),
    )
    .returning({ id: deployments.id });
  return rows.length;
}

/**
 * Inserts a running deployment with the project's next number. The project row is locked for
 * the numbering; the unique indexes (one running per env, idempotency key) settle races, and a
 * violation surfaces as a Postgres error code 23505 for the caller to resolve.
 */
export async function insertDeployment(
  db: Database,
  values: Omit<typeof deployments.$inferInsert, "number" | "id" | "state">,
  /** Enqueued in the same transaction: a deployment never exists without them. */
  jobsFor: (deployment: DeploymentRow) => NewJob[] = () => [],
): Promise<DeploymentRow> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select id from ${projects} where ${projects.id} = ${values.projectId} for update`);
    const [next] = await tx
      .select({ number: sql<number>`coalesce(max(${deployments.number}), 0)::int + 1` })
      .from(deployments)
      .where(eq(deployments.projectId, values.projectId));
    const rows = await tx
      .insert(deployments)
      .values({ ...values, number: next?.number ?? 1, state: "running" })
      .returning();
    const row = rows[0];
    if (!row) throw new Error("insert returned no row");
    await enqueueJobs(tx, jobsFor(row));
    return row;
  });
}

/**
 * `running` -> `finished`, with the observation's jobs in the same transaction: a finish that
 * fails half way leaves the deployment running (the pipeline's retry finishes it), never
 * finished with nothing scheduled to analyse it. Null when it was not running any more.
 */
export async function markDeploymentFinished(
  db: Database,
  params: {
    id: string;
    result: "success" | "failed";
    finishedAt: Date;
    observationWindowMinutes: number;
    jobsFor: (deployment: DeploymentRow) => NewJob[];
  },
): Promise<DeploymentRow | null> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(deployments)
      .set({
        state: "finished",
        pipelineResult: params.result,
        finishedAt: params.finishedAt,
        observationWindowMinutes: params.observationWindowMinutes,
      })
      .where(and(eq(deployments.id, params.id), eq(deployments.state, "running")))
      .returning();
    const row = rows[0];
    if (!row) return null;
    await enqueueJobs(tx, params.jobsFor(row));
    return row;
  });
}

/** Idempotent: a second sample for the same slot is ignored; true when this one was stored. */
export async function insertSample(
  db: Database,
  sample: typeof metricSamples.$inferInsert,
): Promise<boolean> {
  const rows = await db
    .insert(metricSamples)
    .values(sample)
    .onConflictDoNothing()
    .returning({ deploymentId: metricSamples.deploymentId });
  return rows.length > 0;
}

export async function sampleExists(
  db: Database,
  params: { deploymentId: string; phase: SamplePhase; sequence: number },
): Promise<boolean> {
  const rows = await db
    .select({ sequence: metricSamples.sequence })
    .from(metricSamples)
    .where(
      and(
        eq(metricSamples.deploymentId, params.deploymentId),
        eq(metricSamples.phase, params.phase),
        eq(metricSamples.sequence, params.sequence),
      ),
    );
  return rows.length > 0;
}

export async function insertCollectionError(
  db: Database,
  values: typeof collectionErrors.$inferInsert,
): Promise<void> {
  await db.insert(collectionErrors).values(values);
}
