// Runs `startStack` for scripts/lib/stack-process.mjs and answers its messages.
import { startStack } from "./stack.mjs";

const options = JSON.parse(process.argv[2] ?? "{}");
// A Ctrl-C reaches this process too (same terminal group): without handlers it would die at
// once and leave wrangler, in its own group, serving the port. Installed before the start.
const aborted = new AbortController();
/** @type {Awaited<ReturnType<typeof startStack>> | null} */
let stack = null;
/** @type {Promise<void> | null} */
let stopping = null;
const stop = () => {
  aborted.abort();
  stopping ??= (async () => {
    await stack?.stop();
    process.exit(0);
  })();
  return stopping;
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, stop);
try {
  const started = await startStack({ ...options, quiet: true, log: () => {}, signal: aborted.signal });
  stack = started;
  /** @param {import("./stack-process.mjs").FromChild} message */
  const answer = (message) => process.send?.(message);
  process.on("message", (raw) => {
    const message = /** @type {import("./stack-process.mjs").ToChild} */ (raw);
    if (message.type === "stats") answer({ type: "stats", id: message.id, stats: started.dbStats() });
    if (message.type === "stop") stop();
  });
  // The parent went away (Ctrl-C, a crash): take wrangler and the database down too.
  process.on("disconnect", stop);
  answer({ type: "ready", url: started.url, databaseUrl: started.databaseUrl });
} catch (error) {
  if (aborted.signal.aborted) await stop();
  process.send?.(
    /** @type {import("./stack-process.mjs").FromChild} */ ({ type: "failed", error: String(error) }),
  );
  process.exit(1);
}
