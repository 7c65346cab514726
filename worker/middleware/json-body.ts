import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

export const UNSUPPORTED_BODY_MESSAGE = "Send the body as JSON with Content-Type: application/json.";

/** JSON by its type (`application/json`, `application/*+json`), or untyped (read as JSON where allowed). */
export function isJsonRequest(c: Context): boolean {
  const type = c.req.header("Content-Type");
  return !type || JSON_TYPE.test(type);
}

/** A body is coming: a non-empty Content-Length, or a stream without one (chunked). */
export function hasBody(c: Context): boolean {
  return c.req.raw.body !== null && c.req.header("Content-Length") !== "0";
}

/**
 * The CI paths of the earlier SeqPulse read the body as JSON when it came without a
 * Content-Type (its framework did), and pipelines written for it may rely on that: an untyped
 * body is read as JSON here. Any other type (curl's `-d` sends a form type) is refused with 415
 * instead of being read as an empty body ("env is required" would send people looking in the
 * wrong place).
 */
export const jsonBodyOrUntyped = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (hasBody(c)) {
      const type = c.req.header("Content-Type");
      if (type && !JSON_TYPE.test(type)) {
        throw new ApiError("UNSUPPORTED_MEDIA_TYPE", UNSUPPORTED_BODY_MESSAGE);
      }
      if (!type) {
        const headers = new Headers(c.req.raw.headers);
        headers.set("Content-Type", "application/json");
        c.req.raw = new Request(c.req.raw, { headers });
      }
    }
    await next();
  });
