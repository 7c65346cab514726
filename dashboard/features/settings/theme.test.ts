import { describe, expect, it } from "vitest";
import { parseThemeChoice, readThemeChoice, resolveTheme, saveThemeChoice, THEME_KEY } from "./theme";

function memoryStorage(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return {
    values,
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  };
}

describe("theme", () => {
  it("follows the system unless light or dark was chosen", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
    expect(resolveTheme("light", true)).toBe("light");
    expect(resolveTheme("dark", false)).toBe("dark");
  });

  it("reads only the known choices back", () => {
    expect(parseThemeChoice("dark")).toBe("dark");
    expect(parseThemeChoice("blue")).toBe("system");
    expect(parseThemeChoice(null)).toBe("system");
    expect(readThemeChoice(memoryStorage({ [THEME_KEY]: "light" }))).toBe("light");
    expect(
      readThemeChoice({
        getItem: () => {
          throw new Error("denied");
        },
        setItem: () => {},
        removeItem: () => {},
      }),
    ).toBe("system");
  });

  it("stores light and dark, and forgets the choice for system", () => {
    const storage = memoryStorage();
    saveThemeChoice("dark", storage);
    expect(storage.values.get(THEME_KEY)).toBe("dark");
    saveThemeChoice("system", storage);
    expect(storage.values.has(THEME_KEY)).toBe(false);
  });
});
