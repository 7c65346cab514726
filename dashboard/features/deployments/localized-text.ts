// Verdicts and hints arrive as LocalizedText: a stable code, its params and the English text.
// The sentences live with the analysis (worker/features/analysis/messages/<locale>.json, nested,
// the code is the dotted path, placeholders are `{param}`); a page loads only its own locale's
// file, on demand, and falls back to the English `text` for a code that file lacks.
import type { Locale } from "../../i18n/locales";
import type { LocalizedText } from "./api-types";

export interface MessageTree {
  [key: string]: string | MessageTree;
}

const loaders: Record<Locale, () => Promise<{ default: unknown }>> = {
  en: () => import("../../../worker/features/analysis/messages/en.json"),
  fr: () => import("../../../worker/features/analysis/messages/fr.json"),
  es: () => import("../../../worker/features/analysis/messages/es.json"),
  de: () => import("../../../worker/features/analysis/messages/de.json"),
};

/** The analysis messages of one locale; an empty tree when they cannot be loaded (English then). */
export async function loadAnalysisMessages(locale: Locale): Promise<MessageTree> {
  try {
    return (await loaders[locale]()).default as MessageTree;
  } catch {
    return {};
  }
}

function lookup(messages: MessageTree, code: string): string | undefined {
  let node: string | MessageTree | undefined = messages;
  for (const part of code.split(".")) {
    if (typeof node !== "object" || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * The sentence in the messages' locale, or the stored English text when the code is unknown or
 * the params cannot fill the template (a verdict stored before its message gained a placeholder).
 */
export function renderLocalizedText(
  text: LocalizedText | null | undefined,
  messages: MessageTree,
  /** Writes numeric params the locale's way ("0,9" in French). */
  locale?: string,
): string {
  if (!text) return "";
  const template = typeof text.code === "string" ? lookup(messages, text.code) : undefined;
  if (template === undefined) return text.text ?? "";
  const params = text.params ?? {};
  const names = [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? "");
  if (!names.every((name) => Object.hasOwn(params, name))) return text.text ?? "";
  const number = locale
    ? new Intl.NumberFormat(locale, { maximumFractionDigits: 2, useGrouping: false })
    : null;
  return template.replace(PLACEHOLDER, (match, name: string) => {
    if (!Object.hasOwn(params, name)) return match;
    const value = params[name];
    return typeof value === "number" && number ? number.format(value) : String(value);
  });
}
