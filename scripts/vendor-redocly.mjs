/**
 * Builds dist/vendor/redocly-openapi-core-<version>.cjs: the part of @redocly/openapi-core that generator/load.ts
 * uses (lint, bundle, config, Source, BaseResolver), bundled by esbuild into one CommonJS file. The package is about
 * 250 ES modules: importing it costs about 0.7 s of CPU (resolving, reading and compiling each module, with no code
 * cache for ES modules on Node 20); one CommonJS file loads in about 0.2 s and can use a V8 code cache
 * (generator/redocly.ts). Named by the version it was built from: the generator uses it only for the installed version.
 * Used by bin/zoomgen.mjs (a checkout) and scripts/build.mjs (the published package).
 */
import { mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** What generator/redocly.ts takes from the bundle; keep in step with its RedoclyApi. */
export const REDOCLY_EXPORTS = ["BaseResolver", "Source", "bundle", "createConfig", "getLineColLocation", "lintDocument"];

/** Where the bundle for the installed @redocly/openapi-core goes (as generator/redocly.ts looks for it). */
export function redoclyBundleFile(root) {
  const manifest = path.join(path.dirname(path.dirname(createRequire(path.join(root, "package.json")).resolve("@redocly/openapi-core"))), "package.json");
  const { version } = JSON.parse(readFileSync(manifest, "utf8"));
  return path.join(root, "dist", "vendor", `redocly-openapi-core-${version}.cjs`);
}

/** Writes the bundle aside and renames it into place, so that another process reads all of it or nothing. */
export async function buildRedoclyBundle(root, esbuild) {
  const file = redoclyBundleFile(root);
  const temporary = `${file}.${process.pid}-${Date.now()}.tmp`;
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    await esbuild.build({
      stdin: { contents: `export { ${REDOCLY_EXPORTS.join(", ")} } from "@redocly/openapi-core";`, resolveDir: root, loader: "js" },
      bundle: true,
      outfile: temporary,
      format: "cjs",
      platform: "node",
      target: "node20",
      // Only its plugin loader reads import.meta.url (falling back to __dirname); the generator loads no plugins.
      logLevel: "error",
      legalComments: "inline",
    });
    renameSync(temporary, file);
  } finally {
    rmSync(temporary, { force: true });
  }
  return file;
}
