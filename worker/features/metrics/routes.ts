import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { EXPOSITION_CONTENT_TYPE } from "./exposition";
import { authorizeScrape, scrapeMetrics } from "./metrics";

/** `GET /metrics` for Prometheus (METRICS_TOKEN as Bearer); never counted in its own series. */
export const metricsRoutes = new Hono<AppEnv>();

metricsRoutes.get("/", async (c) => {
  authorizeScrape(c.req.header("Authorization"), c.env.METRICS_TOKEN);
  const text = await scrapeMetrics(c.var.db, c.env);
  return c.body(text, 200, { "Content-Type": EXPOSITION_CONTENT_TYPE, "Cache-Control": "no-store" });
});
