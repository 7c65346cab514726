import { defineConfig } from "vitest/config";

// `npm run dev` itself, started and stopped at awkward moments (scripts/*.slow.test.ts). It
// starts the whole stack several times, so it is a suite of its own (CI runs it; about a minute).
// The dashboard must have been built once (`npm run build:dashboard`).
export default defineConfig({
  test: {
    environment: "node",
    include: ["scripts/**/*.slow.test.ts"],
    testTimeout: 150_000,
  },
});
