// Build-time only: importing this module puts every locale's strings into the bundle, so
// islands must receive their strings as props instead (see island.ts).

import type { Locale } from "./locales";
import de from "./locales/de.json";
import en from "./locales/en.json";
import es from "./locales/es.json";
import fr from "./locales/fr.json";

/** en.json is the reference: every other locale must have exactly its keys (locales.test.ts). */
export type Messages = typeof en;

export const resources: Record<Locale, Messages> = { en, fr, es, de };
