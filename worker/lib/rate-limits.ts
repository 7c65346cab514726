import type { FailurePolicy } from "../durable-objects/rate-limiter";

// Every rate limit of the API, in one table. A call site names its row
// (`enforceRateLimit(c, RATE_LIMITS.signupPerIp)`); the limiter accepts nothing else, so a new
// limit is a new row here, where its number and its reason sit beside the others.

/**
 * What a rule counts per. The counter's Durable Object is named `<name>:<key>:<value>`, so rules
 * sharing a name but not a key (signup per address and per email) never share a counter.
 */
export type RateLimitKey = "ip" | "email" | "user" | "project";

/** At most `limit` requests per sliding `windowSeconds` for one subject; every request counts. */
export interface WindowRule {
  readonly kind: "window";
  readonly name: string;
  readonly limit: number;
  readonly windowSeconds: number;
  readonly key: RateLimitKey;
  readonly why: string;
}

/**
 * Guessing a secret: only wrong guesses count, with delays growing per failure, kept per account
 * and address and per address. Nothing is counted per account alone: a stranger's wrong guesses
 * from elsewhere must never lock the owner out. A right guess clears the account-and-address
 * counter.
 */
export interface GuessRule {
  readonly kind: "failures";
  readonly name: string;
  /** What identifies the account whose secret is guessed. */
  readonly account: "email" | "user";
  readonly perAccountAndAddress: FailurePolicy;
  readonly perAddress: FailurePolicy;
  readonly why: string;
}

/**
 * For one account from one address: five free failures, then 1 s, 2 s, 4 s ... up to 15 minutes
 * between tries, forgotten an hour after the last failure.
 */
const FIVE_FREE_THEN_DOUBLING: FailurePolicy = {
  freeFailures: 5,
  baseDelaySeconds: 1,
  maxDelaySeconds: 15 * 60,
  forgetAfterSeconds: 60 * 60,
};

/** For one address, whatever the account (password spraying): generous, then the same delays. */
const TWENTY_FREE_THEN_DOUBLING: FailurePolicy = {
  freeFailures: 20,
  baseDelaySeconds: 1,
  maxDelaySeconds: 15 * 60,
  forgetAfterSeconds: 60 * 60,
};

const MINUTE = 60;

