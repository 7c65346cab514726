import { describe, expect, it } from "vitest";
import { defaultLocale, isLocale, locales, localizedPath, splitLocalePath } from "./locales";
import { resources } from "./resources";
import { getTranslator } from "./server";

/** Every leaf key of a nested messages object, as dotted paths. */
function keysOf(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keysOf(child, prefix ? `${prefix}.${key}` : key));
}

describe("locale files", () => {
  const reference = keysOf(resources[defaultLocale]).sort();

  it.each(locales.filter((locale) => locale !== defaultLocale))(
    "%s has exactly the keys of en.json",
    (locale) => {
      expect(keysOf(resources[locale]).sort()).toEqual(reference);
    },
  );

  it.each(locales)("%s has no empty string", (locale) => {
    const empty = keysOf(resources[locale]).filter((key) => {
      const value = key.split(".").reduce<unknown>((node, part) => {
        return (node as Record<string, unknown>)[part];
      }, resources[locale]);
      return typeof value !== "string" || value.trim() === "";
    });
    expect(empty).toEqual([]);
  });

  it("translates at build time for each locale, without falling back", () => {
    expect(getTranslator("en")("health.ok")).toBe("All systems operational");
    expect(getTranslator("fr")("health.ok")).toBe("Tous les systèmes sont opérationnels");
    expect(getTranslator("es")("health.title")).toBe("Estado del sistema");
    expect(getTranslator("de")("health.title")).toBe("Systemstatus");
  });
});

describe("localized paths", () => {
  it("serves the default locale without a prefix", () => {
    expect(localizedPath("en", "/")).toBe("/");
    expect(localizedPath("en", "/deployments/")).toBe("/deployments/");
  });

  it("prefixes the other locales", () => {
    expect(localizedPath("fr", "/")).toBe("/fr/");
    expect(localizedPath("de", "deployments/")).toBe("/de/deployments/");
  });

  it("splits a pathname into locale and locale-neutral path", () => {
    expect(splitLocalePath("/fr/deployments/")).toEqual({ locale: "fr", path: "/deployments/" });
    expect(splitLocalePath("/fr/")).toEqual({ locale: "fr", path: "/" });
    expect(splitLocalePath("/")).toEqual({ locale: "en", path: "/" });
    // `/en/` is not a route (the default locale has no prefix), nor is an unknown code.
    expect(splitLocalePath("/en/x")).toEqual({ locale: "en", path: "/en/x" });
    expect(splitLocalePath("/xx/")).toEqual({ locale: "en", path: "/xx/" });
  });

  it("recognises only configured locales", () => {
    expect(isLocale("fr")).toBe(true);
    expect(isLocale("it")).toBe(false);
    expect(isLocale(undefined)).toBe(false);
  });
});
