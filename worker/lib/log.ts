import { DrizzleQueryError } from "drizzle-orm";

/**
 * One JSON object per line, so Workers Logs can index the fields. Never pass secrets, tokens,
 * passwords or full connection strings in `fields`.
 */
type Level = "debug" | "info" | "warn" | "error";

export function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, message, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

export function describeError(error: unknown): { error: string; stack?: string } {
  if (error instanceof DrizzleQueryError) {
    // drizzle puts every bound parameter in the message (and so in the stack): password hashes,
    // token hashes, ciphertexts, emails. Keep the statement and the database's own error instead.
    const cause = error.cause as { message?: unknown; code?: unknown } | undefined;
    const reason = [cause?.code, cause?.message].filter((part) => typeof part === "string").join(" ");
    const safe = `Failed query: ${error.query}${reason ? ` (${reason})` : ""}`;
    return { error: `${error.name}: ${safe}`, stack: error.stack?.replace(error.message, safe) };
  }
  if (error instanceof Error) return { error: `${error.name}: ${error.message}`, stack: error.stack };
  return { error: String(error) };
}
