#!/usr/bin/env node
// Regenerates worker/features/auth/common-passwords.json from zxcvbn-ts's list of common
// passwords (MIT): only entries of 10+ characters, since shorter passwords are refused anyway.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { rootDir } from "./lib/paths.mjs";

const MIN_LENGTH = 10;
const source = path.join(rootDir, "node_modules/@zxcvbn-ts/language-common/src/passwords.json");
/** @type {string[]} */
const passwords = JSON.parse(readFileSync(source, "utf8"));
const kept = [...new Set(passwords.filter((p) => p.length >= MIN_LENGTH).map((p) => p.toLowerCase()))].sort();
writeFileSync(path.join(rootDir, "worker/features/auth/common-passwords.json"), `${JSON.stringify(kept)}\n`);
console.log(`kept ${kept.length} of ${passwords.length} passwords`);
