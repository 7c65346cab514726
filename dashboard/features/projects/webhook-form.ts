// The webhook form's pure part: which events exist, and what the form sends.

export const webhookEvents = ["deployment.triggered", "deployment.finished", "deployment.verdict"] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

export interface WebhookFormValues {
  url: string;
  events: Record<WebhookEvent, boolean>;
}

export const emptyWebhookForm = (): WebhookFormValues => ({
  url: "",
  events: { "deployment.triggered": false, "deployment.finished": true, "deployment.verdict": true },
});

/** The body of `POST /api/projects/:id/webhooks`, or what is missing before it can be sent. */
export function webhookBody(
  values: WebhookFormValues,
): { ok: true; body: { url: string; events: WebhookEvent[] } } | { ok: false; missing: "url" | "events" } {
  const url = values.url.trim();
  if (!url) return { ok: false, missing: "url" };
  const events = webhookEvents.filter((event) => values.events[event]);
  if (events.length === 0) return { ok: false, missing: "events" };
  return { ok: true, body: { url, events } };
}
