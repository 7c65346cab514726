import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import { hasBody, UNSUPPORTED_BODY_MESSAGE } from "./json-body";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Requests that change state must come from our own origin and carry JSON. Browsers send
 * `Sec-Fetch-Site` (and `Origin`) on cross-site requests, and a cross-site form cannot send
 * `application/json` without a CORS preflight we never grant. Non-browser clients (CI, curl)
 * send neither header and authenticate with tokens, not ambient cookies.
 */
export const csrfProtection = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const site = c.req.header("Sec-Fetch-Site");
    if (site && site !== "same-origin" && site !== "none") {
      throw new ApiError("FORBIDDEN", "Cross-site request refused.");
    }
    const origin = c.req.header("Origin");
    if (origin && origin !== new URL(c.req.url).origin) {
      throw new ApiError("FORBIDDEN", "Cross-origin request refused.");
    }
    const type = c.req.header("Content-Type") ?? "";
    if (hasBody(c) && !/^application\/json\s*(;|$)/i.test(type)) {
      throw new ApiError("UNSUPPORTED_MEDIA_TYPE", UNSUPPORTED_BODY_MESSAGE);
    }
    await next();
  });
