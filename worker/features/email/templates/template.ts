import type { Database } from "../../../../db/client";
import type { UserLocale } from "../../../../db/schema";
import type { EmailSettings } from "../settings";
import type { EmailContext, EmailType } from "../types";

/**
 * One language's copy of a mail. `{name}` placeholders take the mail's values (the request's
 * context, the recipient's `first_name` and `email`, what `derive` and `prepare` add); a
 * placeholder without a value is an error, never an empty hole or "undefined".
 */
export interface EmailCopy {
  subject: string;
  /** The paragraphs of the body, in order (the greeting first). */
  paragraphs: string[];
  /** The button's label. */
  action: string;
}

export interface PrepareInput {
  db: Database;
  env: Env;
  userId: string;
  projectId: string | null;
  context: EmailContext;
  settings: EmailSettings;
  now: Date;
}

export interface EmailTemplate {
  type: EmailType;
  /** Values used when the request's context lacks them (or holds null). */
  defaults?: Record<string, string>;
  /** Values computed from the others for a language (a verdict's name in the reader's language). */
  derive?: (values: Record<string, string>, locale: UserLocale) => Record<string, string>;
  /**
   * Runs at send time, before rendering: SECRET values (e.g. a freshly minted reset link) to
   * interpolate. They are never stored in the delivery row. Runs again on each retry.
   */
  prepare?: (input: PrepareInput) => Promise<Record<string, string>>;
  /**
   * Where the button leads: a locale-neutral dashboard path (`/projects/view/?id=...`), made
   * absolute with PUBLIC_BASE_URL and prefixed with the reader's locale; or a full URL that
   * `prepare` returned (kept as is).
   */
  action: (values: Record<string, string>) => { path: string } | { url: string };
  copy: Record<UserLocale, EmailCopy>;
}
