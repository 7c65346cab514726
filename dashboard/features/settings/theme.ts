// Light, dark or the system's: the choice is kept in localStorage and applied as
// <html data-theme>, which the `dark:` variant follows (styles/global.css). The layout's head
// script applies it before the first paint; this module changes it from the settings page.

/** Read by the inline script in layouts/base-layout.astro: keep the two in step. */
export const THEME_KEY = "seqpulse.theme";
export const THEME_EVENT = "seqpulse:theme";

export const themeChoices = ["system", "light", "dark"] as const;
export type ThemeChoice = (typeof themeChoices)[number];

export function parseThemeChoice(value: string | null | undefined): ThemeChoice {
  return value === "light" || value === "dark" ? value : "system";
}

export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): "light" | "dark" {
  if (choice === "system") return systemPrefersDark ? "dark" : "light";
  return choice;
}

type Store = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export function readThemeChoice(storage: Store | undefined = globalThis.localStorage): ThemeChoice {
  try {
    return parseThemeChoice(storage?.getItem(THEME_KEY));
  } catch {
    return "system";
  }
}

/** Saves the choice ("system" forgets it) and applies it to this page at once. */
export function saveThemeChoice(
  choice: ThemeChoice,
  storage: Store | undefined = globalThis.localStorage,
): void {
  try {
    if (choice === "system") storage?.removeItem(THEME_KEY);
    else storage?.setItem(THEME_KEY, choice);
  } catch {
    // Storage refused: the choice holds for this page only.
  }
  if (typeof document === "undefined") return;
  const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.setAttribute("data-theme", resolveTheme(choice, dark));
  window.dispatchEvent(new Event(THEME_EVENT));
}
