import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env";
import { ApiError } from "../../lib/errors";
import { validate } from "../../lib/validation";
import { isOperator } from "../health/health";
import { changeProjectPlan } from "./change-plan";
import { changePlanBody, projectIdParam } from "./schemas";

/**
 * Operator routes (`Authorization: Bearer <OPERATOR_TOKEN>`), mounted before the user
 * authentication: the operator token is not a user credential. Authenticated before the body
 * is read.
 */
export const adminRoutes = new Hono<AppEnv>();

adminRoutes.use(
  createMiddleware<AppEnv>(async (c, next) => {
    if (!isOperator(c.req.header("Authorization"), c.env.OPERATOR_TOKEN)) {
      throw new ApiError("UNAUTHENTICATED", "Send the operator token as Authorization: Bearer <token>.");
    }
    await next();
  }),
);

adminRoutes.put(
  "/projects/:id/plan",
  validate("param", projectIdParam),
  validate("json", changePlanBody),
  async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await changeProjectPlan(c.var.db, id, c.req.valid("json").plan, new Date()));
  },
);
