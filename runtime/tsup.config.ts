/**
 * `npm run build -w @zoomgen/runtime`: ESM (.js + .d.ts) and CommonJS (.cjs + .d.cts) of each entry point.
 * tsup because one esbuild pass per format plus its own declaration bundling gives each format its own
 * .d.ts/.d.cts (what attw checks); tsc alone would need two builds and a renaming step for the CommonJS side.
 * Chunks shared between entries keep one `SdkError` class however many entries a program imports.
 *
 * node-http-fetch and its browser stub are entries of their own that the code imports as `#node-http-fetch`
 * (left as it is, so package.json `imports` picks one per platform: a browser bundle never carries node:http
 * code). The declarations still inline its type: only the JS build leaves the specifier alone.
 */
import type { Plugin } from "esbuild";
import { defineConfig } from "tsup";

const NODE_HTTP_FETCH = "#node-http-fetch";

const keepNodeHttpFetchImport: Plugin = {
  name: "keep-node-http-fetch-import",
  setup(build) {
    build.onResolve({ filter: /^#node-http-fetch$/ }, () => ({ path: NODE_HTTP_FETCH, external: true }));
  },
};

const publicEntries = { index: "index.ts", "zoom/index": "zoom/index.ts", "redis/index": "redis/index.ts" };

export default defineConfig({
  entry: { ...publicEntries, "node-http-fetch": "node-http-fetch.ts", "node-http-fetch.browser": "node-http-fetch.browser.ts" },
  format: ["esm", "cjs"],
  dts: { entry: publicEntries },
  clean: true,
  target: "es2022",
  platform: "neutral",
  splitting: true,
  treeshake: true,
  external: ["openapi-fetch", "redis", "node:crypto"],
  esbuildPlugins: [keepNodeHttpFetchImport],
  tsconfig: "tsconfig.json",
});
