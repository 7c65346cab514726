#!/usr/bin/env node
// `npm run db:migrate`: applies drizzle/ migrations to DATABASE_URL (a Postgres server or Neon),
// or, without it, to the embedded database in .pglite/ used by `npm run dev`.
import path from "node:path";
import { startEmbeddedDatabase } from "./lib/embedded-db.mjs";
import { rootDir } from "./lib/paths.mjs";
import { migrateDatabase } from "./lib/server-db.mjs";

const url = process.env.DATABASE_URL;
if (url) {
  await migrateDatabase(url);
  console.log(`migrated ${new URL(url).host}${new URL(url).pathname}`);
} else {
  const database = await startEmbeddedDatabase({ dataDir: path.join(rootDir, ".pglite") });
  await database.stop();
  console.log("migrated the embedded database in .pglite/");
}
