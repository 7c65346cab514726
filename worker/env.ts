import type { Database } from "../db/client";

/** The Hono environment: bindings come from `wrangler types` (worker-configuration.d.ts). */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** Opened on first use by the database middleware and closed after the response. */
    db: Database;
  };
}
