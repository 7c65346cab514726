import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { requiredSecrets } from "./scripts/lib/wrangler-secrets.mjs";

// wrangler checks `[secrets] required` (wrangler.toml) against .dev.vars, .env and the
// environment, not against the bindings below, and warned about each of them on every run. An
// empty value in the environment satisfies the check; the bindings below still win.
for (const name of requiredSecrets()) {
  process.env[name] ??= "";
}

/** Worker test files that never reach the database. */
const DATABASE_FREE_TESTS = [
  "worker/features/analysis/**",
  "worker/features/deployments/corpus-replay.test.ts",
  "worker/features/collection/collection.test.ts",
  "worker/features/email/templates/**",
  "worker/features/oauth/providers.test.ts",
  "worker/features/two-factor/two-factor.test.ts",
  "worker/features/verdict-review/verdict-review.test.ts",
  "worker/durable-objects/rate-limiter.test.ts",
  "worker/middleware/rate-limit.test.ts",
  "worker/lib/{account-limits,crypto,hashed-assets,id-secret-token,log,rate-limits,secret-box}.test.ts",
];

// Worker tests run inside workerd, against the database chain started by the global setup.
export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      main: "./worker/index.ts",
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          DATABASE_URL: inject("databaseUrl"),
          WS_PROXY: inject("wsProxy"),
          ENCRYPTION_KEYS: inject("encryptionKeys"),
          TEST_DATABASE_KIND: inject("databaseKind"),
          TEST_BLACKHOLE_PORT: String(inject("blackholePort")),
          TEST_OATHTOOL_URL: inject("oathtoolUrl"),
          TEST_METRICS_APP_URL: inject("metricsAppUrl"),
          // The stand-in application listens on loopback.
          ALLOW_PRIVATE_METRICS_URLS: "true",
          // Shows /health/scheduler's job counts to callers sending it as Bearer.
          OPERATOR_TOKEN: "test-operator-token",
          // Prometheus's credentials for GET /metrics.
          METRICS_TOKEN: "test-metrics-token",
          // worker/routes.fuzz.test.ts: replays a run (its default seed when empty).
          FUZZ_SEED: process.env.FUZZ_SEED ?? "",
          // worker/features/deployments/corpus-replay.test.ts: how many corpus cases (its default when empty).
          CORPUS_REPLAY_CASES: process.env.CORPUS_REPLAY_CASES ?? "",
          // GitHub and Google are played by a local OAuth2 server (test/oauth-providers.ts).
          OAUTH_PROVIDER_BASE_URL_OVERRIDE: inject("oauthProviders").url,
          GITHUB_CLIENT_ID: inject("oauthProviders").github.clientId,
          GITHUB_CLIENT_SECRET: inject("oauthProviders").github.clientSecret,
          GOOGLE_CLIENT_ID: inject("oauthProviders").google.clientId,
          GOOGLE_CLIENT_SECRET: inject("oauthProviders").google.clientSecret,
          // Mail goes to a local stand-in speaking Resend's API (scripts/lib/mail-standin.mjs).
          EMAIL_PROVIDER: "resend",
          EMAIL_API_BASE_URL_OVERRIDE: inject("mailStandin").url,
          EMAIL_API_KEY: inject("mailStandin").apiKey,
          PUBLIC_BASE_URL: "http://seqpulse.test",
        },
      },
    })),
  ],
  test: {
    globalSetup: ["./test/global-setup.ts"],
    // Files share one database, and a fired Cron Trigger sweeps every due job: files running at
    // once would collect each other's samples at the wrong times. One file at a time.
    fileParallelism: false,
    include: ["worker/**/*.test.ts", "db/**/*.test.ts"],
    // On a real PostgreSQL (`npm run test:pg`), only the files that reach the database: the pure
    // ones (judges, corpus, crypto...) gave their answer on the embedded run already, and the
    // corpus replay proves the path, which the embedded run does as well.
    exclude: process.env.TEST_DATABASE_URL ? DATABASE_FREE_TESTS : [],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
