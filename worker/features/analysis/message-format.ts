// Rendering a LocalizedText from a tree of messages: pure, with no messages of its own, so the
// Worker (all locales, ./messages.ts) and the dashboard (one locale, loaded on demand) share it.
import type { LocalizedText } from "./types";

/** Nested messages; every leaf is a template with `{param}` placeholders. */
export interface MessageTree {
  [key: string]: string | MessageTree;
}

export type MessageParams = Record<string, string | number>;

/** The template at a dotted code (`verdict.ok`), if the tree has one. */
export function lookupIn(messages: MessageTree, code: string): string | undefined {
  let node: string | MessageTree | undefined = messages;
  for (const part of code.split(".")) {
    if (typeof node !== "object" || !Object.hasOwn(node, part)) return undefined;
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

/**
 * The sentence from `messages`; the stored English text for a code they lack, or when the params
 * cannot fill the template (a verdict stored before its message gained a placeholder). Tolerates
 * a stored value missing its params or text.
 */
export function renderWithMessages(text: LocalizedText, messages: MessageTree, locale?: string): string {
  const template = typeof text.code === "string" ? lookupIn(messages, text.code) : undefined;
  const params = text.params ?? {};
  if (template === undefined || !placeholdersOf(template).every((name) => Object.hasOwn(params, name))) {
    return text.text ?? "";
  }
  return formatMessage(template, params, locale);
}
