// Stable codes and their messages. `localized` builds every LocalizedText the analysis emits:
// the code is type-checked against en.json and the English text is rendered from it, so the
// `text` a judge returns and what the dashboard renders in English can never drift apart.
import de from "./messages/de.json";
import en from "./messages/en.json";
import es from "./messages/es.json";
import fr from "./messages/fr.json";
import type { LocalizedText } from "./types";

export type AnalysisLocale = "en" | "fr" | "es" | "de";

/** Nested messages; every leaf is a template with `{param}` placeholders. */
export interface MessageTree {
  [key: string]: string | MessageTree;
}

type LeafPaths<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${LeafPaths<T[K]>}`;
}[keyof T & string];

/** Every code a LocalizedText may carry: the dotted leaf paths of en.json. */
export type MessageCode = LeafPaths<typeof en>;

export type MessageParams = Record<string, string | number>;

export const analysisMessages: Record<AnalysisLocale, MessageTree> = { en, fr, es, de };

export function lookupMessage(locale: AnalysisLocale, code: string): string | undefined {
  let node: string | MessageTree | undefined = analysisMessages[locale];
  for (const part of code.split(".")) {
    if (typeof node !== "object") return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * Replaces `{name}` by the param; an unknown placeholder is left as is (a test forbids it).
 * Numbers are written the locale's way when one is given ("0,9" in French); without one, as
 * JavaScript writes them (the stored English text).
 */
export function formatMessage(template: string, params: MessageParams, locale?: string): string {
  const number = locale
    ? new Intl.NumberFormat(locale, { maximumFractionDigits: 2, useGrouping: false })
    : null;
  return template.replace(PLACEHOLDER, (match, name: string) => {
    if (!Object.hasOwn(params, name)) return match;
    const value = params[name];
    return typeof value === "number" && number ? number.format(value) : String(value);
  });
}

export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? "").sort();
}

export function localized(code: MessageCode, params: MessageParams = {}): LocalizedText {
  return { code, params, text: formatMessage(lookupMessage("en", code) ?? code, params) };
}

/**
 * The sentence in `locale`; falls back to the stored English text for a code the locale lacks,
 * or when the params cannot fill the template (a verdict stored before its message gained a
 * placeholder).
 */
export function renderLocalizedText(text: LocalizedText, locale: AnalysisLocale): string {
  const template = lookupMessage(locale, text.code);
  if (template === undefined || !placeholdersOf(template).every((name) => Object.hasOwn(text.params, name)))
    return text.text;
  return formatMessage(template, text.params, locale);
}
