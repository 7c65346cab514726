import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, htmlLang, pagePerTest, saveScreenshot } from "./browser";
import { fireSweep } from "./dashboard-data";

let page: Page;
let pageErrors: string[];

pagePerTest({ width: 1280, height: 800 }, (opened) => {
  ({ page, pageErrors } = opened);
});

function healthCard(target: Page) {
  return target.locator("[data-health-state]");
}

/** Fails with the page's errors: a CSP violation would otherwise look like a plain timeout. */
async function waitForHealthState(state: "loading" | "ok" | "degraded" | "error") {
  try {
    await page.locator(`[data-health-state="${state}"]`).waitFor({ timeout: 15_000 });
  } catch (error) {
    throw new Error(`the status island never showed "${state}"; page errors: ${JSON.stringify(pageErrors)}`, {
      cause: error,
    });
  }
}

// The status island reports the scheduler too: a sweep now, so its heartbeat is fresh.
beforeAll(() => fireSweep(baseUrl(), Date.now()));

describe("home page", () => {
  it("is in English at /, switches to French with the keyboard, and reports the service ok", async () => {
    const response = await page.goto(`${baseUrl()}/`);
    expect(response?.status()).toBe(200);
    expect(await htmlLang(page)).toBe("en");
    expect(await page.locator("h1").innerText()).toBe("Keep or roll back, and know why.");
    await waitForHealthState("ok");
    expect(await page.getByRole("status").innerText()).toContain("All systems operational");
    await saveScreenshot(page, "home-en");

    const switcher = page.getByRole("navigation", { name: "Language" });
    expect(await switcher.getByRole("link", { name: "English" }).getAttribute("aria-current")).toBe("page");
    const french = switcher.getByRole("link", { name: "Français" });
    expect(await french.getAttribute("aria-current")).toBeNull();
    await french.focus();
    await Promise.all([page.waitForURL(`${baseUrl()}/fr/`), page.keyboard.press("Enter")]);

    expect(await htmlLang(page)).toBe("fr");
    expect(await page.locator("h1").innerText()).toBe("Conserver ou revenir en arrière, et savoir pourquoi.");
    const switcherFr = page.getByRole("navigation", { name: "Langue" });
    expect(await switcherFr.getByRole("link", { name: "Français" }).getAttribute("aria-current")).toBe(
      "page",
    );
    await waitForHealthState("ok");
    expect(await page.getByRole("status").innerText()).toContain("Tous les systèmes sont opérationnels");
    expect(await page.getByRole("heading", { name: "État du système" }).count()).toBe(1);

    // Hydration works under the CSP (a blocked inline script would leave "loading" forever
    // and log a violation) and nothing else went wrong.
    expect(pageErrors).toEqual([]);
  });

  it("is served with the security headers from _headers", async () => {
    const response = await page.goto(`${baseUrl()}/es/`);
    const headers = response?.headers() ?? {};
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["permissions-policy"]).toContain("camera=()");
    expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'sha256-/);
    expect(headers["content-security-policy"]).not.toContain("unsafe-inline");
    await waitForHealthState("ok");
    expect(await page.getByRole("status").innerText()).toContain(
      "Todos los sistemas funcionan correctamente",
    );
    expect(pageErrors).toEqual([]);
  });

  it("shows a degraded database in German without moving the layout", async () => {
    // Hold /health until the loading state has been measured, then answer like the Worker
    // does when its database is down.
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/health", async (route) => {
      await released;
      await route.fulfill({
        status: 503,
        contentType: "application/json",
        body: JSON.stringify({ status: "degraded", checks: { db: false } }),
      });
    });
    await page.goto(`${baseUrl()}/de/`);
    const card = healthCard(page);
    await waitForHealthState("loading");
    expect(await page.getByRole("status").innerText()).toContain("Status wird geprüft");
    const before = await card.boundingBox();

    release();
    await waitForHealthState("degraded");
    expect(await page.getByRole("status").innerText()).toContain("Datenbank nicht erreichbar");
    expect(await card.boundingBox()).toEqual(before);
  });

  it("reports an error state when /health cannot be reached", async () => {
    await page.route("**/health", (route) => route.abort("connectionrefused"));
    await page.goto(`${baseUrl()}/`);
    await waitForHealthState("error");
    expect(await page.getByRole("status").innerText()).toContain("Status unavailable");
  });
});

describe("unknown paths", () => {
  it("get the 404 page with a 404 status", async () => {
    const response = await page.goto(`${baseUrl()}/no-such-page`);
    expect(response?.status()).toBe(404);
    expect(await htmlLang(page)).toBe("en");
    expect(await page.locator("h1").innerText()).toBe("Page not found");
    expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
  });

  it("get the 404 page of their locale", async () => {
    const response = await page.goto(`${baseUrl()}/fr/page-inexistante`);
    expect(response?.status()).toBe(404);
    expect(await htmlLang(page)).toBe("fr");
    expect(await page.locator("h1").innerText()).toBe("Page introuvable");
  });
});

describe("look", () => {
  it("saves light and dark screenshots of / and /fr/ for review", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      for (const [name, path] of [
        ["en", "/"],
        ["fr", "/fr/"],
      ] as const) {
        await page.goto(`${baseUrl()}${path}`);
        await waitForHealthState("ok");
        await saveScreenshot(page, `home-${name}-${colorScheme}`);
      }
    }
    expect(pageErrors).toEqual([]);
  });
});
