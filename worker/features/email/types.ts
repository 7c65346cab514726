/**
 * The mail SeqPulse sends. Each type has a template (templates/index.ts) and a category:
 *
 * - `essential`: the account itself (welcome, verification, password reset, security notices).
 *   Cannot be turned off, never throttled, no unsubscribe link.
 * - `alerts`: a deployment needs attention (critical verdict). Can be turned off; never throttled.
 * - `product`: onboarding, first verdict, quota and plan mail. Can be turned off; at most one
 *   per EMAIL_MARKETING_COOLDOWN_HOURS per user.
 */
export const emailCategories = ["essential", "alerts", "product"] as const;
export type EmailCategory = (typeof emailCategories)[number];

/** The categories a user may switch off (GET/PUT /api/account/email-preferences). */
export const optionalEmailCategories = ["product", "alerts"] as const satisfies readonly EmailCategory[];
export type OptionalEmailCategory = (typeof optionalEmailCategories)[number];

/**
 * Every type, its category and what a cooldown does to it. Dedupe keys (EmailRequest.dedupeKey)
 * are the sender's choice; the ones in use are listed beside each type.
 */
export const emailTypeCategories = {
  /** `welcome_signup:<user_id>`, at account creation (password sign-up or first OAuth sign-up). */
  welcome: "essential",
  /** `no_project_after_signup:<user_id>`, 2 h after sign-up; suppressed if the user owns a project. */
  no_project_after_signup: "product",
  /** `first_verdict_available:<project_id>`, when a project's first verdict is stored. */
  first_verdict: "product",
  /** `critical_verdict_alert:<deployment_id>`, a `warning` or `rollback_recommended` verdict. */
  critical_verdict: "alerts",
  /** `free_quota_80:<project_id>:<YYYY-MM>` (plans). */
  quota_80: "product",
  /** `free_quota_reached:<project_id>:<YYYY-MM>` (plans). */
  quota_reached: "product",
  /** `env_forced:<project_id>:<YYYY-MM-DD>` (plans). */
  env_forced: "product",
  /** Address verification link (auth). */
  verify_email: "essential",
  /** Password reset link (auth). */
  password_reset: "essential",
  /** Security notices (auth). */
  password_changed: "essential",
  two_factor_enabled: "essential",
  two_factor_disabled: "essential",
  new_sign_in: "essential",
  /** Someone tried to sign up with an address that already has an account (auth). */
  signup_existing_account: "essential",
} as const satisfies Record<string, EmailCategory>;

export type EmailType = keyof typeof emailTypeCategories;
export const emailTypes = Object.keys(emailTypeCategories) as [EmailType, ...EmailType[]];

export function emailCategory(type: EmailType): EmailCategory {
  return emailTypeCategories[type];
}

/**
 * Product mail that the cooldown delays instead of dropping: losing it would lose information
 * the user cannot get otherwise in their inbox (the original dropped a first verdict for good).
 */
export const deferredOnCooldown: ReadonlySet<EmailType> = new Set<EmailType>([
  "first_verdict",
  "quota_reached",
]);

/** Values a template may interpolate; stored in the delivery row, so never a secret. */
export type EmailContext = Record<string, string | number | null>;

/** A mail to send, as senders queue it (queue.ts). */
export interface EmailRequest {
  type: EmailType;
  /** The recipient; their address, name and locale are read at send time. */
  userId: string;
  projectId?: string | null;
  /** One mail per key, ever: a second request with the same key is dropped. */
  dedupeKey: string;
  /** Non-secret values for the template (stored in the delivery row). */
  context?: EmailContext;
  /** Default: now. */
  sendAfter?: Date;
}

/** What became of one send attempt (send.ts). */
export type EmailSendResult =
  | { status: "sent"; messageId: string }
  | { status: "suppressed"; reason: EmailSuppressionReason }
  | { status: "skipped_dedup" }
  | { status: "deferred"; until: Date };

export const emailSuppressionReasons = [
  "rollout_disabled",
  "project_already_created",
  "marketing_cooldown",
  "unsubscribed",
] as const;
export type EmailSuppressionReason = (typeof emailSuppressionReasons)[number];
