// A deployment's Slack message, from the trigger to the verdict.
//
// With a bot token: one message per deployment, posted at the trigger (`chat.postMessage`,
// "observing") and edited in place (`chat.update`) at the verdict or cancellation. With only an
// incoming webhook (which cannot edit): one post, at the verdict. Every job renders the
// deployment as it is *now*, not as it was when the job was queued, so jobs may run late or out
// of order: a late trigger job finds the verdict already shown and does nothing, a verdict job
// that finds no message yet posts the verdict directly.
import type { Database } from "../../../db/client";
import {
  claimSlackPost,
  ensureSlackMessage,
  findSlackMessages,
  findSlackTarget,
  recordSlackFailure,
  recordSlackSuccess,
} from "../../../db/queries/slack";
import { log } from "../../lib/log";
import { secretBox } from "../../lib/secret-box";
import { deploymentLink, renderDeploymentMessage, stageOf } from "./message";
import { slackAllowedFor } from "./plan-gate";
import {
  callSlackApi,
  postSlackWebhook,
  readSlackSettings,
  SLACK_TIMEOUT_MS,
  type SlackOutcome,
} from "./slack-api";

/** Secrets are bound to their project: a ciphertext copied to another project does not decrypt. */
export const slackSecretContext = (projectId: string, what: "webhook" | "bot") =>
  `slack-${what}:${projectId}`;

export type SlackDeliveryResult =
  | { status: "sent" | "unchanged" | "skipped" | "failed" | "retry" }
  | { status: "deferred"; until: Date };

/** How long a job holds the right to post a message: past the call's timeout, with room. */
const POST_CLAIM_MS = SLACK_TIMEOUT_MS + 10_000;

/**
 * One attempt at bringing the deployment's message up to date. `lastAttempt`: a failure is
 * recorded as final. Slack refusing for good (bad token, unknown channel, revoked webhook) is
 * final at once and recorded on the message row, never retried.
 */
export async function deliverSlackMessage(
  db: Database,
  env: Pick<Env, "ENCRYPTION_KEYS" | "SLACK_ENABLED" | "SLACK_API_BASE_URL_OVERRIDE" | "PUBLIC_BASE_URL">,
  deploymentId: string,
  options: { now: Date; lastAttempt: boolean; timeoutMs?: number },
): Promise<SlackDeliveryResult> {
  const settings = readSlackSettings(env);
  if (!settings.enabled) return { status: "skipped" };
  const target = await findSlackTarget(db, deploymentId);
  const config = target?.config;
  if (!target || !config?.enabled || !slackAllowedFor(target.project)) return { status: "skipped" };
  const stage = stageOf(target);
  const problem = target.verdict !== null && target.verdict.verdict !== "ok";
  const useBot = config.botTokenEncrypted !== null && config.botChannelId !== null;
  // Limited to problems: nothing new is posted for the rest, but a message already in the
  // channel (posted before the switch) is still brought to its end.
  if (config.onlyProblems && !problem) {
    const posted = await findSlackMessages(db, deploymentId);
    if (!useBot || !posted.some((row) => row.path === "bot" && row.ts)) return { status: "skipped" };
  }
  const box = secretBox(env.ENCRYPTION_KEYS);
  const body = renderDeploymentMessage(target, deploymentLink(env.PUBLIC_BASE_URL, deploymentId));
  const timeoutMs = options.timeoutMs ?? SLACK_TIMEOUT_MS;

  if (!useBot && (stage !== "verdict" || !config.webhookUrlEncrypted)) return { status: "skipped" };
  const message = await ensureSlackMessage(db, {
    dedupeKey: `slack:${useBot ? "bot" : "webhook"}:${deploymentId}`,
    deploymentId,
    path: useBot ? "bot" : "webhook",
  });
  if (message.status === "posted" && message.stage === stage) return { status: "unchanged" };

  const settle = async (outcome: SlackOutcome, values: { channel?: string | null; ts?: string | null }) => {
    if (outcome.ok) {
      await recordSlackSuccess(db, message.id, { stage, ...values });
      return { status: "sent" } as const;
    }
    return failure(db, message.id, deploymentId, outcome, options);
  };

  if (useBot && message.ts && message.channel) {
    const token = await box.decrypt(
      config.botTokenEncrypted as string,
      slackSecretContext(config.projectId, "bot"),
    );
    const updated = await callSlackApi(
      settings,
      "chat.update",
      token,
      { channel: message.channel, ts: message.ts, ...body },
      timeoutMs,
    );
    if (updated.ok || updated.kind !== "message_not_found") return settle(updated, {});
    // Deleted in Slack: the deployment gets a new message.
    const posted = await callSlackApi(
      settings,
      "chat.postMessage",
      token,
      { channel: config.botChannelId, ...body },
      timeoutMs,
    );
    return settle(posted, posted.ok ? { channel: posted.channel, ts: posted.ts } : {});
  }

  // Not posted yet: whoever claims the row posts it; another job holding the claim is waited for.
  const claimUntil = new Date(options.now.getTime() + POST_CLAIM_MS);
  if (!(await claimSlackPost(db, message.id, options.now, claimUntil))) {
    return { status: "deferred", until: new Date((message.postingUntil ?? claimUntil).getTime() + 1000) };
  }
  if (useBot) {
    const token = await box.decrypt(
      config.botTokenEncrypted as string,
      slackSecretContext(config.projectId, "bot"),
    );
    const posted = await callSlackApi(
      settings,
      "chat.postMessage",
      token,
      { channel: config.botChannelId, ...body },
      timeoutMs,
    );
    return settle(posted, posted.ok ? { channel: posted.channel, ts: posted.ts } : {});
  }
  const url = await box.decrypt(
    config.webhookUrlEncrypted as string,
    slackSecretContext(config.projectId, "webhook"),
  );
  const posted = await postSlackWebhook(
    settings,
    url,
    { ...body, ...(config.channel ? { channel: config.channel } : {}) },
    timeoutMs,
  );
  return settle(posted, {});
}

async function failure(
  db: Database,
  messageId: string,
  deploymentId: string,
  outcome: SlackOutcome & { ok: false },
  options: { now: Date; lastAttempt: boolean },
): Promise<SlackDeliveryResult> {
  const error =
    outcome.statusCode && outcome.statusCode !== 200
      ? `${outcome.error} (HTTP ${outcome.statusCode})`
      : outcome.error;
  if (outcome.kind === "rate_limited") {
    // Slack said when to come back: that wait uses no attempt.
    await recordSlackFailure(db, messageId, { error, final: false });
    const until = new Date(options.now.getTime() + (outcome.retryAfterSeconds ?? 60) * 1000);
    return { status: "deferred", until };
  }
  const final = options.lastAttempt || outcome.kind === "rejected" || outcome.kind === "message_not_found";
  await recordSlackFailure(db, messageId, { error, final });
  log(final ? "warn" : "info", "slack delivery failed", {
    deploymentId,
    kind: outcome.kind,
    slackError: outcome.error,
    final,
  });
  return { status: final ? "failed" : "retry" };
}
