// Runs in Node before the workerd test pool starts: brings up the database chain the Worker
// under test talks to, exactly as in `npm run dev`.
//   default:            embedded PGlite in memory, behind pglite-socket and the WS proxy
//   TEST_DATABASE_URL:  a real Postgres server; a scratch database is created and dropped
import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase } from "../scripts/lib/embedded-db.mjs";
import { createScratchDatabase, migrateDatabase } from "../scripts/lib/server-db.mjs";
import { startWsProxy } from "../scripts/lib/ws-proxy.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    wsProxy: string;
    databaseKind: "pglite" | "postgres";
  }
}

export default async function setup(project: TestProject) {
  const cleanups: Array<() => Promise<void>> = [];
  const serverUrl = process.env.TEST_DATABASE_URL;
  let databaseUrl: string;
  if (serverUrl) {
    const scratch = await createScratchDatabase(serverUrl);
    cleanups.push(scratch.drop);
    await migrateDatabase(scratch.url);
    databaseUrl = scratch.url;
  } else {
    const embedded = await startEmbeddedDatabase();
    cleanups.push(embedded.stop);
    databaseUrl = embedded.url;
  }
  const proxy = await startWsProxy();
  cleanups.push(proxy.close);

  project.provide("databaseUrl", databaseUrl);
  project.provide("wsProxy", `127.0.0.1:${proxy.port}`);
  project.provide("databaseKind", serverUrl ? "postgres" : "pglite");

  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
}
