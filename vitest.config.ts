import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    // The JSON report lets .ci/run print a plain "N passed, N failed" line that any CI log reader understands.
    reporters: ["default", "json"],
    outputFile: { json: ".tmp/vitest-report.json" },
    hookTimeout: 60_000,
    // Some suites spawn real processes (the CLI, npm pack) and mostly wait on them; vitest's default
    // on 2 cores is one worker, which runs every file in turn. Three keeps both cores busy.
    pool: "forks",
    maxWorkers: 3,
  },
});
