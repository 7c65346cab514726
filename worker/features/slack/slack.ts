import type { Database } from "../../../db/client";
import type { ProjectRow } from "../../../db/queries/projects";
import {
  deleteSlackConfig,
  findLatestSlackMessage,
  findSlackConfig,
  type SlackConfigChanges,
  type SlackConfigRow,
  saveSlackConfig,
} from "../../../db/queries/slack";
import { ApiError, type ErrorCode } from "../../lib/errors";
import { secretBox } from "../../lib/secret-box";
import { getOwnedProject } from "../projects/project-settings";
import { slackSecretContext } from "./delivery";
import { renderTestMessage } from "./message";
import { slackAllowedFor } from "./plan-gate";
import type { SaveSlackBody } from "./schemas";
import { callSlackApi, postSlackWebhook, readSlackSettings, type SlackOutcome } from "./slack-api";

// A project's Slack settings: every function takes the owner's id and checks the project first,
// so another owner's project is NOT_FOUND, as an unknown one.

type SlackEnv = Pick<Env, "ENCRYPTION_KEYS" | "SLACK_ENABLED" | "SLACK_API_BASE_URL_OVERRIDE">;

/** `https://hooks.slack.com/services/T000/B000/••••abcd`: the workspace and bot ids, 4 characters of the secret. */
export function maskWebhookUrl(url: string): string {
  const separator = url.lastIndexOf("/");
  return `${url.slice(0, separator + 1)}••••${url.slice(-4)}`;
}

function pathOf(config: Pick<SlackConfigRow, "botTokenEncrypted" | "botChannelId" | "webhookUrlEncrypted">) {
  if (config.botTokenEncrypted && config.botChannelId) return "bot" as const;
  if (config.webhookUrlEncrypted) return "webhook" as const;
  return null;
}

async function settingsView(db: Database, config: SlackConfigRow | null) {
  if (!config) return { slack: null };
  const last = await findLatestSlackMessage(db, config.projectId);
  return {
    slack: {
      projectId: config.projectId,
      enabled: config.enabled,
      onlyProblems: config.onlyProblems,
      webhookUrl: config.webhookUrlPreview,
      channel: config.channel,
      botTokenSet: config.botTokenEncrypted !== null,
      botChannelId: config.botChannelId,
      path: pathOf(config),
      lastDelivery: last
        ? {
            deploymentId: last.deploymentId,
            status: last.status,
            stage: last.stage,
            error: last.lastError,
            at: last.updatedAt.toISOString(),
          }
        : null,
      updatedAt: config.updatedAt.toISOString(),
    },
  };
}

function requirePlan(project: ProjectRow) {
  if (!slackAllowedFor(project))
    throw new ApiError("PLAN_LIMIT", "Slack notifications are part of the Pro and Enterprise plans.");
}

export async function getSlackSettings(db: Database, ownerId: string, projectId: string) {
  const project = await getOwnedProject(db, ownerId, projectId);
  return settingsView(db, await findSlackConfig(db, project.id));
}

/**
 * Applies a change: absent fields kept, null or "" cleared, secrets encrypted for this project.
 * The result must name a way to post (a webhook, or a bot token with its channel id).
 */
export async function saveSlackSettings(
  db: Database,
  env: SlackEnv,
  ownerId: string,
  projectId: string,
  body: SaveSlackBody,
) {
  const project = await getOwnedProject(db, ownerId, projectId);
  requirePlan(project);
  const existing = await findSlackConfig(db, project.id);
  const box = secretBox(env.ENCRYPTION_KEYS);
  const changes: SlackConfigChanges = {};
  if (body.webhookUrl !== undefined) {
    const url = body.webhookUrl || null;
    changes.webhookUrlEncrypted = url
      ? await box.encrypt(url, slackSecretContext(project.id, "webhook"))
      : null;
    changes.webhookUrlPreview = url ? maskWebhookUrl(url) : null;
  }
  if (body.botToken !== undefined) {
    const token = body.botToken || null;
    changes.botTokenEncrypted = token
      ? await box.encrypt(token, slackSecretContext(project.id, "bot"))
      : null;
  }
  if (body.channel !== undefined) changes.channel = body.channel || null;
  if (body.botChannelId !== undefined) changes.botChannelId = body.botChannelId || null;
  if (body.enabled !== undefined) changes.enabled = body.enabled;
  if (body.onlyProblems !== undefined) changes.onlyProblems = body.onlyProblems;

  const merged = {
    webhookUrlEncrypted: existing?.webhookUrlEncrypted ?? null,
    botTokenEncrypted: existing?.botTokenEncrypted ?? null,
    botChannelId: existing?.botChannelId ?? null,
    ...changes,
  };
  const fields: Array<{ field: string; message: string }> = [];
  if (merged.botTokenEncrypted && !merged.botChannelId)
    fields.push({ field: "botChannelId", message: "A bot token needs the id of the channel it posts to." });
  if (merged.botChannelId && !merged.botTokenEncrypted)
    fields.push({ field: "botToken", message: "A channel id is used with a bot token." });
  if (!merged.webhookUrlEncrypted && !merged.botTokenEncrypted)
    fields.push({
      field: "webhookUrl",
      message: "Set an incoming webhook URL, or a bot token and a channel id.",
    });
  if (fields.length > 0)
    throw new ApiError("VALIDATION_FAILED", "These Slack settings cannot post anything.", { fields });
  return settingsView(db, await saveSlackConfig(db, project.id, changes));
}

