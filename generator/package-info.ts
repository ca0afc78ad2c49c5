/**
 * Where the generator's own files are (templates, runtime), whether it runs from source
 * (tsx) or from the built package (dist/), and its name and version for headers.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && existsSync(path.join(dir, "templates"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("zoomgen: cannot find its own package.json and templates/ folder");
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as Manifest;
export const GENERATOR_NAME: string = manifest.name;
export const GENERATOR_VERSION: string = manifest.version;
export const BUILTIN_TEMPLATES_DIR = path.join(PACKAGE_ROOT, "templates");
export const RUNTIME_DIR = path.join(PACKAGE_ROOT, "runtime");
// In a checkout, runtime/package.json; in the published generator, the copy scripts/build.mjs made (a nested
// package.json with `exports` in a tarball would mislead bundlers).
const runtimeManifestFile = [path.join(RUNTIME_DIR, "package.json"), path.join(PACKAGE_ROOT, "dist", "runtime-package.json")].find((file) => existsSync(file));
if (runtimeManifestFile === undefined) throw new Error("zoomgen: cannot find the runtime's package.json");
/** The runtime's manifest the generator reads (an input of every run: see cache.ts). */
export const RUNTIME_MANIFEST_FILE: string = runtimeManifestFile;
const runtimeManifest = JSON.parse(readFileSync(runtimeManifestFile, "utf8")) as Manifest;
/** The runtime package generated code imports, and the version range a generated package.json asks for. */
export const RUNTIME_PACKAGE_NAME: string = runtimeManifest.name;
export const RUNTIME_PACKAGE_RANGE = `^${runtimeManifest.version}`;
/** What the runtime itself depends on (openapi-fetch): a client with a bundled runtime depends on it instead. */
export const RUNTIME_DEPENDENCIES: Readonly<Record<string, string>> = { ...runtimeManifest.dependencies };
/** The version range of a tool the generator's own package uses (for a generated package.json's build), if it lists it. */
export function toolRange(name: string): string | undefined {
  return manifest.devDependencies?.[name] ?? manifest.dependencies?.[name];
}
