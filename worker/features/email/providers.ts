import { randomId } from "../../lib/crypto";
import { log } from "../../lib/log";
import type { EmailProviderName, EmailSettings } from "./settings";

/** A rendered mail, ready for a provider. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers (List-Unsubscribe...). */
  headers: Record<string, string>;
  /** Sent as the provider's idempotency key (Resend) or metadata (Postmark). */
  dedupeKey: string;
}

/** A send that did not go through; the message is stored in the delivery row, so no secrets. */
export class EmailProviderError extends Error {
  override name = "EmailProviderError";
}

export interface EmailProvider {
  name: EmailProviderName;
  /** Resolves with the provider's message id; throws EmailProviderError otherwise. */
  send(mail: OutgoingEmail): Promise<{ messageId: string }>;
}

export const EMAIL_PROVIDER_TIMEOUT_MS = 10_000;

const realBaseUrls = { resend: "https://api.resend.com", postmark: "https://api.postmarkapp.com" } as const;

function apiUrl(settings: EmailSettings, provider: "resend" | "postmark", path: string): string {
  if (settings.baseUrlOverride === "invalid") {
    throw new EmailProviderError("EMAIL_API_BASE_URL_OVERRIDE is not a loopback URL: sending is disabled");
  }
  const base = settings.baseUrlOverride
    ? settings.baseUrlOverride.href.replace(/\/+$/, "")
    : realBaseUrls[provider];
  return `${base}${path}`;
}

async function postJson(
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; json: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(EMAIL_PROVIDER_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new EmailProviderError(timedOut ? "provider timed out after 10 s" : "provider unreachable");
  }
  const text = await response.text().catch(() => "");
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (response.status < 200 || response.status > 299) {
    const detail = text.slice(0, 300).replace(/\s+/g, " ");
    throw new EmailProviderError(`provider answered ${response.status}${detail ? `: ${detail}` : ""}`);
  }
  return { status: response.status, json };
}

function stringField(json: unknown, field: string): string | null {
  if (typeof json !== "object" || json === null) return null;
  const value = (json as Record<string, unknown>)[field];
  return typeof value === "string" && value.length > 0 && value.length <= 255 ? value : null;
}

function resendProvider(settings: EmailSettings): EmailProvider {
  return {
    name: "resend",
    async send(mail) {
      if (!settings.apiKey) throw new EmailProviderError("EMAIL_API_KEY is not set");
      const { json } = await postJson(
        apiUrl(settings, "resend", "/emails"),
        { Authorization: `Bearer ${settings.apiKey}`, "Idempotency-Key": mail.dedupeKey },
        {
          from: settings.from,
          to: [mail.to],
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          ...(settings.replyTo && { reply_to: settings.replyTo }),
          ...(Object.keys(mail.headers).length > 0 && { headers: mail.headers }),
        },
      );
      const messageId = stringField(json, "id");
      if (!messageId) throw new EmailProviderError("provider answered without a message id");
      return { messageId };
    },
  };
}

function postmarkProvider(settings: EmailSettings): EmailProvider {
  return {
    name: "postmark",
    async send(mail) {
      if (!settings.apiKey) throw new EmailProviderError("EMAIL_API_KEY is not set");
      const { json } = await postJson(
        apiUrl(settings, "postmark", "/email"),
        { "X-Postmark-Server-Token": settings.apiKey },
        {
          From: settings.from,
          To: mail.to,
          Subject: mail.subject,
          TextBody: mail.text,
          HtmlBody: mail.html,
          Metadata: { dedupe_key: mail.dedupeKey },
          ...(settings.replyTo && { ReplyTo: settings.replyTo }),
          ...(Object.keys(mail.headers).length > 0 && {
            Headers: Object.entries(mail.headers).map(([Name, Value]) => ({ Name, Value })),
          }),
        },
      );
      const messageId = stringField(json, "MessageID");
      if (!messageId) throw new EmailProviderError("provider answered without a message id");
      return { messageId };
    },
  };
}

/** Local use: the mail goes to the log (subject and recipient, not the body: it may hold links). */
function consoleProvider(): EmailProvider {
  return {
    name: "console",
    async send(mail) {
      const messageId = `console_${randomId()}`;
      log("info", "email.console", {
        messageId,
        to: mail.to,
        subject: mail.subject,
        dedupeKey: mail.dedupeKey,
      });
      return { messageId };
    },
  };
}

export function emailProvider(settings: EmailSettings): EmailProvider {
  if (settings.provider === "resend") return resendProvider(settings);
  if (settings.provider === "postmark") return postmarkProvider(settings);
  return consoleProvider();
}
