import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
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
