import { Hono } from "hono";
import type { AppEnv } from "../env";
import { buildOpenApiDocument } from "./document";

/** Public and cacheable: the document changes only with a deploy. */
export const openApiRoutes = new Hono<AppEnv>();

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

openApiRoutes.get("/", (c) => {
  document ??= buildOpenApiDocument();
  c.header("Cache-Control", "public, max-age=300");
  return c.json(document);
});
