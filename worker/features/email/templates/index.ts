import type { EmailType } from "../types";
import { criticalVerdictTemplate } from "./critical-verdict";
import { envForcedTemplate } from "./env-forced";
import { firstVerdictTemplate } from "./first-verdict";
import { noProjectAfterSignupTemplate } from "./no-project-after-signup";
import { quota80Template } from "./quota-80";
import { quotaReachedTemplate } from "./quota-reached";
import type { EmailTemplate } from "./template";
import { welcomeTemplate } from "./welcome";

export type { EmailCopy, EmailTemplate, PrepareInput } from "./template";

/**
 * The template of each type, one file each. A type without one cannot be sent (the job fails
 * permanently-ish: it retries, then dies): templates.test.ts checks that every type has one.
 */
export const emailTemplates: Partial<Record<EmailType, EmailTemplate>> = {
  welcome: welcomeTemplate,
  no_project_after_signup: noProjectAfterSignupTemplate,
  first_verdict: firstVerdictTemplate,
  critical_verdict: criticalVerdictTemplate,
  quota_80: quota80Template,
  quota_reached: quotaReachedTemplate,
  env_forced: envForcedTemplate,
};
