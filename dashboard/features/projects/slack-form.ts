// The Slack form's pure part: what the form starts with, and what it sends. The webhook URL and
// the bot token are write-only: the form starts them empty, and an empty one keeps what is stored.

export interface SlackSettingsView {
  projectId: string;
  enabled: boolean;
  onlyProblems: boolean;
  /** Masked: `https://hooks.slack.com/services/T…/B…/••••abcd`. */
  webhookUrl: string | null;
  channel: string | null;
  botTokenSet: boolean;
  botChannelId: string | null;
  path: "bot" | "webhook" | null;
  lastDelivery: {
    deploymentId: string;
    status: "pending" | "posted" | "failed";
    stage: "observing" | "verdict" | "cancelled" | null;
    error: string | null;
    at: string;
  } | null;
  updatedAt: string;
}

export interface SlackFormValues {
  webhookUrl: string;
  channel: string;
  botToken: string;
  botChannelId: string;
  onlyProblems: boolean;
}

export type SlackFormProblem = "webhookUrl" | "channel" | "botToken" | "botChannelId" | "nothing";

export interface SlackBody {
  webhookUrl?: string;
  channel?: string;
  botToken?: string;
  botChannelId?: string;
  onlyProblems: boolean;
}

export function slackFormFrom(settings: SlackSettingsView | null): SlackFormValues {
  return {
    webhookUrl: "",
    channel: settings?.channel ?? "",
    botToken: "",
    botChannelId: settings?.botChannelId ?? "",
    onlyProblems: settings?.onlyProblems ?? false,
  };
}

const WEBHOOK_PREFIX = "https://hooks.slack.com/services/";

/**
 * The body of `PUT /api/projects/:id/slack`, or the fields to fix first. The same rules as the
 * server's, checked early so the owner sees them beside the field: the server checks again.
 */
export function slackBody(
  values: SlackFormValues,
  current: SlackSettingsView | null,
): { ok: true; body: SlackBody } | { ok: false; problems: SlackFormProblem[] } {
  const webhookUrl = values.webhookUrl.trim();
  const botToken = values.botToken.trim();
  const channel = values.channel.trim();
  const botChannelId = values.botChannelId.trim();
  const problems: SlackFormProblem[] = [];
  if (webhookUrl && !webhookUrl.startsWith(WEBHOOK_PREFIX)) problems.push("webhookUrl");
  if (channel && !/^(#?[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{8,20})$/.test(channel))
    problems.push("channel");
  if (botToken && !/^xoxb-[A-Za-z0-9-]{10,250}$/.test(botToken)) problems.push("botToken");
  const hasToken = botToken !== "" || (current?.botTokenSet ?? false);
  if (botChannelId && !/^[CG][A-Z0-9]{8,20}$/.test(botChannelId)) problems.push("botChannelId");
  else if (hasToken && !botChannelId) problems.push("botChannelId");
  if (botChannelId && !hasToken && !problems.includes("botChannelId")) problems.push("botToken");
  const hasWebhook = webhookUrl !== "" || current?.webhookUrl != null;
  if (problems.length === 0 && !hasWebhook && !hasToken) problems.push("nothing");
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    body: {
      ...(webhookUrl ? { webhookUrl } : {}),
      ...(botToken ? { botToken } : {}),
      channel,
      botChannelId,
      onlyProblems: values.onlyProblems,
    },
  };
}
