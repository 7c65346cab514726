// The embedded database for `npm run dev` and the tests: PGlite (Postgres compiled to WASM),
// served over the Postgres wire protocol (scripts/lib/pglite-server.mjs), with the migrations
// applied.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { cacheDir, migrationsDir, rootDir } from "./paths.mjs";
import { startPGliteServer } from "./pglite-server.mjs";

// The template is only valid for the PGlite build that wrote it.
const pgliteVersion = JSON.parse(
  readFileSync(path.join(rootDir, "node_modules/@electric-sql/pglite/package.json"), "utf8"),
).version;

/**
 * A fresh PGlite runs initdb (4-8 s here, much more under load); loading a dump of a fresh one
 * takes about 1 s. The dump is taken before migrations, so it never goes stale when they change.
 * @returns {Promise<Blob>}
 */
async function freshDatabaseTemplate() {
  const template = path.join(cacheDir, `pglite-${pgliteVersion}-template.tar.gz`);
  if (!existsSync(template)) {
    const db = await PGlite.create();
    const dump = await db.dumpDataDir("gzip");
    await db.close();
    mkdirSync(cacheDir, { recursive: true });
    // Written aside then renamed: runs started at the same time never read half a file.
    const partial = `${template}.${process.pid}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, template);
  }
  return new Blob([readFileSync(template)]);
}

/**
 * Opens the database kept in `dataDir` (created from the template when new), or one in memory.
 * @param {string | undefined} dataDir
 */
async function openDatabase(dataDir) {
  if (dataDir && existsSync(path.join(dataDir, "PG_VERSION"))) return PGlite.create(dataDir);
  return PGlite.create({ dataDir, loadDataDir: await freshDatabaseTemplate() });
}

/**
 * @param {{ dataDir?: string, host?: string, port?: number }} [options]
 *   dataDir: a folder to keep the data in between runs; without it, the data lives in memory.
 * @returns {Promise<{ url: string, port: number, db: PGlite, stats: () => object, stop: () => Promise<void> }>}
 */
export async function startEmbeddedDatabase({ dataDir, host = "127.0.0.1", port = 0 } = {}) {
  const db = await openDatabase(dataDir);
  await migrate(drizzle({ client: db }), { migrationsFolder: migrationsDir });
  const server = await startPGliteServer({ db, host, port });
  return {
    url: `postgres://postgres@${host}:${server.port}/postgres`,
    port: server.port,
    db,
    stats: server.stats,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
