import * as z from "zod";
import { log } from "../../lib/log";
import { parseLoopbackOverride } from "../../lib/loopback-override";
import { type EmailType, emailTypes } from "./types";

export const emailProviderNames = ["resend", "postmark", "console"] as const;
export type EmailProviderName = (typeof emailProviderNames)[number];

export interface EmailSettings {
  provider: EmailProviderName;
  from: string;
  replyTo: string | null;
  apiKey: string;
  /** Where the provider's API is fetched; null for its real address. "invalid": sends fail. */
  baseUrlOverride: URL | null | "invalid";
  /** Null: every type may be sent. */
  enabledTypes: ReadonlySet<EmailType> | null;
  marketingCooldownHours: number;
  /** The dashboard's public origin, without a trailing slash; "" = relative links. */
  publicBaseUrl: string;
}

const DEFAULT_COOLDOWN_HOURS = 24;

const values = z.object({
  EMAIL_PROVIDER: z.string().trim().toLowerCase().catch(""),
  EMAIL_FROM: z.string().trim().catch(""),
  EMAIL_REPLY_TO: z.string().trim().catch(""),
  EMAIL_API_KEY: z.string().trim().catch(""),
  EMAIL_ENABLED_TYPES: z.string().catch(""),
  EMAIL_MARKETING_COOLDOWN_HOURS: z.string().trim().catch(""),
  EMAIL_API_BASE_URL_OVERRIDE: z.string().trim().catch(""),
  PUBLIC_BASE_URL: z.string().trim().catch(""),
});

/**
 * Test and local-dev only, as OAUTH_PROVIDER_BASE_URL_OVERRIDE: honoured only on a loopback
 * address (which a deployed Worker cannot reach), so a stray production value fails closed.
 */
export function emailSettings(env: Partial<Env>): EmailSettings {
  const parsed = values.parse({
    EMAIL_PROVIDER: env.EMAIL_PROVIDER,
    EMAIL_FROM: env.EMAIL_FROM,
    EMAIL_REPLY_TO: env.EMAIL_REPLY_TO,
    EMAIL_API_KEY: env.EMAIL_API_KEY,
    EMAIL_ENABLED_TYPES: env.EMAIL_ENABLED_TYPES,
    EMAIL_MARKETING_COOLDOWN_HOURS: env.EMAIL_MARKETING_COOLDOWN_HOURS,
    EMAIL_API_BASE_URL_OVERRIDE: env.EMAIL_API_BASE_URL_OVERRIDE,
    PUBLIC_BASE_URL: env.PUBLIC_BASE_URL,
  });
  let provider: EmailProviderName = "console";
  if ((emailProviderNames as readonly string[]).includes(parsed.EMAIL_PROVIDER)) {
    provider = parsed.EMAIL_PROVIDER as EmailProviderName;
  } else if (parsed.EMAIL_PROVIDER) {
    log("error", "EMAIL_PROVIDER is unknown: mail goes to the log only", { provider: parsed.EMAIL_PROVIDER });
  }
  const listed = parsed.EMAIL_ENABLED_TYPES.split(",")
    .map((type) => type.trim())
    .filter(Boolean);
  const enabledTypes =
    listed.length === 0 ? null : new Set(emailTypes.filter((type) => listed.includes(type)) as EmailType[]);
  const hours = Number(parsed.EMAIL_MARKETING_COOLDOWN_HOURS);
  const marketingCooldownHours =
    parsed.EMAIL_MARKETING_COOLDOWN_HOURS !== "" && Number.isFinite(hours) && hours >= 0
      ? hours
      : DEFAULT_COOLDOWN_HOURS;
  return {
    provider,
    from: parsed.EMAIL_FROM || "SeqPulse <notifications@seqpulse.local>",
    replyTo: parsed.EMAIL_REPLY_TO || null,
    apiKey: parsed.EMAIL_API_KEY,
    baseUrlOverride: parseLoopbackOverride(parsed.EMAIL_API_BASE_URL_OVERRIDE),
    enabledTypes,
    marketingCooldownHours,
    publicBaseUrl: parsed.PUBLIC_BASE_URL.replace(/\/+$/, ""),
  };
}

/** An absolute link when PUBLIC_BASE_URL is set, else the path itself. */
export function publicUrl(settings: Pick<EmailSettings, "publicBaseUrl">, path: string): string {
  return `${settings.publicBaseUrl}${path}`;
}
