// @ts-check
import react from "@astrojs/react";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "astro/config";
import { defaultLocale, locales, prefixedLocales } from "./dashboard/i18n/locales.ts";
import { cspHashes } from "./dashboard/integrations/csp-hashes.ts";
import { localizedNotFoundPages } from "./dashboard/integrations/localized-not-found-pages.ts";

export default defineConfig({
  srcDir: "./dashboard",
  publicDir: "./dashboard/public",
  outDir: "./dist",
  output: "static",
  // cspHashes scans the final pages, so it runs last.
  integrations: [react(), localizedNotFoundPages(prefixedLocales), cspHashes()],
  i18n: {
    defaultLocale,
    locales: [...locales],
    routing: { prefixDefaultLocale: false },
  },
  build: {
    // The Tailwind stylesheet is shared by every page: one cached file beats inlining it into
    // each page (and keeps it out of the CSP hashes).
    inlineStylesheets: "never",
  },
  vite: {
    plugins: [tailwindcss()],
  },
});
