import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { projects } from "../../../db/schema";
import { testDatabase } from "../../../test/helpers";
import { projectWithActiveEndpoint } from "../../../test/projects";
import { deploymentStats } from "./stats";

// The overview's numbers, read as the stats route (or a weekly report job) reads them.

const { db, close } = testDatabase();
afterAll(() => close());

const DAY = 86_400_000;

describe("deploymentStats", () => {
  it("counts the owner's deployments per UTC day, every day present, today's trigger pending", async () => {
    const { ci, project } = await projectWithActiveEndpoint();
    expect((await ci.trigger({ env: "prod" })).status).toBe(200);
    const [row] = await db
      .select({ ownerId: projects.ownerId })
      .from(projects)
      .where(eq(projects.id, project.id));
    const ownerId = row!.ownerId;
    const now = new Date();
    const today = now.toISOString().slice(0, 10);

    const stats = await deploymentStats(db, ownerId, { days: 3, now });
    expect(stats.days.map((day) => day.day)).toEqual([
      new Date(now.getTime() - 2 * DAY).toISOString().slice(0, 10),
      new Date(now.getTime() - DAY).toISOString().slice(0, 10),
      today,
    ]);
    expect(stats.since).toBe(`${stats.days[0]!.day}T00:00:00.000Z`);
    expect(stats.days.at(-1)).toEqual({
      day: today,
      ok: 0,
      warning: 0,
      rollback_recommended: 0,
      pending: 1,
      total: 1,
    });
    expect(stats.days.slice(0, 2).every((day) => day.total === 0)).toBe(true);
    expect(stats.totals).toEqual({ ok: 0, warning: 0, rollback_recommended: 0, pending: 1, total: 1 });

    // Another project of nobody's, and a window that ended before today, count nothing.
    const elsewhere = await deploymentStats(db, ownerId, { days: 3, projectId: crypto.randomUUID(), now });
    expect(elsewhere.totals.total).toBe(0);
    const earlier = await deploymentStats(db, ownerId, { days: 3, now: new Date(now.getTime() - 5 * DAY) });
    expect(earlier.totals.total).toBe(0);
  });
});
