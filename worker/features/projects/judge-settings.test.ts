import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { projects } from "../../../db/schema";
import { TestClient } from "../../../test/client";
import { errorOf, testDatabase } from "../../../test/helpers";

const { db, close } = testDatabase();
afterAll(() => close());

interface ProjectBody {
  project: {
    id: string;
    judge: string;
    judgeSettings: { sensitivity?: string; ignoredMetrics?: string[] };
    baselineIntervalMinutes: number;
  };
}

async function signedInWithProject() {
  const client = new TestClient();
  await client.signUp();
  const response = await client.json("POST", "/api/projects", { name: "Checkout API" });
  expect(response.status).toBe(201);
  return { client, project: (await response.json<ProjectBody>()).project };
}

const ALL_METRICS = ["latency_p95", "error_rate", "cpu_usage", "memory_usage", "requests_per_sec"];

describe("a project's judge settings", () => {
  it("start with the robust judge, default settings and a 10-minute baseline", async () => {
    const { client, project } = await signedInWithProject();
    expect(project).toMatchObject({ judge: "robust", judgeSettings: {}, baselineIntervalMinutes: 10 });
    const read = await (await client.fetch(`/api/projects/${project.id}`)).json<ProjectBody>();
    expect(read.project).toMatchObject({ judge: "robust", judgeSettings: {}, baselineIntervalMinutes: 10 });
  });

  it("are changed with PATCH, stored, and read back (duplicates collapsed, in a fixed order)", async () => {
    const { client, project } = await signedInWithProject();
    const patched = await client.json("PATCH", `/api/projects/${project.id}`, {
      judge: "classic",
      judgeSettings: { sensitivity: "high", ignoredMetrics: ["memory_usage", "cpu_usage", "cpu_usage"] },
      baselineIntervalMinutes: 30,
    });
    expect(patched.status).toBe(200);
    const expected = {
      judge: "classic",
      judgeSettings: { sensitivity: "high", ignoredMetrics: ["cpu_usage", "memory_usage"] },
      baselineIntervalMinutes: 30,
    };
    expect((await patched.json<ProjectBody>()).project).toMatchObject(expected);
    const [row] = await db.select().from(projects).where(eq(projects.id, project.id));
    expect(row).toMatchObject(expected);
    const listed = await (await client.fetch("/api/projects")).json<{ items: ProjectBody["project"][] }>();
    expect(listed.items[0]).toMatchObject(expected);

    // Settings are replaced whole; an empty object is back to the defaults; 0 turns the baseline off.
    const reset = await client.json("PATCH", `/api/projects/${project.id}`, {
      judge: "robust",
      judgeSettings: { ignoredMetrics: [] },
      baselineIntervalMinutes: 0,
    });
    expect((await reset.json<ProjectBody>()).project).toMatchObject({
      judge: "robust",
      judgeSettings: {},
      baselineIntervalMinutes: 0,
    });
    // Other fields leave them alone.
    const renamed = await client.json("PATCH", `/api/projects/${project.id}`, { name: "Renamed" });
    expect((await renamed.json<ProjectBody>()).project).toMatchObject({
      judge: "robust",
      baselineIntervalMinutes: 0,
    });
  });

  it("a new baseline interval starts now: the next scheduled run samples", async () => {
    const { client, project } = await signedInWithProject();
    const later = new Date(Date.now() + 30 * 60_000);
    await db.update(projects).set({ baselineDueAt: later }).where(eq(projects.id, project.id));
    // Other changes keep the schedule.
    expect((await client.json("PATCH", `/api/projects/${project.id}`, { name: "Renamed" })).status).toBe(200);
    const [kept] = await db.select().from(projects).where(eq(projects.id, project.id));
    expect(kept?.baselineDueAt?.getTime()).toBe(later.getTime());
    const patched = await client.json("PATCH", `/api/projects/${project.id}`, { baselineIntervalMinutes: 5 });
    expect(patched.status).toBe(200);
    const [row] = await db.select().from(projects).where(eq(projects.id, project.id));
    expect(row).toMatchObject({ baselineIntervalMinutes: 5, baselineDueAt: null });
  });

  it("read a stored value they do not know as the defaults, never failing", async () => {
    const { client, project } = await signedInWithProject();
    await db
      .update(projects)
      .set({ judgeSettings: { sensitivity: "extreme", ignoredMetrics: ["disk", "cpu_usage"], future: 1 } })
      .where(eq(projects.id, project.id));
    const read = await (await client.fetch(`/api/projects/${project.id}`)).json<ProjectBody>();
    expect(read.project.judgeSettings).toEqual({ ignoredMetrics: ["cpu_usage"] });
  });

  it.each([
    ["an unknown judge", { judge: "magic" }, "judge"],
    ["a judge that is not a string", { judge: null }, "judge"],
    ["an unknown setting key", { judgeSettings: { strictness: "high" } }, "judgeSettings"],
    ["an unknown sensitivity", { judgeSettings: { sensitivity: "extreme" } }, "judgeSettings.sensitivity"],
    [
      "an unknown metric",
      { judgeSettings: { ignoredMetrics: ["disk_usage"] } },
      "judgeSettings.ignoredMetrics.0",
    ],
    [
      "ignored metrics that are not a list",
      { judgeSettings: { ignoredMetrics: "cpu_usage" } },
      "judgeSettings.ignoredMetrics",
    ],
    ["settings that are not an object", { judgeSettings: "high" }, "judgeSettings"],
    [
      "every metric ignored",
      { judgeSettings: { ignoredMetrics: ALL_METRICS } },
      "judgeSettings.ignoredMetrics",
    ],
    ["a baseline interval of 15", { baselineIntervalMinutes: 15 }, "baselineIntervalMinutes"],
    ["a fractional baseline interval", { baselineIntervalMinutes: 5.5 }, "baselineIntervalMinutes"],
    ["a baseline interval as text", { baselineIntervalMinutes: "10" }, "baselineIntervalMinutes"],
  ])("refuse %s with 400, changing nothing", async (_, body, field) => {
    const { client, project } = await signedInWithProject();
    const response = await client.json("PATCH", `/api/projects/${project.id}`, body);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.fields?.map((item) => item.field)).toContain(field);
    const [row] = await db.select().from(projects).where(eq(projects.id, project.id));
    expect(row).toMatchObject({ judge: "robust", judgeSettings: {}, baselineIntervalMinutes: 10 });
  });

  it("explain why ignoring every metric is refused", async () => {
    const { client, project } = await signedInWithProject();
    const response = await client.json("PATCH", `/api/projects/${project.id}`, {
      judgeSettings: { ignoredMetrics: [...ALL_METRICS, "cpu_usage"] },
    });
    expect((await errorOf(response)).message).toMatch(/at least one metric/);
  });

  it("cannot be changed on another user's project (404) or without a session (401)", async () => {
    const { project } = await signedInWithProject();
    const intruder = new TestClient();
    await intruder.signUp();
    const body = { judge: "classic", judgeSettings: { sensitivity: "low" }, baselineIntervalMinutes: 5 };
    expect((await intruder.json("PATCH", `/api/projects/${project.id}`, body)).status).toBe(404);
    expect((await new TestClient().json("PATCH", `/api/projects/${project.id}`, body)).status).toBe(401);
    const [row] = await db.select().from(projects).where(eq(projects.id, project.id));
    expect(row).toMatchObject({ judge: "robust", baselineIntervalMinutes: 10 });
  });
});
