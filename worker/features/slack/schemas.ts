import * as z from "zod";
import { slackMessageStages, slackMessageStatuses } from "../../../db/schema/slack-messages";
import { errorResponse, noContent, type RouteContract, rateLimited, timestamp } from "../../lib/contract";
import { isSlackWebhookUrl } from "./webhook-url";

/** An empty string clears a field, as null does. */
const clearable = <T extends z.ZodType<string>>(schema: T) => z.union([z.literal(""), z.null(), schema]);

export const slackWebhookUrl = z.string().trim().max(512).refine(isSlackWebhookUrl, {
  message: "Must be a Slack incoming-webhook URL: https://hooks.slack.com/services/T…/B…/….",
});

/** A channel name (`#deploys`, as Slack allows them) or a channel id (`C0123456789`). */
export const slackChannel = z
  .string()
  .trim()
  .max(81)
  .regex(/^(#?[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{8,20})$/, {
    message:
      "Must be a channel name (#deploys: lowercase letters, digits, - _ .) or a channel id (C0123456789).",
  });

export const slackChannelId = z
  .string()
  .trim()
  .regex(/^[CG][A-Z0-9]{8,20}$/, { message: "Must be a channel id (C0123456789): the bot posts by id." });

export const slackBotToken = z
  .string()
  .trim()
  .max(256)
  .regex(/^xoxb-[A-Za-z0-9-]{10,250}$/, { message: "Must be a bot token (xoxb-…)." });

/**
 * A change of the settings: an absent field is kept, null or "" clears it. The secrets are
 * write-only: sent here, never answered back.
 */
export const saveSlackBody = z.strictObject({
  webhookUrl: clearable(slackWebhookUrl).optional(),
  channel: clearable(slackChannel).optional(),
  botToken: clearable(slackBotToken).optional(),
  botChannelId: clearable(slackChannelId).optional(),
  enabled: z.boolean().optional(),
  onlyProblems: z.boolean().optional(),
});
export type SaveSlackBody = z.output<typeof saveSlackBody>;

export const projectParam = z.object({ id: z.string() });

// ---- Answers ----

export const slackPath = z.enum(["bot", "webhook"]);

export const slackSettingsSchema = z.strictObject({
  projectId: z.uuid(),
  enabled: z.boolean(),
  onlyProblems: z
    .boolean()
    .describe("Only `warning` and `rollback_recommended` verdicts are posted, and nothing at the trigger."),
  webhookUrl: z
    .string()
    .nullable()
    .describe("The incoming webhook, masked (`https://hooks.slack.com/services/T…/B…/••••abcd`)."),
  channel: z.string().nullable(),
  botTokenSet: z.boolean().describe("Whether a bot token is stored; the token itself is never shown."),
  botChannelId: z.string().nullable(),
  path: slackPath
    .nullable()
    .describe("How deployments are posted: `bot` (one message, updated in place) wins over `webhook`."),
  lastDelivery: z
    .strictObject({
      deploymentId: z.uuid(),
      status: z.enum(slackMessageStatuses),
      stage: z.enum(slackMessageStages).nullable(),
      error: z.string().nullable(),
      at: timestamp,
    })
    .nullable()
    .describe("The most recent deployment message and its last error, if any."),
  updatedAt: timestamp,
});

export const slackSettingsResponse = z.strictObject({ slack: slackSettingsSchema.nullable() });
export const slackTestResponse = z.strictObject({
  sent: z.array(slackPath).describe("Every configured path, each of which posted the test message."),
});

const tag = "Slack";
const noProject = errorResponse("No such project (or not yours).");
const base = "/api/projects/:id/slack";
const notConfigured = errorResponse(
  "No Slack settings for this project: set an incoming webhook or a bot token first (`SLACK_NOT_CONFIGURED`).",
);

export const slackContract: RouteContract[] = [
  {
    method: "GET",
    path: base,
    tag,
    summary: "The project's Slack settings",
    security: "user",
    request: { params: projectParam },
    responses: {
      200: { description: "The settings, secrets masked; null when none.", body: slackSettingsResponse },
      404: noProject,
    },
  },
  {
    method: "PUT",
    path: base,
    tag,
    summary: "Set the project's Slack settings",
    description:
      "Absent fields are kept; null or an empty string clears one. A bot token needs a channel id. " +
      "The webhook URL and bot token are stored encrypted and never shown again.",
    security: "user",
    request: { params: projectParam, body: saveSlackBody },
    responses: {
      200: { description: "The settings as stored, secrets masked.", body: slackSettingsResponse },
      403: errorResponse("The project's plan does not include Slack (`PLAN_LIMIT`)."),
      404: noProject,
    },
  },
  {
    method: "DELETE",
    path: base,
    tag,
    summary: "Remove the project's Slack settings",
    security: "user",
    request: { params: projectParam },
    responses: {
      204: noContent,
      404: errorResponse("No such project (or not yours), or no Slack settings."),
    },
  },
  ...(["enable", "disable"] as const).map(
    (action): RouteContract => ({
      method: "POST",
      path: `${base}/${action}`,
      tag,
      summary: action === "enable" ? "Turn Slack notifications on" : "Turn Slack notifications off",
      security: "user",
      request: { params: projectParam },
      responses: {
        200: { description: "The settings as stored.", body: slackSettingsResponse },
        403: errorResponse("The project's plan does not include Slack (`PLAN_LIMIT`)."),
        404: noProject,
        409: notConfigured,
      },
    }),
  ),
  {
    method: "POST",
    path: `${base}/test`,
    tag,
    summary: "Send a test message now",
    description:
      "Posts a test message through every configured path (bot, then webhook) with a short timeout. " +
      "Works while notifications are disabled, so a setup can be checked before turning it on.",
    security: "user",
    request: { params: projectParam },
    responses: {
      200: { description: "Every configured path posted it.", body: slackTestResponse },
      403: errorResponse("The project's plan does not include Slack (`PLAN_LIMIT`)."),
      404: noProject,
      409: errorResponse(
        "No Slack settings (`SLACK_NOT_CONFIGURED`), or Slack is turned off for this service (`SLACK_DISABLED`).",
      ),
      422: errorResponse(
        "Slack refused: the webhook is revoked or wrong (`SLACK_WEBHOOK_REJECTED`), or the bot token or " +
          "channel is (`SLACK_BOT_REJECTED`); `details` has the path and Slack's error.",
      ),
      424: errorResponse(
        "Slack did not answer in time (`SLACK_TIMEOUT`) or failed (`SLACK_UNAVAILABLE`); try again later.",
      ),
      429: rateLimited("Too many test messages; wait."),
    },
  },
];
