// Verdicts and hints arrive as LocalizedText: a stable code, its params and the English text.
// The sentences live with the analysis (worker/features/analysis/messages/<locale>.json, nested,
// the code is the dotted path, placeholders are `{param}`); a page loads only its own locale's
// file, on demand, and falls back to the English `text` for a code that file lacks.
import { type MessageTree, renderWithMessages } from "../../../worker/features/analysis/message-format";
import type { Locale } from "../../i18n/locales";
import type { LocalizedText } from "./api-types";

export type { MessageTree };

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

/**
 * The sentence in the messages' locale, or the stored English text when the code is unknown or
 * the params cannot fill the template (worker/features/analysis/message-format.ts).
 */
export function renderLocalizedText(
  text: LocalizedText | null | undefined,
  messages: MessageTree,
  /** Writes numeric params the locale's way ("0,9" in French). */
  locale?: string,
): string {
  return text ? renderWithMessages(text, messages, locale) : "";
}
