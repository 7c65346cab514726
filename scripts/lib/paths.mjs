import { fileURLToPath } from "node:url";

export const rootDir = fileURLToPath(new URL("../..", import.meta.url));
export const migrationsDir = fileURLToPath(new URL("../../drizzle", import.meta.url));
export const cacheDir = fileURLToPath(new URL("../../node_modules/.cache/seqpulse", import.meta.url));
