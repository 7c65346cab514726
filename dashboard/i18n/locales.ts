// The one list of locales: astro.config.mjs, the pages and the islands all read it, so adding a
// language is one line here plus its JSON file.
export const locales = ["en", "fr", "es", "de"] as const;

export type Locale = (typeof locales)[number];

// The default locale is served without a prefix (`/`), the others under `/<locale>/`.
export const defaultLocale: Locale = "en";

// Each language is named in itself: a reader who cannot read the current page must still find
// their own language in the switcher.
export const localeNames: Record<Locale, string> = {
  en: "English",
  fr: "Français",
  es: "Español",
  de: "Deutsch",
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/** `path` is locale-neutral and starts with `/`: `/` or `/deployments/`. */
export function localizedPath(locale: Locale, path = "/"): string {
  const normalized = path.startsWith("/") ? path : `/${path}`;
  return locale === defaultLocale ? normalized : `/${locale}${normalized}`;
}

/** Splits a URL pathname into its locale and the locale-neutral rest: `/fr/x/` -> fr, `/x/`. */
export function splitLocalePath(pathname: string): { locale: Locale; path: string } {
  const [, first, ...rest] = pathname.split("/");
  if (isLocale(first) && first !== defaultLocale) {
    return { locale: first, path: `/${rest.join("/")}` };
  }
  return { locale: defaultLocale, path: pathname.startsWith("/") ? pathname : `/${pathname}` };
}

/** The locales served under a prefix: what `pages/[locale]/*` must build. */
export const prefixedLocales: readonly Locale[] = locales.filter((locale) => locale !== defaultLocale);
