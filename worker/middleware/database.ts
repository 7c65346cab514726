import { createMiddleware } from "hono/factory";
import { openDatabase } from "../../db/client";
import type { AppEnv } from "../env";

/**
 * Makes `c.var.db` available and closes its pool after the response (Workers forbid sharing
 * I/O objects between requests). A pool connects on its first query, so routes that never
 * touch the database pay nothing.
 */
export const database = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const { db, close } = openDatabase(c.env);
    c.set("db", db);
    try {
      await next();
    } finally {
      c.executionCtx.waitUntil(close());
    }
  });
