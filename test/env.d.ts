// Bindings that only the test configuration adds (vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    TEST_DATABASE_KIND?: "pglite" | "postgres";
    TEST_BLACKHOLE_PORT?: string;
  }
}
