// Workers static assets answer an unknown path with the nearest `404.html` up the tree
// (`not_found_handling = "404-page"`), so `/fr/nope` should find `/fr/404.html`. Astro only
// names the root 404 page that way and builds `[locale]/404.astro` as `/fr/404/index.html`:
// move those into place after the build.
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AstroIntegration } from "astro";

export function localizedNotFoundPages(localeDirs: readonly string[]): AstroIntegration {
  return {
    name: "seqpulse:localized-not-found-pages",
    hooks: {
      "astro:build:done": async ({ dir, logger }) => {
        const outDir = fileURLToPath(dir);
        for (const locale of localeDirs) {
          const builtDir = join(outDir, locale, "404");
          await rename(join(builtDir, "index.html"), join(outDir, locale, "404.html"));
          await rm(builtDir, { recursive: true });
        }
        logger.info(`moved ${localeDirs.map((locale) => `/${locale}/404.html`).join(", ")}`);
      },
    },
  };
}
