import type { Database } from "../db/client";

export interface Authentication {
  userId: string;
  /** The session in use; null for personal API tokens. */
  sessionId: string | null;
  /** When the session began (sign-in time); null for personal API tokens. */
  sessionCreatedAt: Date | null;
  method: "cookie" | "bearer" | "api-token";
  /** The personal API token in use; null for sessions. */
  apiTokenId: string | null;
}

/** The Hono environment: bindings come from `wrangler types` (worker-configuration.d.ts). */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    /** Per-request pool, closed after the response by the database middleware. */
    db: Database;
    /** Runs `work` after the response on the request's pool (see the database middleware). */
    inBackground: (work: Promise<unknown>) => void;
    /** Set by the authenticate middleware; null for anonymous requests. */
    auth: Authentication | null;
  };
}
