// A Postgres server given by URL (a local server, or Neon for `npm run db:migrate`).
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { migrationsDir } from "./paths.mjs";

/**
 * Applies the SQL migrations in `drizzle/` that the database has not seen yet.
 * @param {string} url
 */
export async function migrateDatabase(url) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await migrate(drizzle({ client: pool }), { migrationsFolder: migrationsDir });
  } finally {
    await pool.end();
  }
}

/**
 * Creates a throw-away database on the server behind `serverUrl`, so test runs never share
 * state with each other or with anything else on that server.
 * @param {string} serverUrl
 * @returns {Promise<{ url: string, drop: () => Promise<void> }>}
 */
export async function createScratchDatabase(serverUrl) {
  const name = `seqpulse_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** @param {string} url */
export function isLoopbackUrl(url) {
  const { hostname } = new URL(url);
  return ["127.0.0.1", "localhost", "::1", "[::1]"].includes(hostname);
}
