import { describe, expect, it } from "vitest";
import { emptyWebhookForm, webhookBody } from "./webhook-form";

describe("webhookBody", () => {
  it("sends the trimmed URL and the checked events, in their order", () => {
    const values = emptyWebhookForm();
    values.url = "  https://hooks.example.com/seqpulse ";
    values.events["deployment.triggered"] = true;
    expect(webhookBody(values)).toEqual({
      ok: true,
      body: {
        url: "https://hooks.example.com/seqpulse",
        events: ["deployment.triggered", "deployment.finished", "deployment.verdict"],
      },
    });
  });

  it("asks for a URL, then for at least one event", () => {
    expect(webhookBody(emptyWebhookForm())).toEqual({ ok: false, missing: "url" });
    const values = emptyWebhookForm();
    values.url = "https://hooks.example.com/x";
    values.events["deployment.finished"] = false;
    values.events["deployment.verdict"] = false;
    expect(webhookBody(values)).toEqual({ ok: false, missing: "events" });
  });
});
