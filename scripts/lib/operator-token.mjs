// The local operator token: `npm run dev` generates one per data folder (unless OPERATOR_TOKEN is
// in the environment or in .dev.vars), and `npm run admin` finds it the same way. In production
// the token is a Worker secret (`wrangler secret put OPERATOR_TOKEN`) and the operator exports it.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { rootDir } from "./paths.mjs";

/**
 * Where the local token of a data folder lives: beside it, as the encryption keys do.
 * @param {string} dataDir
 */
export function operatorTokenFile(dataDir) {
  return path.join(dataDir, "..", ".pglite-operator-token");
}

/**
 * The data folder's token, generated on first use (a fresh one per run for an in-memory database).
 * @param {string | undefined} dataDir
 */
export function localOperatorToken(dataDir) {
  const fresh = randomBytes(32).toString("base64url");
  if (!dataDir) return fresh;
  const file = operatorTokenFile(dataDir);
  if (!existsSync(file)) writeFileSync(file, `${fresh}\n`, { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/** OPERATOR_TOKEN as the developer's own .dev.vars (or .env) sets it, if it does. */
export function operatorTokenFromDevVars() {
  for (const file of [".dev.vars", ".env", ".env.local"]) {
    const full = path.join(rootDir, file);
    if (!existsSync(full)) continue;
    const token = parseEnv(readFileSync(full, "utf8")).OPERATOR_TOKEN;
    if (token) return token;
  }
  return undefined;
}

/**
 * The token a local command should send: the environment's, else .dev.vars', else the one
 * `npm run dev` generated for the data folder (SEQPULSE_DATA_DIR, default .pglite/).
 * @param {NodeJS.ProcessEnv} env
 */
export function findOperatorToken(env = process.env) {
  if (env.OPERATOR_TOKEN) return env.OPERATOR_TOKEN;
  const fromDevVars = operatorTokenFromDevVars();
  if (fromDevVars) return fromDevVars;
  const file = operatorTokenFile(path.resolve(env.SEQPULSE_DATA_DIR ?? path.join(rootDir, ".pglite")));
  return existsSync(file) ? readFileSync(file, "utf8").trim() : undefined;
}
