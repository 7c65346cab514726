// Stable codes and their messages. `localized` builds every LocalizedText the analysis emits:
// the code is type-checked against en.json and the English text is rendered from it, so the
// `text` a judge returns and what the dashboard renders in English can never drift apart.

import {
  formatMessage,
  lookupIn,
  type MessageParams,
  type MessageTree,
  renderWithMessages,
} from "./message-format";
import de from "./messages/de.json";
import en from "./messages/en.json";
import es from "./messages/es.json";
import fr from "./messages/fr.json";
import type { LocalizedText } from "./types";

export { formatMessage, type MessageParams, type MessageTree, placeholdersOf } from "./message-format";

export type AnalysisLocale = "en" | "fr" | "es" | "de";

type LeafPaths<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${LeafPaths<T[K]>}`;
}[keyof T & string];

/** Every code a LocalizedText may carry: the dotted leaf paths of en.json. */
export type MessageCode = LeafPaths<typeof en>;

export const analysisMessages: Record<AnalysisLocale, MessageTree> = { en, fr, es, de };

export function lookupMessage(locale: AnalysisLocale, code: string): string | undefined {
  return lookupIn(analysisMessages[locale], code);
}

export function localized(code: MessageCode, params: MessageParams = {}): LocalizedText {
  return { code, params, text: formatMessage(lookupMessage("en", code) ?? code, params) };
}

/** The sentence in `locale` (see `renderWithMessages` for the fallbacks). */
export function renderLocalizedText(text: LocalizedText, locale: AnalysisLocale): string {
  return renderWithMessages(text, analysisMessages[locale], locale);
}
