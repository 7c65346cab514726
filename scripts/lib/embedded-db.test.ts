// The embedded database chain survives whatever a client does: every failure answers that
// client and the next queries, from every client, succeed. And its data folder survives a crash.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { neonConfig, Pool } from "@neondatabase/serverless";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ws from "ws";
import { startEmbeddedDatabase } from "./embedded-db.mjs";
import { startWsProxy } from "./ws-proxy.mjs";

type Embedded = Awaited<ReturnType<typeof startEmbeddedDatabase>>;

// Postgres frontend messages, built by hand: drivers refuse to send some of these.
const int32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
};
const cstring = (text: string) => Buffer.from(`${text}\0`);
const message = (type: string, body: Buffer) =>
  Buffer.concat([Buffer.from(type), int32(body.length + 4), body]);
const startup = () => {
  const body = Buffer.concat([int32(196608), cstring("user"), cstring("postgres"), Buffer.from([0])]);
  return Buffer.concat([int32(body.length + 4), body]);
};
const parse = (sql: string) => message("P", Buffer.concat([cstring(""), cstring(sql), Buffer.from([0, 0])]));
const bind = (...values: string[]) =>
  message(
    "B",
    Buffer.concat([
      cstring(""),
      cstring(""),
      Buffer.from([0, 0]),
      Buffer.from([0, values.length]),
      ...values.flatMap((value) => [int32(Buffer.byteLength(value)), Buffer.from(value)]),
      Buffer.from([0, 0]),
    ]),
  );
const execute = message("E", Buffer.concat([cstring(""), int32(0)]));
const query = (sql: string) => message("Q", cstring(sql));

/** Opens a raw connection, sends `chunks` after the startup, waits a little, and disconnects. */
async function rawSession(port: number, chunks: Buffer[], { waitMs = 200 } = {}) {
  const socket = net.connect(port, "127.0.0.1");
  const received: Buffer[] = [];
  let closed = false;
  socket.on("data", (data) => received.push(data));
  socket.on("error", () => {});
  socket.on("close", () => {
    closed = true;
  });
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(startup());
  for (const chunk of chunks) {
    socket.write(chunk);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  socket.destroy();
  return { answer: Buffer.concat(received), closedByServer: closed };
}

async function queryOnce(url: string, sql: string, params?: unknown[]) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, query_timeout: 5000 });
  client.on("error", () => {});
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

