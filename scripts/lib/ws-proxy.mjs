// A Neon-compatible WebSocket-to-TCP proxy for local Postgres (PGlite or a real server).
// The Neon driver opens `ws://<proxy>/v2?address=<host>:<port>` and speaks the Postgres wire
// protocol inside WebSocket frames; this forwards the bytes both ways.
import net from "node:net";
import { WebSocketServer } from "ws";

// Frontend Terminate message: 'X' + int32 length 4.
const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);

/**
 * @param {{ host?: string, port?: number, target?: { host: string, port: number } }} [options]
 * @returns {Promise<{ port: number, stats: () => { connections: number, roundTrips: number }, close: () => Promise<void> }>}
 */
export async function startWsProxy({ host = "127.0.0.1", port = 0, target } = {}) {
  const server = new WebSocketServer({ host, port, perMessageDeflate: false });
  // For benchmarks: connections opened, and round trips (Sync and simple Query messages sent by
  // clients, one per statement the server answers).
  const totals = { connections: 0, roundTrips: 0 };
  server.on("connection", (ws, request) => {
    totals.connections += 1;
    const countRoundTrips = frontendMessageCounter((type) => {
      if (type === SYNC || type === QUERY) totals.roundTrips += 1;
    });
    let destination = target;
    if (!destination) {
      const address = new URL(request.url ?? "/", "http://proxy").searchParams.get("address") ?? "";
      const separator = address.lastIndexOf(":");
      const targetHost = separator > 0 ? address.slice(0, separator) : address;
      // Only loopback: this proxy must never become a way into other networks.
      if (!LOOPBACK_HOSTS.has(targetHost)) {
        ws.close(1008, "forbidden target");
        return;
      }
      destination = {
        host: targetHost === "localhost" ? "127.0.0.1" : targetHost,
        port: Number(address.slice(separator + 1)) || 5432,
      };
    }
    const socket = net.connect(destination.port, destination.host);
    socket.setNoDelay(true);
    /** @type {Buffer[]} */
    const pending = [];
    let connected = false;
    socket.on("connect", () => {
      connected = true;
      for (const chunk of pending) socket.write(chunk);
      pending.length = 0;
    });
    ws.on("message", (data) => {
      const chunk = Buffer.isBuffer(data)
        ? data
        : Array.isArray(data)
          ? Buffer.concat(data)
          : Buffer.from(data);
      countRoundTrips(chunk);
      if (connected) socket.write(chunk);
      else pending.push(chunk);
      // The Neon driver never closes its WebSocket: without this, a server that does not
      // close on Terminate (pglite-socket did not) would leak a connection per request.
      if (chunk.length >= 5 && chunk.subarray(-5).equals(TERMINATE)) {
        socket.end();
        ws.close();
      }
    });
    socket.on("data", (chunk) => {
      if (ws.readyState === ws.OPEN) ws.send(chunk);
    });
    const end = () => {
      socket.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    };
    ws.on("close", end);
    ws.on("error", end);
    socket.on("close", end);
    socket.on("error", end);
  });
  await new Promise((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : port,
    stats: () => ({ ...totals }),
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

/**
 * Splits a client's byte stream into Postgres frontend messages and calls `onMessage` with each
 * type byte. The first message (startup or SSL request) has no type byte and is skipped.
 * @param {(type: number) => void} onMessage
 * @returns {(chunk: Buffer) => void}
 */
function frontendMessageCounter(onMessage) {
  /** @type {Buffer} */
  let buffered = Buffer.alloc(0);
  let started = false;
  return (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    for (;;) {
      const header = started ? 5 : 4;
      if (buffered.length < header) return;
      const length = started ? buffered.readInt32BE(1) + 1 : buffered.readInt32BE(0);
      if (buffered.length < length) return;
      if (started) onMessage(buffered.readUInt8(0));
      else if (buffered.readInt32BE(4) !== 80877103) started = true; // not an SSLRequest
      buffered = buffered.subarray(length);
    }
  };
}
