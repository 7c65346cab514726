import { env } from "cloudflare:workers";

/** A mail as the local stand-in received it (scripts/lib/mail-standin.mjs). */
export interface ReceivedMail {
  id: string;
  provider: "resend" | "postmark";
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  replyTo: string | null;
  headers: Record<string, string>;
  idempotencyKey: string | null;
  metadata: Record<string, string>;
  receivedAt: string;
  /** Accepted requests that delivered it (idempotent replays included). */
  requests: number;
}

function standinUrl(path: string): string {
  const base = env.EMAIL_API_BASE_URL_OVERRIDE;
  if (!base) throw new Error("EMAIL_API_BASE_URL_OVERRIDE is not set (vitest.config.ts)");
  return new URL(path, base).toString();
}

/** Mail received for `address`, newest first. */
export async function mailsTo(address: string): Promise<ReceivedMail[]> {
  const response = await fetch(standinUrl(`/api/mails?to=${encodeURIComponent(address)}`));
  if (!response.ok) throw new Error(`mail stand-in answered ${response.status}`);
  return (await response.json<{ mails: ReceivedMail[] }>()).mails;
}

/** The next `fail` sends to `address` answer `status`; the next `hang` never answer. */
export async function programRecipient(
  address: string,
  behaviour: { fail?: number; status?: number; hang?: number },
): Promise<void> {
  const response = await fetch(standinUrl(`/__control/recipients/${encodeURIComponent(address)}`), {
    method: "PUT",
    body: JSON.stringify(behaviour),
  });
  if (!response.ok) throw new Error(`mail stand-in answered ${response.status}`);
}

/** A link of a mail's text body whose path starts with `pathPrefix`. */
export function linkIn(mail: ReceivedMail, pathPrefix: string): URL {
  for (const match of mail.text.matchAll(/https?:\/\/\S+/g)) {
    const url = new URL(match[0]);
    if (url.pathname.startsWith(pathPrefix)) return url;
  }
  throw new Error(`no link to ${pathPrefix} in "${mail.subject}"`);
}
