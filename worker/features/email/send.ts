import type { Database } from "../../../db/client";
import {
  claimEmailDelivery,
  type EmailDeliveryKey,
  emailRecipient,
  findEmailDelivery,
  getEmailPreferences,
  lastEmailSentAt,
  markEmailFailed,
  markEmailSent,
  suppressEmailDelivery,
  userOwnsAnyProject,
} from "../../../db/queries/email";
import { describeError, log } from "../../lib/log";
import { EmailProviderError, emailProvider } from "./providers";
import { localizedPath, renderEmail } from "./render";
import { type EmailSettings, emailSettings, publicUrl } from "./settings";
import { emailTemplates } from "./templates";
import {
  deferredOnCooldown,
  type EmailContext,
  type EmailSendResult,
  type EmailSuppressionReason,
  type EmailType,
  emailCategory,
  emailTypeCategories,
  emailTypes,
} from "./types";
import { unsubscribeToken } from "./unsubscribe-token";

/** What the `send_email` job carries: an EmailRequest without its date. */
export interface EmailJobPayload {
  type: EmailType;
  userId: string;
  projectId: string | null;
  dedupeKey: string;
  context: EmailContext;
}

/** A send in flight for longer than this (the provider call times out at 10 s) is presumed dead. */
const SEND_LEASE_MS = 60_000;

const productTypes = emailTypes.filter((type) => emailTypeCategories[type] === "product");

/**
 * Sends one mail at most once per dedupe key (the original's algorithm, §12.1.3, fixed):
 * a final row (sent or suppressed) ends it; then the rollout filter, "no project after sign-up"
 * for users who have one, the user's preferences and the product-mail cooldown may suppress it,
 * except that a cooldown only delays first-verdict and quota-reached mail (`deferred`); then it
 * is rendered in the user's language and sent. A provider failure marks the row `failed` and
 * throws, so the job is retried.
 */
export async function sendEmail(
  db: Database,
  env: Env,
  request: EmailJobPayload,
  { now, settings = emailSettings(env) }: { now: Date; settings?: EmailSettings },
): Promise<EmailSendResult> {
  const template = emailTemplates[request.type];
  if (!template) throw new Error(`no template for email type ${request.type}`);
  const key: EmailDeliveryKey = {
    userId: request.userId,
    projectId: request.projectId,
    emailType: request.type,
    dedupeKey: request.dedupeKey,
  };
  const lease = { now, staleBefore: new Date(now.getTime() - SEND_LEASE_MS) };
  const fields = { emailType: request.type, dedupeKey: request.dedupeKey, userId: request.userId };

  const existing = await findEmailDelivery(db, request.dedupeKey);
  if (existing && (existing.status === "sent" || existing.status === "suppressed"))
    return { status: "skipped_dedup" };

  const suppress = async (reason: EmailSuppressionReason): Promise<EmailSendResult> => {
    const done = await suppressEmailDelivery(db, key, reason, lease);
    if (!done) return { status: "skipped_dedup" };
    log("info", "email.suppressed", { ...fields, reason });
    return { status: "suppressed", reason };
  };

  const recipient = await emailRecipient(db, request.userId);
  // The user is gone (their rows with them): nothing to send, nothing to record.
  if (!recipient) return { status: "skipped_dedup" };

  if (settings.enabledTypes && !settings.enabledTypes.has(request.type)) return suppress("rollout_disabled");
  if (request.type === "no_project_after_signup" && (await userOwnsAnyProject(db, request.userId))) {
    return suppress("project_already_created");
  }
  const category = emailCategory(request.type);
  if (category !== "essential") {
    const preferences = await getEmailPreferences(db, request.userId);
    if (!preferences[category]) return suppress("unsubscribed");
  }
  if (category === "product" && settings.marketingCooldownHours > 0) {
    const cooldownMs = settings.marketingCooldownHours * 3_600_000;
    const last = await lastEmailSentAt(db, {
      userId: request.userId,
      types: productTypes,
      since: new Date(now.getTime() - cooldownMs),
    });
    if (last) {
      if (!deferredOnCooldown.has(request.type)) return suppress("marketing_cooldown");
      const until = new Date(last.getTime() + cooldownMs + 1_000);
      log("info", "email.deferred", { ...fields, until: until.toISOString() });
      return { status: "deferred", until };
    }
  }

  // Values: the stored context (non-secret), then the recipient, then what the template adds.
  const stored: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.context)) {
    if (value !== null && value !== "") stored[name] = String(value);
  }
  const values: Record<string, string> = {
    ...template.defaults,
    ...stored,
    first_name: firstName(recipient.name, recipient.email),
    email: recipient.email,
  };
  Object.assign(values, template.derive?.(values, recipient.locale));
  const secrets = template.prepare
    ? await template.prepare({
        db,
        env,
        userId: request.userId,
        projectId: request.projectId,
        context: request.context,
        settings,
        now,
      })
    : {};

  const headers: Record<string, string> = {};
  let unsubscribe: { unsubscribeUrl: string; preferencesUrl: string } | null = null;
  if (category !== "essential") {
    const token = await unsubscribeToken(env.ENCRYPTION_KEYS, request.userId, category);
    const query = `?token=${encodeURIComponent(token)}`;
    unsubscribe = {
      unsubscribeUrl: publicUrl(settings, `${localizedPath(recipient.locale, "/unsubscribe/")}${query}`),
      preferencesUrl: publicUrl(
        settings,
        `${localizedPath(recipient.locale, "/settings/")}#email-preferences`,
      ),
    };
    // RFC 8058 needs an absolute https (or http, locally) URL: without PUBLIC_BASE_URL, none.
    if (settings.publicBaseUrl) {
      headers["List-Unsubscribe"] = `<${publicUrl(settings, `/api/email/unsubscribe/one-click${query}`)}>`;
      headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
    }
  }
  const rendered = renderEmail(template, {
    locale: recipient.locale,
    values: { ...values, ...secrets },
    settings,
    unsubscribe,
  });

  const deliveryId = await claimEmailDelivery(
    db,
    key,
    { to: recipient.email, subject: rendered.subject, locale: recipient.locale, context: request.context },
    lease,
  );
  // Another runner holds the key, or it became final meanwhile: never a second send.
  if (!deliveryId) return { status: "skipped_dedup" };

  const provider = emailProvider(settings);
  try {
    const { messageId } = await provider.send({
      to: recipient.email,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      headers,
      dedupeKey: request.dedupeKey,
    });
    await markEmailSent(db, deliveryId, { messageId, now });
    log("info", "email.sent", { ...fields, provider: provider.name, messageId });
    return { status: "sent", messageId };
  } catch (error) {
    const message = error instanceof EmailProviderError ? error.message : describeError(error).error;
    await markEmailFailed(db, deliveryId, { error: message, now });
    log("warn", "email.failed", { ...fields, provider: provider.name, error: message });
    throw new EmailProviderError(`email ${request.type} not sent: ${message}`);
  }
}

/** The first word of the name (at most 50 characters), else the address's local part. */
export function firstName(name: string, email: string): string {
  const word = name.trim().split(/\s+/)[0] ?? "";
  if (word) return word.slice(0, 50);
  const local = email.split("@")[0] ?? "";
  return local.slice(0, 50) || "there";
}
