import { type ComponentType, type ReactNode, useMemo } from "react";
import { I18nextProvider } from "react-i18next";
import { createIslandI18n, type IslandMessages } from "./island";
import type { Locale } from "./locales";

export interface IslandProps {
  locale: Locale;
  /** Only the parts of the page locale's strings this island uses (see island.ts). */
  messages: IslandMessages;
}

/** Gives an island's components `useTranslation()` in the page's locale. */
export function IslandI18n({ locale, messages, children }: IslandProps & { children: ReactNode }) {
  const i18n = useMemo(() => createIslandI18n(locale, messages), [locale, messages]);
  return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
}

/** An island whose component needs only the locale: `Component` inside the page's strings. */
export function islandOf(Component: ComponentType<{ locale: Locale }>) {
  return function Island({ locale, messages }: IslandProps) {
    return (
      <IslandI18n locale={locale} messages={messages}>
        <Component locale={locale} />
      </IslandI18n>
    );
  };
}
