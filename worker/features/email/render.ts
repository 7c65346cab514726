import type { UserLocale } from "../../../db/schema";
import { type EmailSettings, publicUrl } from "./settings";
import type { EmailTemplate } from "./templates/template";

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface RenderInput {
  locale: UserLocale;
  /** Every value the template may interpolate (context, recipient, derived, prepared). */
  values: Record<string, string>;
  settings: Pick<EmailSettings, "publicBaseUrl">;
  /** Non-essential mail: the one-click unsubscribe page and the preferences page. */
  unsubscribe: { unsubscribeUrl: string; preferencesUrl: string } | null;
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** `/x/` in the reader's language: English at the root, the others under `/<locale>/`. */
export function localizedPath(locale: UserLocale, path: string): string {
  return locale === "en" ? path : `/${locale}${path}`;
}

/** Fills `{name}` placeholders; `encode` escapes each value for where it lands. */
export function interpolate(
  text: string,
  values: Record<string, string>,
  encode: (value: string) => string,
): string {
  return text.replace(/\{([a-z_][a-z0-9_]*)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`email copy uses {${name}} without a value`);
    return encode(value);
  });
}

const footer: Record<
  UserLocale,
  { why: string; unsubscribe: string; preferences: string; essential: string }
> = {
  en: {
    why: "You receive this mail because you have a SeqPulse account.",
    unsubscribe: "Unsubscribe from this kind of mail",
    preferences: "Email preferences",
    essential: "This mail concerns your account and is always sent.",
  },
  fr: {
    why: "Vous recevez ce message parce que vous avez un compte SeqPulse.",
    unsubscribe: "Ne plus recevoir ce type de message",
    preferences: "Préférences d'e-mail",
    essential: "Ce message concerne votre compte et est toujours envoyé.",
  },
  es: {
    why: "Recibe este correo porque tiene una cuenta de SeqPulse.",
    unsubscribe: "Darse de baja de este tipo de correo",
    preferences: "Preferencias de correo",
    essential: "Este correo se refiere a su cuenta y se envía siempre.",
  },
  de: {
    why: "Sie erhalten diese E-Mail, weil Sie ein SeqPulse-Konto haben.",
    unsubscribe: "Diese Art von E-Mail abbestellen",
    preferences: "E-Mail-Einstellungen",
    essential: "Diese E-Mail betrifft Ihr Konto und wird immer gesendet.",
  },
};

/** The button's target, absolute when PUBLIC_BASE_URL is set. */
export function actionUrl(template: EmailTemplate, input: RenderInput): string {
  const action = template.action(input.values);
  if ("url" in action) return action.url;
  return publicUrl(input.settings, localizedPath(input.locale, action.path));
}

/** Plain text and HTML of one mail in one language; every value is escaped in the HTML. */
export function renderEmail(template: EmailTemplate, input: RenderInput): RenderedEmail {
  const copy = template.copy[input.locale];
  const values = input.values;
  const subject = interpolate(copy.subject, values, (value) => value.replace(/[\r\n]+/g, " "));
  const paragraphs = copy.paragraphs.map((paragraph) => ({
    text: interpolate(paragraph, values, (value) => value),
    html: interpolate(escapeHtml(paragraph), values, escapeHtml),
  }));
  const label = interpolate(copy.action, values, (value) => value);
  const link = actionUrl(template, input);
  const words = footer[input.locale];

  const textFooter = input.unsubscribe
    ? [
        words.why,
        `${words.unsubscribe}: ${input.unsubscribe.unsubscribeUrl}`,
        `${words.preferences}: ${input.unsubscribe.preferencesUrl}`,
      ]
    : [words.essential];
  const text = [
    ...paragraphs.map((paragraph) => paragraph.text),
    `${label}: ${link}`,
    "",
    "--",
    ...textFooter,
  ].join("\n\n");

  const htmlFooter = input.unsubscribe
    ? `${escapeHtml(words.why)}<br><a href="${escapeHtml(input.unsubscribe.unsubscribeUrl)}" style="color:#6b7280">${escapeHtml(words.unsubscribe)}</a> · <a href="${escapeHtml(input.unsubscribe.preferencesUrl)}" style="color:#6b7280">${escapeHtml(words.preferences)}</a>`
    : escapeHtml(words.essential);
  const html = `<!doctype html>
<html lang="${input.locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f6f7f9;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#111827">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
<p style="font-weight:600;margin:0 0 16px">SeqPulse</p>
${paragraphs.map((paragraph) => `<p style="line-height:1.5">${paragraph.html}</p>`).join("\n")}
<p style="margin:24px 0"><a href="${escapeHtml(link)}" style="background:#2563eb;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(label)}</a></p>
</div>
<p style="max-width:560px;margin:16px auto 0;font-size:12px;color:#6b7280;line-height:1.5">${htmlFooter}</p>
</body>
</html>
`;
  return { subject, text, html };
}
