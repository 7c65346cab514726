import { Hono } from "hono";
import type { AppEnv } from "../env";
import { buildOpenApiDocument } from "./document";

/**
 * Public and cacheable: the document changes only with a deploy. Readable from any origin (it
 * holds no secret and needs no credentials), so API tools in a browser can load it.
 */
export const openApiRoutes = new Hono<AppEnv>();

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

openApiRoutes.get("/", (c) => {
  document ??= buildOpenApiDocument();
  c.header("Cache-Control", "public, max-age=300");
  c.header("Access-Control-Allow-Origin", "*");
  return c.json(document);
});
