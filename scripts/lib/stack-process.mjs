// The local stack in a child process, for benchmarks: the embedded database (PGlite runs in the
// JavaScript thread of the process that hosts it) must not share an event loop with the load
// generator, or each would stall the other and the numbers would measure that.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const CHILD = fileURLToPath(new URL("./stack-child.mjs", import.meta.url));

/**
 * What this module sends to stack-child.mjs.
 * @typedef {{ type: "stats", id: number } | { type: "stop" }} ToChild
 */
/**
 * What stack-child.mjs answers.
 * @typedef {{ type: "ready", url: string, databaseUrl: string }
 *   | { type: "failed", error: string }
 *   | { type: "stats", id: number, stats: { connections: number, roundTrips: number } | null }} FromChild
 */

/**
 * Same options and answer as `startStack` (scripts/lib/stack.mjs), except `log` and `quiet`;
 * `dbStats()` is asynchronous here.
 * @param {{ vars?: Record<string, string>, databaseUrl?: string }} [options]
 */
export async function startStackProcess(options = {}) {
  const child = fork(CHILD, [JSON.stringify(options)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  /** @type {Map<number, (stats: { connections: number, roundTrips: number } | null) => void>} */
  const pending = new Map();
  let nextId = 0;
  /** @type {Promise<{ url: string, databaseUrl: string }>} */
  const started = new Promise((resolve, reject) => {
    child.on("message", (raw) => {
      const message = /** @type {FromChild} */ (raw);
      if (message.type === "ready") resolve(message);
      else if (message.type === "failed") reject(new Error(message.error));
      else pending.get(message.id)?.(message.stats);
    });
    child.once("exit", (code) => reject(new Error(`stack process exited with code ${code}`)));
  });
  const { url, databaseUrl } = await started;
  return {
    url,
    databaseUrl,
    /** @returns {Promise<{ connections: number, roundTrips: number } | null>} */
    dbStats: () =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        child.send(/** @type {ToChild} */ ({ type: "stats", id }));
      }),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.send(/** @type {ToChild} */ ({ type: "stop" }));
      await exited;
    },
  };
}
