// Runs `startStack` for scripts/lib/stack-process.mjs and answers its messages.
import { startStack } from "./stack.mjs";

const options = JSON.parse(process.argv[2] ?? "{}");
// A Ctrl-C reaches this process too (same terminal group): without handlers it would die at
// once and leave wrangler, in its own group, serving the port. Installed before the start.
const aborted = new AbortController();
let stack = null;
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
  stack = await startStack({ ...options, quiet: true, log: () => {}, signal: aborted.signal });
  process.on("message", (message) => {
    if (message.type === "stats") process.send({ type: "stats", id: message.id, stats: stack.dbStats() });
    if (message.type === "stop") stop();
  });
  // The parent went away (Ctrl-C, a crash): take wrangler and the database down too.
  process.on("disconnect", stop);
  process.send({ type: "ready", url: stack.url, databaseUrl: stack.databaseUrl });
} catch (error) {
  if (aborted.signal.aborted) await stop();
  process.send?.({ type: "failed", error: String(error) });
  process.exit(1);
}
