// Serves one PGlite database to many clients over the Postgres wire protocol.
//
// PGlite is a single Postgres session; every client shares it. The server therefore gives the
// session to one client at a time and hands it on only when the session is clean: no extended-
// protocol batch open (Parse/Bind/... until Sync), no transaction open. Whatever a client does
// (an error, a malformed message, a disconnect in the middle of a batch or a transaction), the
// next client must find the session idle. This replaces @electric-sql/pglite-socket's server,
// whose multiplexer interleaved batches, left the queue stuck after an error, and passed
// malformed messages to PGlite, where the backend's FATAL exit makes PGlite loop forever in the
// JavaScript thread (100 % CPU, signals never handled, every later query waiting).
import net from "node:net";

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

const SYNC = 0x53; // S
const QUERY = 0x51; // Q
const TERMINATE = 0x58; // X
// Frontend messages PGlite can answer in one call: Parse, Bind, Describe, Execute, Close, Flush,
// Sync, Query. Anything else (COPY data, function calls, unknown types) is refused here: Postgres
// would either wait for more input that never comes or end the backend, which PGlite cannot
// survive.
const SUPPORTED = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48, SYNC, QUERY]);
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
const SYNC_MESSAGE = Uint8Array.from([SYNC, 0, 0, 0, 4]);
const ROLLBACK_MESSAGE = queryMessage("ROLLBACK");

/** @param {string} sql */
function queryMessage(sql) {
  const text = Buffer.from(`${sql}\0`);
  const message = Buffer.alloc(5 + text.length);
  message[0] = QUERY;
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}

/**
 * An ErrorResponse, as Postgres would send it.
 * @param {string} severity
 * @param {string} code
 * @param {string} text
 */
export function errorResponse(severity, code, text) {
  const fields = Buffer.from(`S${severity}\0V${severity}\0C${code}\0M${text}\0\0`);
  const message = Buffer.alloc(5 + fields.length);
  message[0] = 0x45; // E
  message.writeInt32BE(4 + fields.length, 1);
  fields.copy(message, 5);
  return message;
}

/**
 * `idleOwnerTimeoutMs`: a client holding the session (open transaction or batch) and silent this
 * long is disconnected, as Postgres's idle_in_transaction_session_timeout would.
 * @param {{
 *   db: import("@electric-sql/pglite").PGlite,
 *   host?: string,
 *   port?: number,
 *   idleOwnerTimeoutMs?: number,
 * }} options
 * @returns {Promise<{ port: number, stats: () => object, stop: () => Promise<void> }>}
 */
