import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../lib/errors";
import { isJsonRequest } from "./json-body";

/** `%00` decodes to NUL wherever we percent-decode: the path, its parameters, the query, cookies. */
const ENCODED_NUL = /%00/i;
/** JSON's escape for NUL, `\u0000`, unless its backslash is itself escaped (`\\u0000` is text). */
const ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/i;
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Postgres text cannot hold NUL (U+0000): a value carrying one fails its statement
 * (`22021 invalid byte sequence`). No field of ours has a use for it, so a NUL anywhere we read
 * (path, query, headers, cookies, JSON body) is refused here, once, before any handler runs.
 * Must run after the body limit: it reads JSON bodies whole.
 */
export const refuseNul = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const url = c.req.url;
    const pathEnd = url.search(/[?#]/);
    if (ENCODED_NUL.test(pathEnd === -1 ? url : url.slice(0, pathEnd))) throw nulIn("path");
    if (ENCODED_NUL.test(new URL(url).search)) throw nulIn("query");
    for (const [name, value] of c.req.raw.headers) {
      if (value.includes("\0")) throw nulIn(name);
    }
    if (ENCODED_NUL.test(c.req.header("Cookie") ?? "")) throw nulIn("cookie");
    if (BODY_METHODS.has(c.req.method) && c.req.raw.body && isJsonRequest(c)) {
      // Cached by Hono: the validators parse this same text afterwards.
      const text = await c.req.text();
      if (text.includes("\0") || ESCAPED_NUL.test(text)) throw nulIn("body");
    }
    await next();
  });

function nulIn(field: string): ApiError {
  return new ApiError(
    "VALIDATION_FAILED",
    `The ${field} contains a NUL character (\\u0000), which is never valid.`,
    {
      fields: [{ field, message: `${field} must not contain NUL characters.` }],
    },
  );
}
