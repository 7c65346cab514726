import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

/**
 * Cookies are host-only and HttpOnly. Over https they also get Secure and the `__Host-` prefix
 * (no Domain, Path=/, cannot be planted by a sibling subdomain); plain http is only for local
 * development, where browsers refuse Secure cookies.
 */
function isSecure(c: Context): boolean {
  return new URL(c.req.url).protocol === "https:";
}

function cookieName(c: Context, name: string): string {
  return isSecure(c) ? `__Host-${name}` : name;
}

export function readCookie(c: Context, name: string): string | undefined {
  return getCookie(c, cookieName(c, name));
}

export function writeCookie(c: Context, name: string, value: string, maxAgeSeconds: number): void {
  setCookie(c, cookieName(c, name), value, {
    httpOnly: true,
    secure: isSecure(c),
    sameSite: "Lax",
    path: "/",
    maxAge: maxAgeSeconds,
  });
}

export function clearCookie(c: Context, name: string): void {
  deleteCookie(c, cookieName(c, name), { path: "/", secure: isSecure(c) });
}
