import { and, asc, desc, eq, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../client";
import {
  deployments,
  hints,
  projectSlack,
  projects,
  type SlackMessageStage,
  slackMessages,
  verdicts,
} from "../schema";

// A project's Slack settings and its deployments' messages. Settings lookups a user reaches
// carry the project id (already checked to be the user's); the job reads by deployment id.

export type SlackConfigRow = typeof projectSlack.$inferSelect;
export type SlackMessageRow = typeof slackMessages.$inferSelect;
export type SlackConfigChanges = Partial<
  Pick<
    SlackConfigRow,
    | "webhookUrlEncrypted"
    | "webhookUrlPreview"
    | "channel"
    | "botTokenEncrypted"
    | "botChannelId"
    | "enabled"
    | "onlyProblems"
  >
>;

export async function findSlackConfig(db: Database, projectId: string): Promise<SlackConfigRow | null> {
  const rows = await db.select().from(projectSlack).where(eq(projectSlack.projectId, projectId));
  return rows[0] ?? null;
}

/** Creates the project's row or changes the given columns of it. */
export async function saveSlackConfig(
  db: Database,
  projectId: string,
  changes: SlackConfigChanges,
): Promise<SlackConfigRow> {
  const rows = await db
    .insert(projectSlack)
    .values({ projectId, ...changes })
    .onConflictDoUpdate({ target: projectSlack.projectId, set: { ...changes, updatedAt: sql`now()` } })
    .returning();
  const row = rows[0];
  if (!row) throw new Error("upsert returned no row");
  return row;
}

export async function deleteSlackConfig(db: Database, projectId: string): Promise<boolean> {
  const rows = await db
    .delete(projectSlack)
    .where(eq(projectSlack.projectId, projectId))
    .returning({ projectId: projectSlack.projectId });
  return rows.length > 0;
}

/** What deciding whether a deployment event is posted needs: one primary-key lookup. */
export async function findSlackRouting(db: Database, projectId: string) {
  const rows = await db
    .select({
      enabled: projectSlack.enabled,
      onlyProblems: projectSlack.onlyProblems,
      hasBot: sql<boolean>`${projectSlack.botTokenEncrypted} is not null and ${projectSlack.botChannelId} is not null`,
      hasWebhook: sql<boolean>`${projectSlack.webhookUrlEncrypted} is not null`,
      ownerId: projects.ownerId,
      plan: projects.plan,
    })
    .from(projectSlack)
    .innerJoin(projects, eq(projects.id, projectSlack.projectId))
    .where(eq(projectSlack.projectId, projectId));
  return rows[0] ?? null;
}

/** Everything a deployment's Slack message shows, and where it goes; null when the deployment is gone. */
export async function findSlackTarget(db: Database, deploymentId: string) {
  const rows = await db
    .select({
      deployment: {
        id: deployments.id,
        number: deployments.number,
        env: deployments.env,
        state: deployments.state,
        branch: deployments.branch,
        commitSha: deployments.commitSha,
        version: deployments.version,
        pipelineResult: deployments.pipelineResult,
      },
      project: { id: projects.id, name: projects.name, plan: projects.plan },
      verdict: {
        verdict: verdicts.verdict,
        confidence: verdicts.confidence,
        summary: verdicts.summary,
      },
    })
    .from(deployments)
    .innerJoin(projects, eq(projects.id, deployments.projectId))
    .leftJoin(verdicts, eq(verdicts.deploymentId, deployments.id))
    .where(eq(deployments.id, deploymentId));
  const row = rows[0];
  if (!row) return null;
  const [config, topHints] = await Promise.all([
    findSlackConfig(db, row.project.id),
    row.verdict
      ? db
          .select({ title: hints.title, severity: hints.severity })
          .from(hints)
          .where(eq(hints.deploymentId, deploymentId))
          .orderBy(
            sql`case ${hints.severity} when 'critical' then 0 when 'warning' then 1 else 2 end`,
            desc(hints.confidence),
            asc(hints.metric),
          )
          .limit(3)
      : Promise.resolve([]),
  ]);
  return { ...row, config, hints: topHints };
}

/** The deployment's message row, created on first use (one per dedupe key, whoever comes first). */
export async function ensureSlackMessage(
  db: Database,
  values: { dedupeKey: string; deploymentId: string; path: "bot" | "webhook" },
): Promise<SlackMessageRow> {
  await db.insert(slackMessages).values(values).onConflictDoNothing({ target: slackMessages.dedupeKey });
  const rows = await db.select().from(slackMessages).where(eq(slackMessages.dedupeKey, values.dedupeKey));
  const row = rows[0];
  if (!row) throw new Error("slack message row vanished");
  return row;
}

export async function findSlackMessages(db: Database, deploymentId: string): Promise<SlackMessageRow[]> {
  return db.select().from(slackMessages).where(eq(slackMessages.deploymentId, deploymentId));
}

/**
 * Takes the right to post the message until `until`: false when it is posted already or another
 * job holds an unexpired claim. One conditional update, so two jobs never both win.
 */
export async function claimSlackPost(db: Database, id: string, now: Date, until: Date): Promise<boolean> {
  const rows = await db
    .update(slackMessages)
    .set({ postingUntil: until })
    .where(
      and(
        eq(slackMessages.id, id),
        isNull(slackMessages.ts),
        or(isNull(slackMessages.postingUntil), lt(slackMessages.postingUntil, now)),
      ),
    )
    .returning({ id: slackMessages.id });
  return rows.length > 0;
}

/** A successful post or update: where the message is and what it shows; the claim released. */
export async function recordSlackSuccess(
  db: Database,
  id: string,
  values: { stage: SlackMessageStage; channel?: string | null; ts?: string | null },
): Promise<void> {
  await db
    .update(slackMessages)
    .set({
      status: "posted",
      stage: values.stage,
      ...(values.channel !== undefined && { channel: values.channel }),
      ...(values.ts !== undefined && { ts: values.ts }),
      attempts: sql`${slackMessages.attempts} + 1`,
      lastError: null,
      postingUntil: null,
      updatedAt: sql`now()`,
    })
    .where(eq(slackMessages.id, id));
}

/** A failed attempt; `final` marks the message failed (a message already posted stays posted). */
export async function recordSlackFailure(
  db: Database,
  id: string,
  values: { error: string; final: boolean },
): Promise<void> {
  await db
    .update(slackMessages)
    .set({
      status: values.final
        ? sql`case when ${slackMessages.ts} is null then 'failed' else ${slackMessages.status} end`
        : slackMessages.status,
      attempts: sql`${slackMessages.attempts} + 1`,
      lastError: values.error,
      postingUntil: null,
      updatedAt: sql`now()`,
    })
    .where(eq(slackMessages.id, id));
}

/** The project's most recent deployment message, for the settings page's last-delivery line. */
export async function findLatestSlackMessage(
  db: Database,
  projectId: string,
): Promise<SlackMessageRow | null> {
  const rows = await db
    .select({ message: slackMessages })
    .from(slackMessages)
    .innerJoin(deployments, eq(deployments.id, slackMessages.deploymentId))
    .where(eq(deployments.projectId, projectId))
    .orderBy(desc(slackMessages.updatedAt), desc(slackMessages.id))
    .limit(1);
  return rows[0]?.message ?? null;
}

/**
 * True, inside a statement, when the project posts to Slack at the trigger: enabled, a bot token
 * and its channel (a webhook posts at the verdict only), and not limited to problems.
 */
export function slackPostsAtTrigger(projectId: string): SQL {
  return sql`exists (
    select 1 from ${projectSlack}
    where ${projectSlack.projectId} = ${projectId}::uuid and ${projectSlack.enabled}
      and ${projectSlack.botTokenEncrypted} is not null and ${projectSlack.botChannelId} is not null
      and not ${projectSlack.onlyProblems})`;
}

/**
 * Deployments that ended without a verdict (expired, cancelled) while their bot message still
 * says "observing": the cleanup job queues an update for each, so no message waits forever.
 */
export async function findEndedSlackMessages(
  db: Database,
  limit: number,
): Promise<Array<{ deploymentId: string; ownerId: string }>> {
  return db
    .select({ deploymentId: slackMessages.deploymentId, ownerId: projects.ownerId })
    .from(slackMessages)
    .innerJoin(deployments, eq(deployments.id, slackMessages.deploymentId))
    .innerJoin(projects, eq(projects.id, deployments.projectId))
    .where(
      and(
        eq(slackMessages.path, "bot"),
        eq(slackMessages.stage, "observing"),
        inArray(deployments.state, ["expired", "cancelled"]),
      ),
    )
    .limit(limit);
}
