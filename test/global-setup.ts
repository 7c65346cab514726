// Runs in Node before the workerd test pool starts: brings up the database chain the Worker
// under test talks to, exactly as in `npm run dev`.
//   default:            embedded PGlite in memory, behind pglite-socket and the WS proxy
//   TEST_DATABASE_URL:  a real Postgres server; a scratch database is created and dropped
import { randomBytes } from "node:crypto";
import net from "node:net";
import type { TestProject } from "vitest/node";
import { startEmbeddedDatabase } from "../scripts/lib/embedded-db.mjs";
import { createScratchDatabase, migrateDatabase } from "../scripts/lib/server-db.mjs";
import { startWsProxy } from "../scripts/lib/ws-proxy.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    wsProxy: string;
    databaseKind: "pglite" | "postgres";
    /** A local port that accepts connections and never answers: a hung database. */
    blackholePort: number;
    encryptionKeys: string;
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

  const sockets = new Set<net.Socket>();
  const blackhole = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => blackhole.listen(0, "127.0.0.1", resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackhole.close(resolve));
  });

  project.provide("databaseUrl", databaseUrl);
  project.provide("encryptionKeys", `1:${randomBytes(32).toString("base64")}`);
  project.provide("blackholePort", (blackhole.address() as net.AddressInfo).port);
  project.provide("wsProxy", `127.0.0.1:${proxy.port}`);
  project.provide("databaseKind", serverUrl ? "postgres" : "pglite");

  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
}
