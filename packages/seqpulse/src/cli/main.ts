#!/usr/bin/env node
import { runCommand } from "./commands.js";
import { EXIT, parseCommand, UsageError, usage } from "./options.js";

async function main(): Promise<number> {
  const environment = process.env;
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(process.argv.slice(2), environment);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`seqpulse: ${error.message}\n\n${usage.main}\n`);
    return EXIT.usage;
  }
  if (parsed.command === "help") {
    process.stdout.write(`${usage[parsed.topic ?? "main"]}\n`);
    return EXIT.ok;
  }
  return runCommand(parsed, {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    environment,
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `seqpulse: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT.usage;
  },
);
