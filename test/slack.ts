import { env } from "cloudflare:workers";
import type { SlackStandInFailure, SlackStandInMessage } from "./slack-standin";

/** A workspace on the Slack stand-in (test/slack-standin.ts), driven from inside workerd. */
export class StandInSlack {
  private constructor(
    readonly id: string,
    readonly token: string,
    readonly channelId: string,
    /** As Slack gives it (https://hooks.slack.com/services/...); the Worker maps it to the stand-in. */
    readonly webhookUrl: string,
  ) {}

  static base(): string {
    const url = env.SLACK_API_BASE_URL_OVERRIDE;
    if (!url) throw new Error("SLACK_API_BASE_URL_OVERRIDE is not set (vitest.config.ts)");
    return url;
  }

  static async create(): Promise<StandInSlack> {
    const response = await fetch(`${StandInSlack.base()}/__control/workspaces`, { method: "POST" });
    if (response.status !== 201) throw new Error(`could not create a Slack workspace: ${response.status}`);
    const body = await response.json<{ id: string; token: string; channelId: string; webhookUrl: string }>();
    return new StandInSlack(body.id, body.token, body.channelId, body.webhookUrl);
  }

  /** The next requests to this workspace fail so, in order (after the token is checked). */
  async failNext(failures: SlackStandInFailure[]): Promise<void> {
    const response = await fetch(`${StandInSlack.base()}/__control/workspaces/${this.id}/failures`, {
      method: "PUT",
      body: JSON.stringify(failures),
    });
    if (!response.ok) throw new Error(`could not queue failures: ${response.status}`);
  }

  /** The bot token stops working and the webhook answers 403 invalid_token, as after an uninstall. */
  async revoke(): Promise<void> {
    await fetch(`${StandInSlack.base()}/__control/workspaces/${this.id}/revoke`, { method: "POST" });
  }

  async state(): Promise<{
    messages: SlackStandInMessage[];
    webhookPosts: Array<{ body: { text?: string; blocks?: unknown[]; channel?: string } }>;
    requests: number;
  }> {
    return (await fetch(`${StandInSlack.base()}/__control/workspaces/${this.id}`)).json();
  }
}
