// Astro inlines its island loader (<script> and <style> in every page with an island), so a
// CSP of 'self' alone would break hydration, and 'unsafe-inline' would allow any injected
// script. After the build, this hashes each inline block of every page and adds the hashes to
// the Content-Security-Policy in dist/_headers. Markup that no hash can allow (inline event
// handlers, style attributes) fails the build instead of failing silently in the browser.
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AstroIntegration } from "astro";

export interface InlineHashes {
  scripts: string[];
  styles: string[];
}

function sha256Source(content: string): string {
  return `'sha256-${createHash("sha256").update(content, "utf8").digest("base64")}'`;
}

const inlineScript = /<script\b(?![^>]*\bsrc\s*=)[^>]*>([\s\S]*?)<\/script>/gi;
const inlineStyle = /<style\b[^>]*>([\s\S]*?)<\/style>/gi;
// Both need 'unsafe-hashes' or 'unsafe-inline' to run: refuse them.
const forbiddenAttribute = /<[a-z][^>]*\s(on[a-z]+|style)\s*=/i;

export function collectInlineHashes(html: string): InlineHashes {
  const forbidden = forbiddenAttribute.exec(html);
  if (forbidden) {
    throw new Error(`inline \`${forbidden[1]}\` attribute would be blocked by the CSP`);
  }
  return {
    scripts: [...html.matchAll(inlineScript)].map((match) => sha256Source(match[1] ?? "")),
    styles: [...html.matchAll(inlineStyle)].map((match) => sha256Source(match[1] ?? "")),
  };
}

/** Appends the hashes to script-src and style-src of the first Content-Security-Policy line. */
export function addHashesToHeaders(headers: string, hashes: InlineHashes): string {
  const lines = headers.split("\n");
  const index = lines.findIndex((line) => /^\s+Content-Security-Policy:/i.test(line));
  const line = lines[index];
  if (line === undefined) throw new Error("_headers has no Content-Security-Policy line");
  const withHashes = (policy: string, directive: string, sources: string[]) => {
    const pattern = new RegExp(`(^|;)(\\s*${directive}\\s[^;]*)`);
    if (!pattern.test(policy)) throw new Error(`the CSP has no ${directive} directive`);
    const unique = [...new Set(sources)].sort();
    return unique.length === 0
      ? policy
      : policy.replace(pattern, (_all, start: string, value: string) =>
          [`${start}${value.trimEnd()}`, ...unique].join(" "),
        );
  };
  lines[index] = withHashes(withHashes(line, "script-src", hashes.scripts), "style-src", hashes.styles);
  return lines.join("\n");
}

async function listHtmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => join(entry.parentPath, entry.name));
}

export function cspHashes(): AstroIntegration {
  return {
    name: "seqpulse:csp-hashes",
    hooks: {
      "astro:build:done": async ({ dir, logger }) => {
        const outDir = fileURLToPath(dir);
        const all: InlineHashes = { scripts: [], styles: [] };
        for (const file of await listHtmlFiles(outDir)) {
          let found: InlineHashes;
          try {
            found = collectInlineHashes(await readFile(file, "utf8"));
          } catch (error) {
            throw new Error(`${file}: ${(error as Error).message}`);
          }
          all.scripts.push(...found.scripts);
          all.styles.push(...found.styles);
        }
        const headersFile = join(outDir, "_headers");
        const headers = await readFile(headersFile, "utf8");
        await writeFile(headersFile, addHashesToHeaders(headers, all));
        logger.info(
          `CSP: ${new Set(all.scripts).size} script and ${new Set(all.styles).size} style hashes added to _headers`,
        );
      },
    },
  };
}
