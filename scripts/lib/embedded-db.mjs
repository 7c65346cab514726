// The embedded database for `npm run dev` and the tests: PGlite (Postgres compiled to WASM),
// served over the Postgres wire protocol by pglite-socket, with the migrations applied.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { cacheDir, migrationsDir, rootDir } from "./paths.mjs";
import { patchPGLiteSocketServer } from "./pglite-mux-fix.mjs";

// The template is only valid for the PGlite build that wrote it.
const pgliteVersion = JSON.parse(
  readFileSync(path.join(rootDir, "node_modules/@electric-sql/pglite/package.json"), "utf8"),
).version;

/**
 * A fresh in-memory PGlite runs initdb (4-8 s here); reopening a dump of a fresh one takes
 * about 1 s. The dump is taken before migrations, so it never goes stale when they change.
 */
async function createInMemoryDatabase() {
  const template = path.join(cacheDir, `pglite-${pgliteVersion}-template.tar.gz`);
  if (existsSync(template)) {
    return PGlite.create({ loadDataDir: new Blob([readFileSync(template)]) });
  }
  const db = await PGlite.create();
  const dump = await db.dumpDataDir("gzip");
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(template, Buffer.from(await dump.arrayBuffer()));
  return db;
}

/**
 * @param {{ dataDir?: string, host?: string, port?: number }} [options]
 *   dataDir: a folder to keep the data in between runs; without it, the data lives in memory.
 * @returns {Promise<{ url: string, port: number, db: PGlite, stop: () => Promise<void> }>}
 */
export async function startEmbeddedDatabase({ dataDir, host = "127.0.0.1", port = 0 } = {}) {
  const db = dataDir ? await PGlite.create(dataDir) : await createInMemoryDatabase();
  await migrate(drizzle({ client: db }), { migrationsFolder: migrationsDir });
  const server = patchPGLiteSocketServer(new PGLiteSocketServer({ db, host, port, maxConnections: 500 }));
  await server.start();
  const boundPort = Number(server.getServerConn().split(":").pop());
  return {
    url: `postgres://postgres@${host}:${boundPort}/postgres`,
    port: boundPort,
    db,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
