import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Some suites spawn real processes (the CLI, npm pack); two cores is the budget.
    pool: "forks",
  },
});
