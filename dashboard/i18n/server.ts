// i18next for .astro pages, run at build time. One shared instance holding every locale;
// pages ask for a `t` fixed to their locale, so concurrent page renders cannot interfere.
import i18next, { type TFunction } from "i18next";
import { defaultLocale, type Locale, locales } from "./locales";
import { resources } from "./resources";

const instance = i18next.createInstance();
void instance.init({
  resources: Object.fromEntries(locales.map((locale) => [locale, { translation: resources[locale] }])),
  lng: defaultLocale,
  fallbackLng: defaultLocale,
  supportedLngs: [...locales],
  // Loaded from memory: initialise synchronously so `t` works on the first render.
  initAsync: false,
  // Astro escapes every interpolated expression; escaping here too would double-escape.
  interpolation: { escapeValue: false },
});

export function getTranslator(locale: Locale): TFunction {
  return instance.getFixedT(locale);
}
