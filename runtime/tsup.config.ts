/**
 * `npm run build -w @zoomgen/runtime`: ESM (.js + .d.ts) and CommonJS (.cjs + .d.cts) of each entry point.
 * tsup because one esbuild pass per format plus its own declaration bundling gives each format its own
 * .d.ts/.d.cts (what attw checks); tsc alone would need two builds and a renaming step for the CommonJS side.
 * Chunks shared between entries keep one `SdkError` class however many entries a program imports.
 */
import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "index.ts", "zoom/index": "zoom/index.ts", "redis/index": "redis/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
  splitting: true,
  treeshake: true,
  external: ["openapi-fetch", "redis", "node:crypto"],
  tsconfig: "tsconfig.json",
});
