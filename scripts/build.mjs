#!/usr/bin/env node
/**
 * `npm run build` (and `prepack`): compiles generator/ into dist/ with
 * tsconfig.build.json, then makes the `zoomgen` bin executable and checks that every file
 * package.json points at (main, types, exports, bin) was produced.
 * Exit codes: 0 built, 1 failed (the reason is printed; dist/ is then removed, so a broken
 * build can never be packed).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
const config = "tsconfig.build.json";
const started = performance.now();

function fail(message) {
  rmSync(dist, { recursive: true, force: true });
  console.error(`build: ${message}`);
  process.exit(1);
}

const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));

// 1. Inputs.
if (!existsSync(path.join(root, config))) fail(`${config} is missing.`);
let tsc;
try {
  tsc = createRequire(path.join(root, "package.json")).resolve("typescript/bin/tsc");
} catch {
  fail("TypeScript is not installed: run `npm ci` (or `npm install`) first.");
}

// 2. Clean, 3. compile.
rmSync(dist, { recursive: true, force: true });
const result = spawnSync(process.execPath, [tsc, "-p", config], { cwd: root, stdio: "inherit" });
if (result.error) fail(`could not run ${tsc}: ${result.error.message}`);
if (result.status !== 0) {
  fail(`tsc -p ${config} failed (${result.status !== null ? `exit code ${result.status}` : `signal ${result.signal}`}); the errors are above. dist/ was removed.`);
}

// 4. What the generator needs to know of the runtime package (name, version, dependencies) when runtime/ holds
// only sources: the published tarball leaves runtime/package.json out (generator/package-info.ts).
const runtimeManifest = JSON.parse(readFileSync(path.join(root, "runtime", "package.json"), "utf8"));
const { name, version, dependencies } = runtimeManifest;
writeFileSync(path.join(dist, "runtime-package.json"), `${JSON.stringify({ name, version, dependencies }, null, 2)}\n`);

// 4a. dist/generator/no-op.js: the fast path in one file, which bin/zoomgen.mjs loads first (bin/no-op-bundle.mjs).
try {
  const { noOpBundle } = await import("../bin/no-op-bundle.mjs");
  await (await import("esbuild")).build(noOpBundle(path.join(root, "generator"), path.join(dist, "generator")));
} catch (error) {
  fail(`could not bundle generator/fast-path.ts into dist/generator/no-op.js: ${error.message}`);
}

// 4b. @redocly/openapi-core in one CommonJS file (generator/redocly.ts loads it for the installed version instead of
// the package's 250 ES modules: about 0.5 s less per run).
try {
  const { buildRedoclyBundle } = await import("./vendor-redocly.mjs");
  await buildRedoclyBundle(root, await import("esbuild"));
} catch (error) {
  fail(`could not bundle @redocly/openapi-core into dist/vendor/: ${error.message}`);
}

// 4c. The built-in templates, precompiled (generator/template-cache.ts): a first run need not compile them.
try {
  const { precompileBuiltInTemplates } = await import("../bin/precompile-templates.mjs");
  await precompileBuiltInTemplates(root);
} catch (error) {
  fail(`could not precompile templates/ into dist/generator/templates/: ${error.message}`);
}

// 5. The bin: a `#!/usr/bin/env node` line (tsc keeps it from generator/cli.ts) and the executable bit.
const bins = typeof pkg.bin === "string" ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {});
for (const [name, file] of Object.entries(bins)) {
  const target = path.join(root, file);
  if (!existsSync(target)) fail(`bin "${name}" points at ${file}, which the build did not produce.`);
  const firstLine = readFileSync(target, "utf8").split("\n", 1)[0];
  if (firstLine !== "#!/usr/bin/env node") fail(`bin "${name}" (${file}) must start with "#!/usr/bin/env node", found ${JSON.stringify(firstLine)}.`);
  chmodSync(target, 0o755);
}

// 6. Every file package.json points at exists.
const targets = new Set();
const collect = (value) => {
  if (typeof value === "string") targets.add(value);
  else if (value && typeof value === "object") for (const v of Object.values(value)) collect(v);
};
collect(pkg.main);
collect(pkg.types);
collect(pkg.exports);
const missing = [...targets].filter((t) => !t.includes("*") && !existsSync(path.join(root, t)));
if (missing.length > 0) fail(`package.json points at files the build did not produce: ${missing.join(", ")}.`);

const count = readdirSync(dist, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
console.log(`build: dist/ ready, ${count} files in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
