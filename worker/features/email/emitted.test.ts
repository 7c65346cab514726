import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { listEmailDeliveries } from "../../../db/queries/email";
import { projects, users } from "../../../db/schema";
import { TestClient } from "../../../test/client";
import { testDatabase } from "../../../test/helpers";
import { mailsTo } from "../../../test/mailbox";
import { healthy } from "../../../test/metrics-app";
import { runDeployment } from "../../../test/pipeline";
import { sendEmailJob } from "../../jobs/send-email";
import { runSweep } from "../../jobs/sweeper";

const { db, close } = testDatabase();
afterAll(() => close());

function sweepEmails(now: Date) {
  return runSweep(db, {
    handlers: { send_email: sendEmailJob.run },
    lanes: [["send_email"]],
    env,
    now,
    random: () => 0.5,
    budgetMs: 15_000,
  });
}

async function ownerOf(projectId: string) {
  const [row] = await db
    .select({ id: users.id, email: users.email })
    .from(projects)
    .innerJoin(users, eq(users.id, projects.ownerId))
    .where(eq(projects.id, projectId));
  if (!row) throw new Error("no owner");
  return row;
}

describe("mail the product sends by itself", () => {
  it("welcomes a new account now, and nudges it two hours later only if it has no project", async () => {
    const builder = new TestClient();
    const idle = new TestClient();
    const [withProject, without] = [await builder.signUp(), await idle.signUp()];
    const created = await builder.json("POST", "/api/projects", { name: "Checkout" });
    expect(created.status).toBe(201);
    const now = new Date();
    await sweepEmails(now);
    for (const account of [withProject, without]) {
      const mails = await mailsTo(account.email);
      expect(mails.map((mail) => mail.idempotencyKey)).toEqual([`welcome_signup:${account.user.id}`]);
    }
    await sweepEmails(new Date(now.getTime() + 2 * 3_600_000 + 60_000));
    expect(await mailsTo(withProject.email)).toHaveLength(1);
    const nudge = (await mailsTo(without.email))[0];
    expect(nudge?.subject).toBe("One step left: your first SeqPulse project");
    expect(nudge?.headers["List-Unsubscribe"]).toBeTruthy();
    const [suppressed] = (await listEmailDeliveries(db, { userId: withProject.user.id })).filter(
      (row) => row.emailType === "no_project_after_signup",
    );
    expect(suppressed).toMatchObject({
      status: "suppressed",
      payload: { reason: "project_already_created" },
    });
  });

  it("sends the first-verdict mail and a critical alert for a regressed first deployment", async () => {
    const run = await runDeployment({
      window: 3,
      responses: [{ metrics: healthy }, { metrics: { ...healthy, error_rate: 0.05 } }],
    });
    const owner = await ownerOf(run.projectId);
    await sweepEmails(new Date(Date.now() + 60 * 60_000));
    const mails = await mailsTo(owner.email);
    const keys = mails.map((mail) => mail.idempotencyKey).sort();
    expect(keys).toEqual([
      `critical_verdict_alert:${run.deploymentId}`,
      `first_verdict_available:${run.projectId}`,
      `welcome_signup:${owner.id}`,
    ]);
    const alert = mails.find((mail) => mail.idempotencyKey?.startsWith("critical_verdict_alert"));
    expect(alert?.subject).toMatch(
      /^Alert: Service app-[0-9a-f]+ \(prod\) — (rollback recommended|warning)$/,
    );
    expect(alert?.text).toContain(`http://seqpulse.test/deployments/view/?id=${run.deploymentId}`);
    expect(alert?.text).toContain("Deployment #1 of Service");
  });

  it("sends a first-verdict mail but no alert for a healthy deployment", async () => {
    const run = await runDeployment({ window: 1, responses: [{ metrics: healthy }] });
    const owner = await ownerOf(run.projectId);
    await sweepEmails(new Date(Date.now() + 60 * 60_000));
    const keys = (await mailsTo(owner.email)).map((mail) => mail.idempotencyKey).sort();
    expect(keys).toEqual([`first_verdict_available:${run.projectId}`, `welcome_signup:${owner.id}`]);
  });
});
