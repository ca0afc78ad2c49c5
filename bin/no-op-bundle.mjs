/**
 * The esbuild options of dist/generator/no-op.js: generator/fast-path.ts and the few modules it imports in one ES
 * module, which bin/zoomgen.mjs loads first on every run (one file loads faster than four). Built by bin/zoomgen.mjs in
 * a checkout and by scripts/build.mjs for the package. It stays in dist/generator/, where its import.meta.url finds
 * the package root and the generator's own files as the unbundled modules do.
 */
import path from "node:path";

export function noOpBundle(sourceDir, outdir) {
  return {
    entryPoints: { "no-op": path.join(sourceDir, "fast-path.ts") },
    outdir,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    logLevel: "error",
  };
}
