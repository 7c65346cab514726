// The mail the stack sent, read from the local mail stand-in's JSON API
// (scripts/lib/mail-standin.mjs). Mail goes out through the job system: each read first fires a
// sweep, as the Cron Trigger would.
import { setTimeout as sleep } from "node:timers/promises";
import { baseUrl } from "./browser";

export interface ReceivedMail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export function mailboxUrl(): string {
  const url = process.env.E2E_MAILBOX_URL;
  if (!url) throw new Error("E2E_MAILBOX_URL is not set: run the browser tests with `npm run test:e2e`");
  return url;
}

/** Fires one scheduled sweep now (wrangler dev's --test-scheduled route). */
export async function sweep(): Promise<void> {
  const response = await fetch(`${baseUrl()}/__scheduled?cron=*+*+*+*+*`);
  await response.body?.cancel();
}

/** The first mail to `to` whose subject matches, once it arrived (sweeping meanwhile); fails after 30 s. */
export async function waitForMail(to: string, subject: RegExp, notIn: string[] = []): Promise<ReceivedMail> {
  for (let attempt = 0; attempt < 60; attempt++) {
    await sweep();
    const response = await fetch(`${mailboxUrl()}/api/mails?to=${encodeURIComponent(to)}`);
    const { mails } = (await response.json()) as { mails: ReceivedMail[] };
    const found = mails.find((mail) => subject.test(mail.subject) && !notIn.includes(mail.id));
    if (found) return found;
    await sleep(500);
  }
  throw new Error(`no mail to ${to} with a subject like ${subject}`);
}

/** The first link of the mail's text that leads to `path` (with its query, if any), as a path on the stack. */
export function linkIn(mail: ReceivedMail, path: string): string {
  const match = new RegExp(
    `(?:https?://[^\\s/]+)?(/(?:[a-z]{2}/)?${path.replace(/^\//, "")}(?:\\?[^\\s]+)?)`,
  ).exec(mail.text);
  if (!match?.[1]) throw new Error(`no ${path} link in the mail "${mail.subject}"`);
  return match[1];
}
