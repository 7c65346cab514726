import { describe, expect, it } from "vitest";
import { type SlackSettingsView, slackBody, slackFormFrom } from "./slack-form";

const stored: SlackSettingsView = {
  projectId: "4c2a6b1e-8d7f-4a39-9a51-0f3b2f0a9e11",
  enabled: true,
  onlyProblems: true,
  webhookUrl: "https://hooks.slack.com/services/T000/B000/••••abcd",
  channel: "#deploys",
  botTokenSet: true,
  botChannelId: "C0123456789",
  path: "bot",
  lastDelivery: null,
  updatedAt: "2026-12-05T15:00:00.000Z",
};

describe("slackFormFrom", () => {
  it("starts the secrets empty and the rest as stored", () => {
    expect(slackFormFrom(stored)).toEqual({
      webhookUrl: "",
      channel: "#deploys",
      botToken: "",
      botChannelId: "C0123456789",
      onlyProblems: true,
    });
    expect(slackFormFrom(null)).toEqual({
      webhookUrl: "",
      channel: "",
      botToken: "",
      botChannelId: "",
      onlyProblems: false,
    });
  });
});

describe("slackBody", () => {
  it("keeps stored secrets when their fields are left empty", () => {
    expect(slackBody(slackFormFrom(stored), stored)).toEqual({
      ok: true,
      body: { channel: "#deploys", botChannelId: "C0123456789", onlyProblems: true },
    });
  });

  it("sends new secrets trimmed", () => {
    const values = {
      ...slackFormFrom(null),
      webhookUrl: " https://hooks.slack.com/services/T1/B1/abcdefghijkl ",
      botToken: " xoxb-1234567890-abcdef ",
      botChannelId: "C0123456789",
    };
    expect(slackBody(values, null)).toEqual({
      ok: true,
      body: {
        webhookUrl: "https://hooks.slack.com/services/T1/B1/abcdefghijkl",
        botToken: "xoxb-1234567890-abcdef",
        channel: "",
        botChannelId: "C0123456789",
        onlyProblems: false,
      },
    });
  });

  it("names the fields to fix", () => {
    expect(slackBody(slackFormFrom(null), null)).toEqual({ ok: false, problems: ["nothing"] });
    expect(
      slackBody({ ...slackFormFrom(null), webhookUrl: "https://example.com/hook", channel: "<!here>" }, null),
    ).toEqual({ ok: false, problems: ["webhookUrl", "channel"] });
    expect(slackBody({ ...slackFormFrom(null), botToken: "xoxp-user-token-12345" }, null)).toEqual({
      ok: false,
      problems: ["botToken", "botChannelId"],
    });
    expect(slackBody({ ...slackFormFrom(stored), botChannelId: "" }, stored)).toEqual({
      ok: false,
      problems: ["botChannelId"],
    });
    expect(slackBody({ ...slackFormFrom(null), botChannelId: "C0123456789" }, null)).toEqual({
      ok: false,
      problems: ["botToken"],
    });
  });
});
