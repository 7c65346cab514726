import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailDeliveries, projects } from "../../../db/schema";
import { TestClient } from "../../../test/client";
import { errorOf, fetchApp, request, testDatabase, uniqueClientIp } from "../../../test/helpers";
import { healthy } from "../../../test/metrics-app";
import { drainLeftoverJobs, runDeployment } from "../../../test/pipeline";
import { projectWithActiveEndpoint } from "../../../test/projects";

type Kpi = {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  available: boolean;
  reason: string | null;
};
type Answer = { window: { from: string; to: string; days: number }; kpis: Record<string, Kpi> };

const path = "/api/analytics/kpi/lifecycle";
const asOperator = (query = "?days=7", headers: Record<string, string> = {}) =>
  request(`${path}${query}`, {
    headers: {
      Authorization: `Bearer ${env.OPERATOR_TOKEN}`,
      "CF-Connecting-IP": uniqueClientIp(),
      ...headers,
    },
  });

async function kpis(): Promise<Answer["kpis"]> {
  const response = await asOperator();
  expect(response.status).toBe(200);
  return (await response.json<Answer>()).kpis;
}

const { db, close } = testDatabase();
beforeAll(() => drainLeftoverJobs());
afterAll(() => close());

describe("GET /api/analytics/kpi/lifecycle: who may read it", () => {
  it("answers 401 without the operator token, with a wrong one, and to a user's session or API token", async () => {
    const owner = new TestClient();
    await owner.signUp();
    expect((await owner.fetch(path)).status).toBe(401);
    const token = await owner.json("POST", "/api/auth/tokens", { name: "scripts" });
    owner.bearer = (await token.json<{ token: string }>()).token;
    owner.cookies.clear();
    expect((await owner.fetch(path)).status).toBe(401);
    for (const authorization of ["Bearer wrong", `Bearer ${env.OPERATOR_TOKEN}x`, ""]) {
      const response = await request(path, {
        headers: { Authorization: authorization, "CF-Connecting-IP": uniqueClientIp() },
      });
      expect(response.status).toBe(401);
      expect((await errorOf(response)).code).toBe("UNAUTHENTICATED");
    }
  });

  it("answers 401 to everyone when OPERATOR_TOKEN is unset", async () => {
    const ctx = createExecutionContext();
    const response = await fetchApp(
      new Request(`http://seqpulse.test${path}`, { headers: { Authorization: "Bearer anything" } }),
      { ...env, OPERATOR_TOKEN: "" },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(401);
  });

  it("refuses days outside 1..90 and anything but a whole number with 400", async () => {
    for (const query of [
      "?days=0",
      "?days=91",
      "?days=abc",
      "?days=1.5",
      "?days=-3",
      `?days=${"9".repeat(400)}`,
    ]) {
      const response = await asOperator(query);
      expect(response.status, query).toBe(400);
      expect((await errorOf(response)).code).toBe("VALIDATION_FAILED");
    }
    const response = await asOperator("");
    expect((await response.json<Answer>()).window.days).toBe(7);
    expect((await (await asOperator("?days=90")).json<Answer>()).window.days).toBe(90);
  });
});

describe("GET /api/analytics/kpi/lifecycle: the figures", () => {
  it("counts signups with a project in 24 h and projects with a verdict in 72 h", async () => {
    const before = await kpis();
    // One account without a project; one with a project judged through the real pipeline.
    await new TestClient().signUp();
    await runDeployment({ window: 2, responses: [{ metrics: healthy }] });
    const after = await kpis();
    const signups = [before.signup_to_project_24h!, after.signup_to_project_24h!];
    expect(signups[1]!.denominator! - signups[0]!.denominator!).toBe(2);
    expect(signups[1]!.numerator! - signups[0]!.numerator!).toBe(1);
    const projectsKpi = [before.project_to_first_verdict_72h!, after.project_to_first_verdict_72h!];
    expect(projectsKpi[1]!.denominator! - projectsKpi[0]!.denominator!).toBe(1);
    expect(projectsKpi[1]!.numerator! - projectsKpi[0]!.numerator!).toBe(1);
    const { numerator, denominator, value } = after.signup_to_project_24h!;
    expect(value).toBe(Math.round((numerator! / denominator!) * 10_000) / 100);
  });

  it("counts projects sent a quota mail, and those on a paid plan now", async () => {
    const before = (await kpis()).free_to_pro_from_quota_emails!;
    const upgraded = await projectWithActiveEndpoint();
    const stayed = await projectWithActiveEndpoint();
    const notSent = await projectWithActiveEndpoint();
    const now = new Date();
    const mail = (project: { id: string }, ownerId: string, type: string, status: "sent" | "suppressed") => ({
      userId: ownerId,
      projectId: project.id,
      emailType: type,
      dedupeKey: `kpi-test:${crypto.randomUUID()}`,
      status,
      sentAt: status === "sent" ? now : null,
    });
    const ownerOf = async (id: string) =>
      (await db.select({ ownerId: projects.ownerId }).from(projects).where(eq(projects.id, id)))[0]!.ownerId;
    await db
      .insert(emailDeliveries)
      .values([
        mail(upgraded.project, await ownerOf(upgraded.project.id), "quota_80", "sent"),
        mail(upgraded.project, await ownerOf(upgraded.project.id), "quota_reached", "sent"),
        mail(stayed.project, await ownerOf(stayed.project.id), "quota_reached", "sent"),
        mail(notSent.project, await ownerOf(notSent.project.id), "quota_80", "suppressed"),
      ]);
    await db.update(projects).set({ plan: "pro" }).where(eq(projects.id, upgraded.project.id));
    await db.update(projects).set({ plan: "pro" }).where(eq(projects.id, notSent.project.id));
    const after = (await kpis()).free_to_pro_from_quota_emails!;
    expect(after.denominator! - before.denominator!).toBe(2);
    expect(after.numerator! - before.numerator!).toBe(1);
    expect(after.available).toBe(true);
  });

  it("says the critical-mail open rate is unavailable instead of answering 0", async () => {
    expect((await kpis()).critical_alert_open_rate).toEqual({
      value: null,
      numerator: null,
      denominator: null,
      available: false,
      reason: "open_tracking_not_recorded",
    });
  });
});
