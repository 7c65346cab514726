// i18next for React islands. The page passes only the strings the island needs (a subtree of
// its locale's JSON) as a prop: no locale file is bundled into the island's JavaScript, and
// the strings arrive with the HTML, so the first client render matches the server one.
//
// Islands of one page share one i18next instance (and one copy of i18next in the page's
// JavaScript): each island adds its strings to it.
import i18next, { type i18n, type Resource } from "i18next";
import { initReactI18next } from "react-i18next";
import type { Locale } from "./locales";
import type { Messages } from "./resources";

export type IslandMessages = Partial<Messages>;

const instances = new Map<Locale, i18n>();

export function createIslandI18n(locale: Locale, messages: IslandMessages): i18n {
  const existing = instances.get(locale);
  if (existing) {
    existing.addResourceBundle(locale, "translation", messages, true, false);
    return existing;
  }
  const instance = i18next.createInstance();
  const resources: Resource = { [locale]: { translation: messages } };
  void instance.use(initReactI18next).init({
    resources,
    lng: locale,
    fallbackLng: false,
    initAsync: false,
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
  });
  instances.set(locale, instance);
  return instance;
}