export async function startPGliteServer({ db, host = "127.0.0.1", port = 0, idleOwnerTimeoutMs = 30_000 }) {
  /** @type {Set<Client>} */
  const clients = new Set();
  /** Clients with messages waiting, in arrival order. */
  /** @type {Client[]} */
  const waiting = [];
  /** The client whose batch or transaction is open on the session, if any. */
  /** @type {Client | null} */
  let owner = null;
  /** @type {NodeJS.Timeout | undefined} */
  let ownerTimer;
  let running = false;
  let stopped = false;
  let nextId = 1;
  const totals = { connections: 0, refused: 0, recoveries: 0 };

  /**
   * @typedef {{
   *   id: number, socket: net.Socket, buffer: Buffer, started: boolean, closed: boolean,
   *   messages: Buffer[],
   * }} Client
   */

  /**
   * @param {Client} client
   * @param {Uint8Array} data
   */
  function write(client, data) {
    if (!client.closed && client.socket.writable && data.length > 0) client.socket.write(data);
  }

  /**
   * Ends a client's connection; the session is made clean again if it held it.
   * @param {Client} client
   * @param {Uint8Array} [finalMessage]
   */
  function closeClient(client, finalMessage) {
    if (client.closed) return;
    if (finalMessage) write(client, finalMessage);
    client.closed = true;
    client.messages.length = 0;
    clients.delete(client);
    const index = waiting.indexOf(client);
    if (index !== -1) waiting.splice(index, 1);
    client.socket.end();
    client.socket.destroySoon?.();
    setTimeout(() => client.socket.destroy(), 1000).unref();
    schedule();
  }

  /**
   * @param {Client} client
   * @param {string} text
   */
  function refuse(client, text) {
    totals.refused += 1;
    closeClient(client, errorResponse("FATAL", "08P01", text));
  }

  /**
   * Splits the client's bytes into messages and queues the ones for the database.
   * @param {Client} client
   * @param {Buffer} chunk
   */
  function receive(client, chunk) {
    client.buffer = client.buffer.length ? Buffer.concat([client.buffer, chunk]) : chunk;
    let queued = false;
    while (!client.closed) {
      const buffer = client.buffer;
      if (!client.started) {
        if (buffer.length < 8) break;
        const length = buffer.readInt32BE(0);
        const code = buffer.readInt32BE(4);
        if (length < 8 || length > 10_000) return refuse(client, "invalid startup packet length");
        if (buffer.length < length) break;
        client.buffer = buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          write(client, Buffer.from("N"));
        } else if (code === CANCEL_REQUEST) {
          // PGlite runs one statement at a time to completion: nothing to cancel. Postgres
          // closes a cancel connection without an answer.
          closeClient(client);
          return;
        } else if (code === PROTOCOL_3) {
          client.started = true;
          client.messages.push(buffer.subarray(0, length));
          queued = true;
        } else {
          return refuse(client, `unsupported frontend protocol ${code >> 16}.${code & 0xffff}`);
        }
        continue;
      }
      if (buffer.length < 5) break;
      const type = buffer.readUInt8(0);
      const length = buffer.readInt32BE(1);
      if (length < 4 || length > MAX_MESSAGE_BYTES) return refuse(client, "invalid message length");
      if (buffer.length < length + 1) break;
      const message = buffer.subarray(0, length + 1);
      client.buffer = buffer.subarray(length + 1);
      if (type === TERMINATE) {
        closeClient(client);
        return;
      }
      if (!SUPPORTED.has(type)) {
        return refuse(
          client,
          `frontend message type ${JSON.stringify(String.fromCharCode(type))} is not supported by the embedded database`,
        );
      }
      client.messages.push(message);
      queued = true;
    }
    if (queued && !waiting.includes(client)) waiting.push(client);
    schedule();
  }

  function schedule() {
    if (!running && !stopped) void drain();
  }

  /** @param {Client | null} client */
  function setOwner(client) {
    clearTimeout(ownerTimer);
    owner = client;
    if (client && idleOwnerTimeoutMs > 0) {
      ownerTimer = setTimeout(() => {
        if (owner === client && client.messages.length === 0) {
          refuse(client, "terminating connection: idle while holding the embedded database's only session");
        }
      }, idleOwnerTimeoutMs);
      ownerTimer.unref();
    }
  }

  /**
   * Runs bytes on the session; the answer goes to `onData`. Never throws: `true`, or what was thrown.
   * @param {Uint8Array} message
   * @param {(data: Uint8Array) => void} onData
   * @returns {Promise<unknown>}
   */
  async function execute(message, onData) {
    try {
      await db.runExclusive(() => db.execProtocolRawStream(message, { onRawData: onData }));
      return true;
    } catch (error) {
      return error;
    }
  }

  /** Ends a departed owner's batch (Sync) and transaction (ROLLBACK); their answers go nowhere. */
  async function recoverSession() {
    totals.recoveries += 1;
    const discard = () => {};
    await execute(SYNC_MESSAGE, discard);
    if (db.isInTransaction()) await execute(ROLLBACK_MESSAGE, discard);
    setOwner(null);
  }

  async function drain() {
    running = true;
    try {
      while (!stopped) {
        if (owner?.closed) await recoverSession();
        const client = owner ?? waiting.find((entry) => entry.messages.length > 0);
        const index = client ? waiting.indexOf(client) : -1;
        if (!client || index === -1 || client.messages.length === 0) break;
        waiting.splice(index, 1);
        // A startup packet runs alone (PGlite ignores what follows it in the same call); other
        // messages run together: everything the client has sent so far costs one turn.
        const isStartup = /** @type {Buffer} */ (client.messages[0])[0] === 0;
        const messages = isStartup ? client.messages.splice(0, 1) : client.messages.splice(0);
        if (client.messages.length > 0) waiting.unshift(client);
        const last = /** @type {Buffer} */ (messages[messages.length - 1]);
        const outcome = await execute(messages.length === 1 ? last : Buffer.concat(messages), (data) =>
          write(client, data),
        );
        if (outcome !== true) {
          // PGlite itself failed (an SQL error comes back as an ErrorResponse instead).
          refuse(client, `embedded database error: ${outcome instanceof Error ? outcome.message : outcome}`);
          continue;
        }
        // The client keeps the session while its batch or its transaction is open.
        const holds = (!isStartup && last[0] !== SYNC && last[0] !== QUERY) || db.isInTransaction();
        if (holds && client.closed)
          owner = client; // it left meanwhile: recovered above, next turn
        else if (holds) setOwner(client);
        else if (owner === client) setOwner(null);
      }
    } finally {
      running = false;
    }
  }

  const server = net.createServer((socket) => {
    if (stopped) {
      socket.destroy();
      return;
    }
    totals.connections += 1;
    socket.setNoDelay(true);
    /** @type {Client} */
    const client = {
      id: nextId++,
      socket,
      buffer: Buffer.alloc(0),
      started: false,
      closed: false,
      messages: [],
    };
    clients.add(client);
    socket.on("data", (chunk) => receive(client, chunk));
    socket.on("error", () => closeClient(client));
    socket.on("close", () => closeClient(client));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(undefined));
  });
  const address = /** @type {net.AddressInfo} */ (server.address());
  return {
    port: address.port,
    stats: () => ({ ...totals, clients: clients.size, waiting: waiting.length, owned: owner !== null }),
    async stop() {
      stopped = true;
      clearTimeout(ownerTimer);
      for (const client of clients) client.socket.destroy();
      clients.clear();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
      // Let a statement that is running finish before the database is closed.
      await db.runExclusive(async () => {});
    },
  };
}
