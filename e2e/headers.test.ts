// Response headers of the static dashboard as served by the real stack (Workers static assets
// plus the Worker in front of /_astro/): HSTS everywhere, and a year of `immutable` caching only
// for build files that exist.
import { describe, expect, it } from "vitest";
import { baseUrl } from "./browser";

const url = (path: string) => `${baseUrl()}${path}`;
const HSTS = /^max-age=(\d+); includeSubDomains$/;

async function hashedAssetPath(): Promise<string> {
  const html = await (await fetch(url("/signin/"))).text();
  const path = /(?:src|href)="(\/_astro\/[^"]+\.(?:js|css))"/.exec(html)?.[1];
  if (!path) throw new Error("no /_astro/ file referenced by /signin/");
  return path;
}

describe("static responses", () => {
  it.each(["/", "/signin/", "/fr/signin/", "/docs/api/", "/no-such-page/", "/api/auth/me", "/health"])(
    "%s carries Strict-Transport-Security of at least a year",
    async (path) => {
      const response = await fetch(url(path));
      const hsts = response.headers.get("Strict-Transport-Security") ?? "";
      expect(hsts).toMatch(HSTS);
      expect(Number(HSTS.exec(hsts)?.[1])).toBeGreaterThanOrEqual(31_536_000);
    },
  );

  it("caches a real /_astro/ file for a year, immutable, with the static headers", async () => {
    const response = await fetch(url(await hashedAssetPath()));
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Strict-Transport-Security")).toMatch(HSTS);
  });

  it("never caches a missing /_astro/ file as immutable", async () => {
    for (const path of ["/_astro/nope.js", "/_astro/deeper/nope.css"]) {
      const response = await fetch(url(path));
      expect(response.status, path).toBe(404);
      const cacheControl = response.headers.get("Cache-Control") ?? "";
      expect(cacheControl, path).not.toContain("immutable");
      expect(cacheControl, path).not.toMatch(/max-age=[1-9]/);
    }
  });

  it.each([
    "/reset-password/?token=abc",
    "/fr/reset-password/",
    "/verify-email/?token=abc",
    "/de/verify-email/",
  ])("%s sends no Referer anywhere (its address may hold a mailed token)", async (path) => {
    const response = await fetch(url(path));
    expect(response.status).toBe(200);
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(await response.text()).toContain('<meta name="referrer" content="no-referrer">');
  });

  it("keeps the usual Referrer-Policy elsewhere", async () => {
    const response = await fetch(url("/signin/"));
    await response.body?.cancel();
    expect(response.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
  });
});
