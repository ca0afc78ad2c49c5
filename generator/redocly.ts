/**
 * @redocly/openapi-core, as the loader uses it. Importing the package costs about 0.7 s of CPU (about 250 ES
 * modules, each resolved, read and compiled, with no code cache for ES modules on Node 20). When the build made
 * dist/vendor/redocly-openapi-core-<version>.cjs for the installed version (scripts/vendor-redocly.mjs: the same
 * code in one CommonJS file), that file is loaded instead, with a V8 code cache (code-cache.ts): about 0.2 s.
 * Anything else (no bundle, another version, a broken file) imports the package as usual.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type * as Redocly from "@redocly/openapi-core";
import { codeCacheFile, requireWithCodeCache } from "./code-cache.js";
import { PACKAGE_ROOT } from "./package-info.js";

/** What the loader takes from redocly (scripts/vendor-redocly.mjs bundles exactly these). */
export type RedoclyApi = Pick<typeof Redocly, "BaseResolver" | "Source" | "bundle" | "createConfig" | "getLineColLocation" | "lintDocument">;

export interface LoadedRedocly {
  readonly api: RedoclyApi;
  /** Keeps the code V8 compiled for the bundle by now (call after the lint, so its code is included); once. */
  saveCodeCache(): void;
}

/** `root`: the generator's package, whose dist/vendor/ may hold the bundle. */
export async function loadRedocly(root = PACKAGE_ROOT): Promise<LoadedRedocly> {
  const bundled = loadBundled(root);
  if (bundled) return bundled;
  return { api: await import("@redocly/openapi-core"), saveCodeCache: () => {} };
}

function loadBundled(root: string): LoadedRedocly | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve("@redocly/openapi-core");
    const packageDir = path.dirname(path.dirname(entry)); // .../@redocly/openapi-core/lib/index.js
    const { version } = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string };
    const file = path.join(root, "dist", "vendor", `redocly-openapi-core-${version}.cjs`);
    if (!existsSync(file)) return undefined;
    const nodeModules = path.dirname(path.dirname(packageDir));
    const cacheFile = codeCacheFile(file, nodeModules);
    const loaded = cacheFile === undefined ? undefined : requireWithCodeCache(file, cacheFile);
    const api = (loaded?.exports ?? createRequire(import.meta.url)(file)) as RedoclyApi;
    return typeof api.lintDocument === "function" ? { api, saveCodeCache: () => loaded?.save() } : undefined;
  } catch {
    return undefined;
  }
}
