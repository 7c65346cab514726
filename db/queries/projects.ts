import { and, count, desc, eq, lt, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../client";
import { projects } from "../schema";

export type ProjectRow = typeof projects.$inferSelect;
type ProjectChanges = Partial<Omit<typeof projects.$inferInsert, "id" | "ownerId" | "createdAt">>;

export async function insertProject(db: Database, values: typeof projects.$inferInsert): Promise<ProjectRow> {
  const rows = await db.insert(projects).values(values).returning();
  const row = rows[0];
  if (!row) throw new Error("insert returned no row");
  return row;
}

/** Every lookup carries the owner: another user's project is simply not found. */
export async function findProject(db: Database, ownerId: string, id: string): Promise<ProjectRow | null> {
  const rows = await db
    .select()
    .from(projects)
    .where(and(eq(projects.id, id), eq(projects.ownerId, ownerId)));
  return rows[0] ?? null;
}

export async function listProjects(
  db: Database,
  ownerId: string,
  params: { limit: number; before: { at: Date; id: string } | null },
): Promise<ProjectRow[]> {
  const conditions: SQL[] = [eq(projects.ownerId, ownerId)];
  if (params.before) {
    const keyset = or(
      lt(projects.createdAt, params.before.at),
      and(eq(projects.createdAt, params.before.at), lt(projects.id, params.before.id)),
    );
    if (keyset) conditions.push(keyset);
  }
  return db
    .select()
    .from(projects)
    .where(and(...conditions))
    .orderBy(desc(projects.createdAt), desc(projects.id))
    .limit(params.limit + 1);
}

export async function updateProject(
  db: Database,
  ownerId: string,
  id: string,
  changes: ProjectChanges,
): Promise<ProjectRow | null> {
  const rows = await db
    .update(projects)
    .set({ ...changes, updatedAt: new Date() })
    .where(and(eq(projects.id, id), eq(projects.ownerId, ownerId)))
    .returning();
  return rows[0] ?? null;
}

export async function deleteProject(db: Database, ownerId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(projects)
    .where(and(eq(projects.id, id), eq(projects.ownerId, ownerId)))
    .returning({ id: projects.id });
  return rows.length > 0;
}

/** CI authentication: the project whose API key hashes to `hash`. */
export async function findProjectByApiKeyHash(db: Database, hash: string): Promise<ProjectRow | null> {
  const rows = await db.select().from(projects).where(eq(projects.apiKeyHash, hash));
  return rows[0] ?? null;
}

/** For jobs, which act on behalf of the system: by id only. */
export async function findProjectById(db: Database, id: string): Promise<ProjectRow | null> {
  const rows = await db.select().from(projects).where(eq(projects.id, id));
  return rows[0] ?? null;
}

/** One project's collection results in a batch, for its timeout streak. */
export interface CollectionHealth {
  projectId: string;
  /** At least one sample was taken: the endpoint answers. */
  succeeded: boolean;
  /** Attempts that ended in ENDPOINT_TIMEOUT. */
  timeouts: number;
}

/**
 * Updates the projects' timeout streaks in one statement: a success resets the streak and ends
 * any backoff; timeouts add to it, and from `backoffAfter` in a row the endpoint is backed off
 * for 1, 2, 4 ... minutes (at most `maxBackoffMinutes`) from `now`. Other failures leave both
 * alone: they say nothing about an endpoint that stalls.
 */
export async function recordCollectionHealth(
  db: Database,
  params: { now: Date; results: CollectionHealth[]; backoffAfter: number; maxBackoffMinutes: number },
): Promise<void> {
  const results = params.results.filter((r) => r.succeeded || r.timeouts > 0);
  if (results.length === 0) return;
  const values = sql.join(
    results.map((r) => sql`(${r.projectId}::uuid, ${r.succeeded}::boolean, ${r.timeouts}::int)`),
    sql`, `,
  );
  const streak = sql`(${projects.collectionTimeoutStreak} + o.timeouts)`;
  await db.execute(sql`
    update ${projects} set
      collection_timeout_streak = case when o.succeeded then 0 else ${streak} end,
      collection_backoff_until = case
        when o.succeeded then null
        when ${streak} >= ${params.backoffAfter} then ${params.now.toISOString()}::timestamptz
          + make_interval(mins => least(power(2, least(${streak} - ${params.backoffAfter}, 10))::int, ${params.maxBackoffMinutes}))
        else ${projects.collectionBackoffUntil} end
    from (values ${values}) as o (id, succeeded, timeouts)
    where ${projects.id} = o.id`);
}

export async function countProjects(db: Database, ownerId: string): Promise<number> {
  const [row] = await db.select({ count: count() }).from(projects).where(eq(projects.ownerId, ownerId));
  return row?.count ?? 0;
}

/**
 * Sets a project's plan (operators only), returning the plan it had and the updated row; null
 * when there is no such project. The old plan is read under the update's row lock.
 */
export async function setProjectPlan(
  db: Database,
  id: string,
  plan: ProjectRow["plan"],
): Promise<{ previousPlan: ProjectRow["plan"]; project: ProjectRow } | null> {
  const result = await db.execute<{ previous_plan: ProjectRow["plan"] }>(sql`
    update ${projects} set plan = ${plan}, updated_at = now()
    from (select id, plan from ${projects} where id = ${id} for update) as previous
    where ${projects.id} = previous.id
    returning previous.plan as previous_plan`);
  const previous = result.rows[0];
  if (!previous) return null;
  const project = await findProjectById(db, id);
  return project ? { previousPlan: previous.previous_plan, project } : null;
}
