import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// `@zoomgen/runtime` resolves to its .ts sources here (the "@zoomgen/source" export condition), as in tsconfig.json.
const conditions = ["@zoomgen/source", ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@zoomgen/source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    // Child processes (tsx workers, the CLI) resolve it the same way.
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --conditions=@zoomgen/source`.trim() },
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
