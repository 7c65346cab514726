import { defineConfig } from "vitest/config";

// Unit tests of the dashboard's pure logic (islands' state, i18n, build helpers): plain Node,
// no browser and no Workers runtime, so they run in a second.
export default defineConfig({
  test: {
    environment: "node",
    include: ["dashboard/**/*.test.ts"],
  },
});
