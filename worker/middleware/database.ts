import { createMiddleware } from "hono/factory";
import { openDatabase } from "../../db/client";
import type { AppEnv } from "../env";

/**
 * Makes `c.var.db` available and closes its pool after the response (Workers forbid sharing
 * I/O objects between requests). A pool connects on its first query, so routes that never
 * touch the database pay nothing. Work handed to `c.var.inBackground` keeps running after the
 * response, on the same pool, which closes once it settles.
 */
export const database = () =>
  createMiddleware<AppEnv>(async (c, next) => {
    const { db, close } = openDatabase(c.env);
    const background: Promise<unknown>[] = [];
    c.set("db", db);
    c.set("inBackground", (work) => void background.push(work));
    try {
      await next();
    } finally {
      c.executionCtx.waitUntil(Promise.allSettled(background).then(close));
    }
  });
