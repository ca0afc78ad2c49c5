#!/usr/bin/env node
/**
 * The `zoomgen` command. Runs the compiled generator from dist/generator/ so a call pays for no
 * TypeScript loader: a no-op regeneration (cache hit) is one short node process. In a checkout,
 * where generator/*.ts is the source, dist/generator/ is compiled on demand with esbuild (about
 * 0.1 s) when it is missing or older than a source file; an installed package ships it built. Two zoomgen
 * processes may build at once: each builds into a folder of its own and renames file by file into place, so a
 * process never imports a half-written file. With them it bundles @redocly/openapi-core into dist/vendor/ (about 1 s,
 * once: see scripts/vendor-redocly.mjs), which loads in a third of the time the package's own modules take.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { noOpBundle } from "./no-op-bundle.mjs";
import { precompileBuiltInTemplates } from "./precompile-templates.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sourceDir = path.join(root, "generator");
const outDir = path.join(root, "dist", "generator");
const entry = path.join(outDir, "cli.js");

if (existsSync(sourceDir)) {
  const stale = isStale();
  if (stale) await build();
  // Checked on every run only as one stat (dist/vendor/ exists); the installed redocly's version, after a rebuild.
  if (stale || !existsSync(path.join(root, "dist", "vendor"))) await vendorRedocly();
}
// An unchanged spec is answered by one small module before the CLI and its imports load: generator/fast-path.ts and
// what it imports, bundled into dist/generator/no-op.js (one file loads faster than four), or as compiled.
const noOp = path.join(outDir, "no-op.js");
const { fastPath } = await import(pathToFileURL(existsSync(noOp) ? noOp : path.join(outDir, "fast-path.js")).href);
const done = fastPath(process.argv.slice(2));
if (done === undefined) await import(pathToFileURL(entry).href);
else process.exitCode = done;

/** True when a generator source is newer than its compiled file (or that file is missing). */
function isStale() {
  for (const name of sources()) {
    const compiled = statSync(path.join(outDir, name.replace(/\.ts$/, ".js")), { throwIfNoEntry: false });
    if (compiled === undefined || compiled.mtimeMs < statSync(path.join(sourceDir, name)).mtimeMs) return true;
  }
  return false;
}

/** Every generator source, relative to generator/, subfolders (changes/) included. */
function sources(folder = "") {
  return readdirSync(path.join(sourceDir, folder), { withFileTypes: true }).flatMap((entry) => {
    const name = folder === "" ? entry.name : `${folder}/${entry.name}`;
    if (entry.isDirectory()) return sources(name);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [name] : [];
  });
}

/** The bundle of redocly for the installed version, unless there is one; a failure only leaves the slower import. */
async function vendorRedocly() {
  const script = path.join(root, "scripts", "vendor-redocly.mjs");
  if (!existsSync(script)) return;
  try {
    const { buildRedoclyBundle, redoclyBundleFile } = await import(pathToFileURL(script).href);
    if (!existsSync(redoclyBundleFile(root))) await buildRedoclyBundle(root, await import("esbuild"));
  } catch {
    // generator/redocly.ts imports the package itself.
  }
}

async function build() {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    console.error("zoomgen: dist/generator/ is missing or stale and esbuild is not installed to build it: run `npm ci`, then `npm run build`.");
    process.exit(1);
  }
  const names = sources();
  const buildDir = path.join(root, "dist", `.generator-${process.pid}-${Date.now()}`);
  try {
    // Type-stripping only, file for file (imports already name ./x.js); `npm test` runs tsc for the types.
    await esbuild.build({ entryPoints: names.map((name) => path.join(sourceDir, name)), outdir: buildDir, outbase: sourceDir, format: "esm", platform: "node", target: "node20", logLevel: "error" });
    await esbuild.build(noOpBundle(sourceDir, buildDir));
    // A rename replaces a file atomically: another process reads the old file or the new one, never a part.
    for (const name of [...names, "no-op.ts"]) {
      const compiled = name.replace(/\.ts$/, ".js");
      mkdirSync(path.dirname(path.join(outDir, compiled)), { recursive: true });
      renameSync(path.join(buildDir, compiled), path.join(outDir, compiled));
    }
    // The built-in templates precompiled beside it; a failure only means compiling them when they are used.
    await precompileBuiltInTemplates(root).catch(() => undefined);
  } catch (error) {
    console.error(`zoomgen: could not compile generator/ into dist/generator/: ${error.message}`);
    process.exitCode = 1;
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
  }
  if (process.exitCode === 1) process.exit();
}
