/** A file's text, as Vite's `?raw` import gives it (tests reading the docs they check). */
declare module "*.md?raw" {
  const text: string;
  export default text;
}

// Bindings that only the test configuration adds (vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    TEST_DATABASE_KIND?: "pglite" | "postgres";
    TEST_BLACKHOLE_PORT?: string;
    TEST_METRICS_APP_URL?: string;
    /** Empty when Debian's oathtool is not installed (test/global-setup.ts). */
    TEST_OATHTOOL_URL?: string;
    /** The route fuzzer's seed (worker/routes.fuzz.test.ts); empty for its default. */
    FUZZ_SEED?: string;
    /** How many corpus cases worker/features/deployments/corpus-replay.test.ts replays; empty for its default. */
    CORPUS_REPLAY_CASES?: string;
  }
}
