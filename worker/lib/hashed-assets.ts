import { STRICT_TRANSPORT_SECURITY } from "../middleware/security-headers";

/** The build's files whose names carry a hash of their content (Astro's output). */
export const HASHED_ASSETS_PREFIX = "/_astro/";

const FOREVER = "public, max-age=31536000, immutable";

export function isHashedAssetPath(pathname: string): boolean {
  return pathname.startsWith(HASHED_ASSETS_PREFIX);
}

/**
 * Serves a `/_astro/` file from static assets. Its name changes with its content, so a file that
 * exists is cached for a year; anything else (a 404 for a file of another deploy, a typo) must
 * not be: `_headers` cannot tell the two apart, since its rules apply whatever the status.
 * Static assets still apply the `_headers` rules (security headers) to the response.
 */
export async function serveHashedAsset(request: Request, assets: Fetcher): Promise<Response> {
  const response = await assets.fetch(request);
  const headers = new Headers(response.headers);
  const found = response.status === 200 || response.status === 304;
  headers.set("Cache-Control", found ? FOREVER : "no-store");
  headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
