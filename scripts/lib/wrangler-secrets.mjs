import { readFileSync } from "node:fs";
import path from "node:path";
import { rootDir } from "./paths.mjs";

/**
 * The secret names wrangler.toml's `[secrets] required` lists (wrangler warns about each one it
 * finds neither in an env file nor in the environment).
 * @returns {string[]}
 */
export function requiredSecrets() {
  const toml = readFileSync(path.join(rootDir, "wrangler.toml"), "utf8");
  const list = /^required\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? "";
  return [...list.matchAll(/"([A-Z0-9_]+)"/g)].map((match) => String(match[1]));
}
