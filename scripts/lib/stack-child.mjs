// Runs `startStack` for scripts/lib/stack-process.mjs and answers its messages.
import { startStack } from "./stack.mjs";

const options = JSON.parse(process.argv[2] ?? "{}");
try {
  const stack = await startStack({ ...options, quiet: true, log: () => {} });
  const stop = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.on("message", (message) => {
    if (message.type === "stats") process.send({ type: "stats", id: message.id, stats: stack.dbStats() });
    if (message.type === "stop") stop();
  });
  // The parent went away (Ctrl-C, a crash): take wrangler and the database down too.
  process.on("disconnect", stop);
  process.send({ type: "ready", url: stack.url, databaseUrl: stack.databaseUrl });
} catch (error) {
  process.send({ type: "failed", error: String(error) });
  process.exit(1);
}
