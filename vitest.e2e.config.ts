import { defineConfig } from "vitest/config";

// Browser tests against a running stack. Run them through `npm run test:e2e`
// (scripts/test-e2e.mjs), which builds the dashboard, starts the stack and sets E2E_BASE_URL.
export default defineConfig({
  test: {
    environment: "node",
    include: ["e2e/**/*.test.ts"],
    // A cold Chromium start and the first requests to `wrangler dev` can take seconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One browser and one server: files run one after another.
    fileParallelism: false,
  },
});