describe("embedded database under failures", () => {
  let database: Embedded;
  let proxy: Awaited<ReturnType<typeof startWsProxy>>;

  beforeAll(async () => {
    database = await startEmbeddedDatabase();
    proxy = await startWsProxy();
    await queryOnce(database.url, "create table failures_probe (id int primary key)");
    // The Worker's driver, configured as db/client.ts does for the local proxy.
    neonConfig.webSocketConstructor = ws;
    neonConfig.wsProxy = (host, port) => `127.0.0.1:${proxy.port}/v2?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  });
  afterAll(async () => {
    await proxy?.close();
    await database?.stop();
  });

  async function neonQuery(sql: string, params?: unknown[]) {
    const pool = new Pool({ connectionString: database.url, max: 1, connectionTimeoutMillis: 5000 });
    pool.on("error", () => {});
    try {
      return (await pool.query(sql, params)).rows;
    } finally {
      await pool.end().catch(() => {});
    }
  }

  it("answers each failed query with an error, then 50 concurrent queries succeed", async () => {
    // NUL bytes: in a parameter, in the query text (both protocols), through the Worker's driver.
    await expect(queryOnce(database.url, "select $1::text", ["a\u0000b"])).rejects.toThrow(/0x00/);
    await expect(neonQuery("select $1::text", ["\u0000"])).rejects.toThrow(/0x00/);
    await expect(neonQuery("select 'a\u0000b' as x, $1::int", [1])).rejects.toThrow();
    await expect(queryOnce(database.url, "select 'a\u0000b'")).rejects.toThrow();
    // A syntax error, a constraint violation, inside and outside a transaction.
    await expect(queryOnce(database.url, "selec 1")).rejects.toThrow(/syntax error/);
    await queryOnce(database.url, "insert into failures_probe values (1)");
    await expect(queryOnce(database.url, "insert into failures_probe values (1)")).rejects.toThrow(
      /duplicate/,
    );

    // Clients that go away in the middle: after an error before Sync, in the middle of a batch,
    // in a failed transaction, during a running statement.
    await rawSession(database.port, [Buffer.concat([parse("select $1::text"), bind("a\u0000b")])]);
    await rawSession(database.port, [Buffer.concat([parse("select 1"), bind()])]);
    await rawSession(database.port, [Buffer.concat([query("begin"), parse("selec 1"), bind(), execute])]);
    await rawSession(database.port, [query("begin; insert into failures_probe values (2)")]);
    await rawSession(database.port, [query("select pg_sleep(0.3)")], { waitMs: 0 });
    // A cancel request (PGlite has nothing to cancel; the connection is closed as Postgres does).
    const cancel = net.connect(database.port, "127.0.0.1");
    cancel.on("error", () => {});
    await new Promise((resolve) => cancel.once("connect", resolve));
    cancel.write(Buffer.concat([int32(16), int32(80877102), int32(1), int32(2)]));
    await new Promise((resolve) => cancel.once("close", resolve));

    // A message type Postgres answers with FATAL: refused, and only that client is closed.
    const fatal = await rawSession(database.port, [message("z", Buffer.from("abc"))]);
    expect(fatal.answer.toString()).toContain("08P01");

    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        index % 2 === 0
          ? queryOnce(database.url, "select $1::int as n", [index])
          : neonQuery("select $1::int as n", [index]),
      ),
    );
    expect(answers.map((rows) => rows[0]?.n)).toEqual(Array.from({ length: 50 }, (_, index) => index));
    expect(Date.now() - started).toBeLessThan(10_000);
    // The abandoned transaction was rolled back, not committed.
    expect(await queryOnce(database.url, "select id from failures_probe order by id")).toEqual([{ id: 1 }]);
    expect(database.db.isInTransaction()).toBe(false);
  });

  it("keeps answering while one client holds a transaction open", async () => {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    await holder.query("begin");
    await holder.query("insert into failures_probe values (10)");
    const waiting = queryOnce(database.url, "select count(*)::int as n from failures_probe");
    await new Promise((resolve) => setTimeout(resolve, 100));
    await holder.query("commit");
    await holder.end();
    expect(await waiting).toEqual([{ n: 2 }]);
  });
});

// A child process holding the database, killed with SIGKILL while it writes.
const WRITER = `
import pg from "pg";
import { startEmbeddedDatabase } from "./scripts/lib/embedded-db.mjs";
const database = await startEmbeddedDatabase({ dataDir: process.argv[1] });
const client = new pg.Client({ connectionString: database.url });
await client.connect();
await client.query("create table if not exists crash_probe (id serial primary key, payload text)");
for (let i = 0; ; i++) {
  await client.query("insert into crash_probe (payload) values ($1)", ["x".repeat(2000)]);
  process.stdout.write("committed\\n");
}
`;

describe("embedded database data folder", () => {
  const dataRoot = mkdtempSync(path.join(tmpdir(), "seqpulse-crash-"));
  const dataDir = path.join(dataRoot, "pglite");
  afterAll(() => rmSync(dataRoot, { recursive: true, force: true }));

  it("keeps committed rows through a SIGKILL mid-write, and reopens healthy", async () => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", WRITER, dataDir], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let committed = 0;
    child.stdout.on("data", (data: Buffer) => {
      committed += data.toString().split("\n").length - 1;
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const deadline = Date.now() + 90_000;
    while (committed < 40 && Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill("SIGKILL");
    await exited;
    expect(committed).toBeGreaterThanOrEqual(40);

    const reopened = await startEmbeddedDatabase({ dataDir });
    try {
      const rows = await queryOnce(reopened.url, "select count(*)::int as n from crash_probe");
      expect(rows[0]?.n).toBeGreaterThanOrEqual(committed);
      await queryOnce(reopened.url, "insert into crash_probe (payload) values ('after')");
    } finally {
      await reopened.stop();
    }
  }, 180_000);
});
