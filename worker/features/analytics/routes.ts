import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { ApiError } from "../../lib/errors";
import { RATE_LIMITS } from "../../lib/rate-limits";
import { validate } from "../../lib/validation";
import { rateLimit } from "../../middleware/rate-limit";
import { isOperator } from "../health/health";
import { lifecycleKpis } from "./kpi";
import { lifecycleQuery } from "./schemas";

/**
 * Operator analytics (`Authorization: Bearer <OPERATOR_TOKEN>`), mounted before the user
 * authentication: the operator token is not a user credential. Platform-wide figures, so
 * nobody else may read them (the earlier SeqPulse served them to anyone).
 */
export const analyticsRoutes = new Hono<AppEnv>();

analyticsRoutes.use(
  rateLimit(RATE_LIMITS.healthPerIp),
  createMiddleware<AppEnv>(async (c, next) => {
    if (!isOperator(c.req.header("Authorization"), c.env.OPERATOR_TOKEN)) {
      throw new ApiError("UNAUTHENTICATED", "Send the operator token as Authorization: Bearer <token>.");
    }
    await next();
  }),
);

analyticsRoutes.get("/kpi/lifecycle", validate("query", lifecycleQuery), async (c) =>
  c.json(await lifecycleKpis(c.var.db, c.req.valid("query").days, new Date())),
);
