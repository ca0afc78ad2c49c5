/**
 * A CommonJS module loaded with a V8 code cache, for the TypeScript compiler: compiling its 9 MB of JavaScript is
 * about 0.5 s of every run (most of a small spec's), and V8 can skip it with the code it made last time. Node 22 has
 * this built in (module.enableCompileCache); Node 20 has vm.Script's `cachedData`. The cache is kept in the
 * node_modules that holds the module (`.cache/zoomgen/`), next to the code it stands for, so whoever can write it
 * could already change the module itself. Anything wrong with it (missing, stale, corrupt, unwritable) only means
 * compiling as usual.
 */
import { isAscii } from "node:buffer";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import path from "node:path";
import { threadId } from "node:worker_threads";
import vm from "node:vm";

export type CodeCacheUse = "used" | "rejected" | "missing";

export interface CachedModule {
  readonly exports: unknown;
  /** What became of the cache: used, or (rejected or missing) to be written by `save()`. */
  readonly cache: CodeCacheUse;
  /** Writes the code V8 has compiled by now (call after the module has done its work, so that is included); once. */
  save(): void;
}

/**
 * Loads `file` (a CommonJS module) into `require.cache`, so that later `require`s of it get this instance, with
 * the code cache `cacheFile` (see codeCacheFile).
 */
export function requireWithCodeCache(file: string, cacheFile: string): CachedModule {
  const source = readSource(file);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const loaded = new Module(file);
  loaded.filename = file;
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(loaded.exports, loaded.exports, createRequire(file), loaded, file, path.dirname(file));
  loaded.loaded = true;
  createRequire(file).cache[file] = loaded;
  const cache: CodeCacheUse = cachedData === undefined ? "missing" : script.cachedDataRejected ? "rejected" : "used";
  let saved = cache === "used";
  return {
    exports: loaded.exports,
    cache,
    save: () => {
      if (saved) return;
      saved = true;
      writeCacheFile(cacheFile, script.createCachedData());
    },
  };
}

/**
 * The text of `file`, as `readFileSync(file, "utf8")` gives it. All-ASCII text (TypeScript's 9 MB compiler) is
 * decoded as Latin-1, the same characters, in about 40 ms less than Node 20's UTF-8 decoding takes.
 */
export function readSource(file: string): string {
  const bytes = readFileSync(file);
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}

/**
 * Writes a cache file aside and renames it into place, so another run reads the old file or the new one, never a
 * part. An unwritable node_modules is not an error: the next run compiles as this one did.
 */
export function writeCacheFile(file: string, content: string | Uint8Array): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}-${threadId}.tmp`;
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } catch {
    // only costs time next run
  }
}

/**
 * Where the code cache of `file` goes: `<node_modules>/.cache/zoomgen/` of the node_modules holding it (or of
 * `nodeModules`, for a file outside any, such as the generator's own dist/vendor/), named by the file, its size and
 * time (V8 checks only the source's length) and by Node's version and architecture.
 */
export function codeCacheFile(file: string, nodeModules = holdingNodeModules(file)): string | undefined {
  if (nodeModules === undefined) return undefined;
  const { size, mtimeMs } = statSync(file);
  const name = path.relative(nodeModules, file).replace(/^(\.\.[\\/])+/, "").replace(/[\\/]/g, "+");
  return path.join(nodeModules, ".cache", "zoomgen", "code-cache", `${name}-${size}-${Math.trunc(mtimeMs)}-${process.version}-${process.arch}.v8`);
}

export function holdingNodeModules(file: string): string | undefined {
  const marker = `${path.sep}node_modules${path.sep}`;
  const at = file.lastIndexOf(marker);
  return at === -1 ? undefined : file.slice(0, at + marker.length - 1);
}
