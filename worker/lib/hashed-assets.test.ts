import { describe, expect, it } from "vitest";
import { serveHashedAsset } from "./hashed-assets";

/** Static assets as the Worker sees them: one file, and `_headers` rules on every answer. */
const assets = {
  async fetch(input: RequestInfo | URL) {
    const request = new Request(input);
    const { pathname } = new URL(request.url);
    const headers = {
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "public, max-age=0, must-revalidate",
    };
    if (pathname !== "/_astro/client.Ab12Cd.js")
      return new Response("<h1>Not found</h1>", { status: 404, headers });
    if (request.headers.get("If-None-Match") === '"etag"')
      return new Response(null, { status: 304, headers });
    return new Response("export {}", { status: 200, headers: { ...headers, ETag: '"etag"' } });
  },
} as unknown as Fetcher;

const get = (path: string, headers: Record<string, string> = {}) =>
  serveHashedAsset(new Request(`https://seqpulse.example${path}`, { headers }), assets);

describe("serveHashedAsset", () => {
  it("caches a file that exists for a year, immutable, keeping the static headers", async () => {
    const response = await get("/_astro/client.Ab12Cd.js");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("export {}");
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Strict-Transport-Security")).toBe("max-age=63072000; includeSubDomains");
  });

  it("keeps the long caching on a revalidation (304)", async () => {
    const response = await get("/_astro/client.Ab12Cd.js", { "If-None-Match": '"etag"' });
    expect(response.status).toBe(304);
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
  });

  it("never caches a missing file", async () => {
    const response = await get("/_astro/nope.js");
    expect(response.status).toBe(404);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.headers.get("Strict-Transport-Security")).toBe("max-age=63072000; includeSubDomains");
  });
});
