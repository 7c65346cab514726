import { defineConfig } from "vitest/config";

// Tests of the local-development scripts (the embedded database chain, `npm run dev`), of the
// `seqpulse` package (packages/seqpulse) and of the CI integrations (integrations/: validated,
// their shell run): plain Node. `*.slow.test.ts` start the whole stack and run under
// vitest.dev-stack.config.ts.
export default defineConfig({
  test: {
    environment: "node",
    include: ["scripts/**/*.test.ts", "packages/**/*.test.ts", "integrations/**/*.test.ts"],
    exclude: ["scripts/**/*.slow.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
