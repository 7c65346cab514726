import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import * as schema from "./schema";

export type Database = NeonDatabase<typeof schema>;

export interface DatabaseSettings {
  DATABASE_URL: string;
  /** host:port of a local WebSocket-to-TCP proxy; empty in production (Neon). */
  WS_PROXY?: string;
}

/**
 * Opens a connection pool for one request or one cron invocation. Workers cannot share I/O
 * objects between requests, so every caller opens its own and must `close()` it (usually
 * through `waitUntil`).
 *
 * `maxConnections` counts against the 6 outgoing connections a Worker invocation may hold at
 * once (each is a WebSocket to Neon); callers that also fetch at volume keep it small.
 */
export function openDatabase(
  settings: DatabaseSettings,
  { maxConnections = 5 }: { maxConnections?: number } = {},
): { db: Database; close: () => Promise<void> } {
  if (!settings.DATABASE_URL) throw new Error("DATABASE_URL is not set");
  const proxy = settings.WS_PROXY;
  if (proxy) {
    // Only for the local chain: plain ws:// to the proxy, no TLS to pipeline. Neon keeps its
    // defaults in production.
    neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new Pool({
    connectionString: settings.DATABASE_URL,
    max: maxConnections,
    connectionTimeoutMillis: 5_000,
  });
  // A pool error (e.g. the server went away while idle) must not become an unhandled one.
  pool.on("error", () => {});
  let closed: Promise<void> | undefined;
  return {
    db: drizzle({ client: pool, schema }),
    close: () => {
      closed ??= pool.end().catch(() => {});
      return closed;
    },
  };
}
