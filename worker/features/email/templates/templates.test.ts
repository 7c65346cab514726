import { describe, expect, it } from "vitest";
import { userLocales } from "../../../../db/schema";
import { renderEmail } from "../render";
import { emailCategory, emailTypes } from "../types";
import { emailTemplates } from ".";

const hostile = '<script>alert("x")</script>';
const settings = { publicBaseUrl: "https://seqpulse.example.com" };
const unsubscribe = {
  unsubscribeUrl: "https://seqpulse.example.com/unsubscribe/?token=a.b&c",
  preferencesUrl: "https://seqpulse.example.com/settings/#email-preferences",
};

/** Every value a sender may put in a context, each one hostile. */
const hostileValues = Object.fromEntries(
  [
    "project_id",
    "project_name",
    "deployment_id",
    "deployment_number",
    "env",
    "verdict",
    "deployments_used",
    "deployments_limit",
    "original_env",
    "forced_env",
  ].map((name) => [name, hostile]),
);

function valuesFor(
  type: keyof typeof emailTemplates,
  locale: (typeof userLocales)[number],
  context: Record<string, string>,
) {
  const template = emailTemplates[type];
  if (!template) throw new Error(`no template for ${type}`);
  const values: Record<string, string> = {
    ...template.defaults,
    ...context,
    first_name: hostile,
    email: "a@example.com",
  };
  return { template, values: { ...values, ...template.derive?.(values, locale) } };
}

describe("email templates", () => {
  it("exist for the whole catalogue", () => {
    for (const type of [
      "welcome",
      "no_project_after_signup",
      "first_verdict",
      "critical_verdict",
      "quota_80",
      "quota_reached",
      "env_forced",
    ] as const) {
      expect(emailTemplates[type]?.type).toBe(type);
    }
  });

  const registered = emailTypes.filter((type) => emailTemplates[type]);
  for (const type of registered) {
    for (const locale of userLocales) {
      it(`${type} in ${locale}: text and HTML, every value escaped, nothing left unfilled`, () => {
        const essential = emailCategory(type) === "essential";
        for (const context of [hostileValues, {}]) {
          const { template, values } = valuesFor(type, locale, context);
          const mail = renderEmail(template, {
            locale,
            values,
            settings,
            unsubscribe: essential ? null : unsubscribe,
          });
          for (const part of [mail.subject, mail.text, mail.html]) {
            expect(part).not.toMatch(/\{[a-z_]+\}|undefined|\bnull\b|NaN|\[object /);
          }
          expect(mail.subject).not.toMatch(/[\r\n]/);
          expect(mail.html).not.toContain("<script");
          expect(mail.html).toContain(`<html lang="${locale}">`);
          expect(mail.text).toContain("https://seqpulse.example.com/");
          if (context === hostileValues && mail.text.includes(hostile)) {
            expect(mail.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
          }
          if (essential) {
            expect(mail.text).not.toContain("/unsubscribe/");
          } else {
            expect(mail.text).toContain(unsubscribe.unsubscribeUrl);
            expect(mail.html).toContain("https://seqpulse.example.com/unsubscribe/?token=a.b&amp;c");
          }
          // Links go to pages that exist, in the reader's language.
          const prefix = locale === "en" ? "" : `/${locale}`;
          expect(mail.text).toMatch(
            new RegExp(`https://seqpulse\\.example\\.com${prefix}/(projects|deployments|settings)/`),
          );
        }
      });
    }
  }

  it("writes relative links when PUBLIC_BASE_URL is empty", () => {
    const { template, values } = valuesFor("welcome", "fr", {});
    const mail = renderEmail(template, {
      locale: "fr",
      values,
      settings: { publicBaseUrl: "" },
      unsubscribe: null,
    });
    expect(mail.text).toContain(": /fr/projects/");
  });
});