export const RATE_LIMITS = {
  // ---- Accounts ----
  signupPerIp: {
    kind: "window",
    name: "signup",
    limit: 5,
    windowSeconds: MINUTE,
    key: "ip",
    why: "Signup hashes a password: bounds the work and the accounts one address can make.",
  },
  signupPerEmail: {
    kind: "window",
    name: "signup",
    limit: 5,
    windowSeconds: MINUTE,
    key: "email",
    why: "The same email tried from many addresses (hash work, probing which emails are taken).",
  },
  loginGuesses: {
    kind: "failures",
    name: "login-failures",
    account: "email",
    perAccountAndAddress: FIVE_FREE_THEN_DOUBLING,
    perAddress: TWENTY_FREE_THEN_DOUBLING,
    why: "Password guessing, checked before the hash; the right password never counts.",
  },
  passwordChangePerUser: {
    kind: "window",
    name: "password",
    limit: 5,
    windowSeconds: MINUTE,
    key: "user",
    why: "Checks the current password (a hash): guessing it from a stolen session.",
  },
  emailVerificationPerUser: {
    kind: "window",
    name: "email-verification",
    limit: 3,
    windowSeconds: 15 * MINUTE,
    key: "user",
    why: "Each resend mails the user: a stolen session must not turn us into a mail cannon.",
  },
  accountLinkPerIp: {
    kind: "window",
    name: "account-link",
    limit: 20,
    windowSeconds: MINUTE,
    key: "ip",
    why: "Verification and reset links are 256-bit secrets: bounds the guessing and the reset's hash work.",
  },
  passwordForgotPerIp: {
    kind: "window",
    name: "password-forgot",
    limit: 10,
    windowSeconds: 15 * MINUTE,
    key: "ip",
    why: "Each request may mail someone: one address cannot mail many mailboxes.",
  },
  passwordForgotPerEmail: {
    kind: "window",
    name: "password-forgot",
    limit: 3,
    windowSeconds: 15 * MINUTE,
    key: "email",
    why: "Counted whether or not the account exists (reveals nothing); one mailbox gets few reset mails.",
  },
  oauthStartPerIp: {
    kind: "window",
    name: "oauth-start",
    limit: 20,
    windowSeconds: MINUTE,
    key: "ip",
    why: "Each start sets a flow cookie and sends the browser to the provider.",
  },
  oauthCallbackPerIp: {
    kind: "window",
    name: "oauth-callback",
    limit: 20,
    windowSeconds: MINUTE,
    key: "ip",
    why: "Each callback calls the provider's token and profile endpoints.",
  },

  // ---- Second factor ----
  twoFactorLoginGuesses: {
    kind: "failures",
    name: "2fa-login-failures",
    account: "user",
    perAccountAndAddress: FIVE_FREE_THEN_DOUBLING,
    perAddress: TWENTY_FREE_THEN_DOUBLING,
    why: "Code guessing at the login's second step; the right code never counts.",
  },
  twoFactorSetupPerUser: {
    kind: "window",
    name: "2fa-setup",
    limit: 5,
    windowSeconds: MINUTE,
    key: "user",
    why: "Each setup generates and stores a new encrypted secret.",
  },
  twoFactorEnablePerUser: {
    kind: "window",
    name: "2fa-enable",
    limit: 5,
    windowSeconds: MINUTE,
    key: "user",
    why: "Each call is a code guess against the pending secret.",
  },
  twoFactorDisablePerUser: {
    kind: "window",
    name: "2fa-disable",
    limit: 5,
    windowSeconds: MINUTE,
    key: "user",
    why: "Checks a password (a hash) and a code: guessing both from a stolen session.",
  },
  twoFactorRecoveryCodesPerUser: {
    kind: "window",
    name: "2fa-recovery-codes",
    limit: 5,
    windowSeconds: MINUTE,
    key: "user",
    why: "Each call is a code guess, and a right one replaces every recovery code.",
  },

  // ---- Projects and deployments ----
  endpointTestPerUser: {
    kind: "window",
    name: "endpoint-test",
    limit: 10,
    windowSeconds: MINUTE,
    key: "user",
    why: "Each test fetches a URL of the user's choosing: no probing other hosts at volume.",
  },
  backtestPerUser: {
    kind: "window",
    name: "backtest",
    limit: 10,
    windowSeconds: MINUTE,
    key: "user",
    why: "Each backtest replays up to 100 deployments through a judge.",
  },
  webhookSendPerUser: {
    kind: "window",
    name: "webhook-send",
    limit: 10,
    windowSeconds: MINUTE,
    key: "user",
    why: "Each test event or redelivery posts to a URL of the user's choosing: no probing other hosts at volume.",
  },
  webhookSecretPerUser: {
    kind: "window",
    name: "webhook-secret",
    limit: 20,
    windowSeconds: MINUTE,
    key: "user",
    why: "Each webhook created or rotated generates and stores a new encrypted secret.",
  },
  slackSendPerUser: {
    kind: "window",
    name: "slack-send",
    limit: 10,
    windowSeconds: MINUTE,
    key: "user",
    why: "Each test message posts to the user's Slack workspace while the request waits: no flooding a channel.",
  },
  ciPerProject: {
    kind: "window",
    name: "ci",
    limit: 100,
    windowSeconds: MINUTE,
    key: "project",
    why: "A valid project key: 100 calls a minute, as the earlier SeqPulse allowed.",
  },
  verdictWaitsPerProject: {
    kind: "window",
    name: "verdict-wait",
    limit: 30,
    windowSeconds: MINUTE,
    key: "project",
    why:
      "Each wait holds a request open up to 60 s, polling the database: at most 30 started a minute " +
      "bounds the waits in flight per key (a pipeline waits once at a time).",
  },
  verdictWaitsPerUser: {
    kind: "window",
    name: "verdict-wait",
    limit: 30,
    windowSeconds: MINUTE,
    key: "user",
    why: "The same bound for a signed-in user's waits (session or personal API token).",
  },
  ciAuthFailuresPerIp: {
    kind: "window",
    name: "ci-auth-failures",
    limit: 30,
    windowSeconds: MINUTE,
    key: "ip",
    why: "Counted only for calls without a valid key: stops key guessing, not the runner's other pipelines.",
  },

  // ---- Public ----
  healthPerIp: {
    kind: "window",
    name: "health",
    limit: 120,
    windowSeconds: MINUTE,
    key: "ip",
    why: "Unauthenticated and reaches the database: monitors poll it, nobody may load the database with it.",
  },
} as const satisfies Record<string, WindowRule | GuessRule>;

type Table = typeof RATE_LIMITS;
type RuleNameOf<Kind> = {
  [Name in keyof Table]: Table[Name] extends { kind: Kind } ? Name : never;
}[keyof Table];

/**
 * A window rule of the table. The table is `as const`, so this is the union of its rows' exact
 * types: a rule written inline at a call site (any other name, limit or window) does not type-check.
 */
export type TableWindowRule = Table[RuleNameOf<"window">];
/** A window rule counted per client address: the limiter reads the address itself. */
export type AddressRule = Extract<TableWindowRule, { key: "ip" }>;
/** A window rule counted per subject the call site knows (an email, a user or project id). */
export type SubjectRule = Exclude<TableWindowRule, { key: "ip" }>;
/** A guessed-secret rule of the table. */
export type TableGuessRule = Table[RuleNameOf<"failures">];

/** The subject a counter is kept for: emails in lower case, so one mailbox is one counter. */
export function subjectOf(key: RateLimitKey, value: string): string {
  return `${key}:${key === "email" ? value.toLowerCase() : value}`;
}