export async function removeSlackSettings(db: Database, ownerId: string, projectId: string) {
  const project = await getOwnedProject(db, ownerId, projectId);
  if (!(await deleteSlackConfig(db, project.id))) throw new ApiError("NOT_FOUND", "No Slack settings.");
}

export async function setSlackEnabled(db: Database, ownerId: string, projectId: string, enabled: boolean) {
  const project = await getOwnedProject(db, ownerId, projectId);
  requirePlan(project);
  if (!(await findSlackConfig(db, project.id)))
    throw new ApiError("SLACK_NOT_CONFIGURED", "Set an incoming webhook or a bot token first.");
  return settingsView(db, await saveSlackConfig(db, project.id, { enabled }));
}

/** The owner's project with its Slack settings, or NOT_FOUND / SLACK_NOT_CONFIGURED. */
export async function getOwnedSlackProject(db: Database, ownerId: string, projectId: string) {
  const project = await getOwnedProject(db, ownerId, projectId);
  const config = await findSlackConfig(db, project.id);
  return { project, config };
}

const failureCodes: Record<
  "bot" | "webhook",
  Record<Exclude<SlackOutcome & { ok: false }, never>["kind"], ErrorCode>
> = {
  bot: {
    rejected: "SLACK_BOT_REJECTED",
    message_not_found: "SLACK_BOT_REJECTED",
    timeout: "SLACK_TIMEOUT",
    unavailable: "SLACK_UNAVAILABLE",
    rate_limited: "SLACK_UNAVAILABLE",
  },
  webhook: {
    rejected: "SLACK_WEBHOOK_REJECTED",
    message_not_found: "SLACK_WEBHOOK_REJECTED",
    timeout: "SLACK_TIMEOUT",
    unavailable: "SLACK_UNAVAILABLE",
    rate_limited: "SLACK_UNAVAILABLE",
  },
};

/**
 * Posts a test message now through every configured path, bot first, each with the short
 * timeout; the first failure answers with a stable code and Slack's own error in `details`.
 */
export async function sendSlackTest(
  env: SlackEnv,
  target: { project: ProjectRow; config: SlackConfigRow | null },
) {
  const { project, config } = target;
  requirePlan(project);
  if (!config || !pathOf(config))
    throw new ApiError("SLACK_NOT_CONFIGURED", "Set an incoming webhook or a bot token first.");
  const settings = readSlackSettings(env);
  if (!settings.enabled)
    throw new ApiError("SLACK_DISABLED", "Slack notifications are turned off on this service.");
  const box = secretBox(env.ENCRYPTION_KEYS);
  const body = renderTestMessage(project.name);
  const sent: Array<"bot" | "webhook"> = [];
  const attempts: Array<["bot" | "webhook", () => Promise<SlackOutcome>]> = [];
  if (config.botTokenEncrypted && config.botChannelId) {
    const { botTokenEncrypted, botChannelId } = config;
    attempts.push([
      "bot",
      async () =>
        callSlackApi(
          settings,
          "chat.postMessage",
          await box.decrypt(botTokenEncrypted, slackSecretContext(project.id, "bot")),
          {
            channel: botChannelId,
            ...body,
          },
        ),
    ]);
  }
  if (config.webhookUrlEncrypted) {
    const { webhookUrlEncrypted, channel } = config;
    attempts.push([
      "webhook",
      async () =>
        postSlackWebhook(
          settings,
          await box.decrypt(webhookUrlEncrypted, slackSecretContext(project.id, "webhook")),
          {
            ...body,
            ...(channel ? { channel } : {}),
          },
        ),
    ]);
  }
  for (const [path, attempt] of attempts) {
    const outcome = await attempt();
    if (!outcome.ok) {
      const code = failureCodes[path][outcome.kind];
      throw new ApiError(code, testFailureMessage(path, outcome), {
        details: { path, slackError: outcome.error, statusCode: outcome.statusCode, sent },
      });
    }
    sent.push(path);
  }
  return { sent };
}

function testFailureMessage(path: "bot" | "webhook", outcome: SlackOutcome & { ok: false }): string {
  const door = path === "bot" ? "The bot" : "The incoming webhook";
  switch (outcome.kind) {
    case "timeout":
      return `${door}: Slack did not answer in time.`;
    case "unavailable":
    case "rate_limited":
      return `${door}: Slack could not take the message now (${outcome.error}); try again later.`;
    default:
      return `${door}: Slack refused the message (${outcome.error}).`;
  }
}
