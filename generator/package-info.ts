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
const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { name: string; version: string };
export const GENERATOR_NAME: string = manifest.name;
export const GENERATOR_VERSION: string = manifest.version;
export const BUILTIN_TEMPLATES_DIR = path.join(PACKAGE_ROOT, "templates");
export const RUNTIME_DIR = path.join(PACKAGE_ROOT, "runtime");
