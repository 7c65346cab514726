// The stack's local mailbox, read the way the tests need it: mail to one address, waited for.
import { setTimeout as sleep } from "node:timers/promises";
import { mailboxUrl } from "./browser";

export interface Mail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** Mail received for `address`, newest first. */
export async function mailsTo(address: string): Promise<Mail[]> {
  const response = await fetch(`${mailboxUrl()}/api/mails?to=${encodeURIComponent(address)}`);
  if (!response.ok) throw new Error(`mailbox: ${response.status}`);
  return ((await response.json()) as { mails: Mail[] }).mails;
}

/** The first mail to `address` whose subject matches, once it has arrived (sweeps send mail). */
export async function waitForMail(address: string, subject: RegExp, timeoutMs = 20_000): Promise<Mail> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const mail = (await mailsTo(address)).find((candidate) => subject.test(candidate.subject));
    if (mail) return mail;
    await sleep(250);
  }
  throw new Error(`no mail to ${address} matching ${subject}`);
}

/** The link of a mail's text whose path starts with `pathPrefix`. */
export function linkIn(mail: Mail, pathPrefix: string): string {
  for (const match of mail.text.matchAll(/https?:\/\/\S+/g)) {
    if (new URL(match[0]).pathname.startsWith(pathPrefix)) return match[0];
  }
  throw new Error(`no link to ${pathPrefix} in "${mail.subject}"`);
}
