/**
 * The fast path: regenerating from an unchanged spec should cost almost nothing. After a
 * run, the hash of every input (spec files, templates, runtime, the generator itself,
 * options) and of every output file is kept in node_modules/.cache/zoomgen/. When the
 * inputs hash the same and the output folder still holds exactly those files, the
 * expensive steps (validation, openapi-typescript, ajv) are skipped.
 * The cache only ever skips work: a missing, corrupt or unwritable cache means a full run.
 */
import { createHash } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
// Reads are synchronous: the no-op path reads about a hundred small files one after another, and each
// promise-based read costs four trips through libuv's thread pool (open, stat, read, close).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BUILTIN_TEMPLATES_DIR, GENERATOR_VERSION, RUNTIME_DIR } from "./package-info.js";

export interface CacheRecord {
  /** Hash of all inputs. */
  readonly key: string;
  /** Absolute paths of the spec and every file its `$ref`s reach. */
  readonly inputFiles: readonly string[];
  /** Output file → sha256 of its content. */
  readonly outputs: Readonly<Record<string, string>>;
  readonly operationCount: number;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The cache file for one output folder, or undefined when there is no node_modules to keep it in. */
export function cacheFileFor(outDir: string): string | undefined {
  let dir = process.cwd();
  for (;;) {
    if (existsSync(path.join(dir, "node_modules"))) {
      return path.join(dir, "node_modules", ".cache", "zoomgen", `${sha256(path.resolve(outDir)).slice(0, 24)}.json`);
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export async function readCache(file: string | undefined): Promise<CacheRecord | undefined> {
  if (!file) return undefined;
  try {
    const record = JSON.parse(readFileSync(file, "utf8")) as CacheRecord;
    return typeof record.key === "string" && Array.isArray(record.inputFiles) && typeof record.outputs === "object" ? record : undefined;
  } catch {
    return undefined;
  }
}

export async function writeCache(file: string | undefined, record: CacheRecord): Promise<void> {
  if (!file) return;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(record));
    await rename(temp, file);
  } catch {
    // A cache we cannot write only costs speed next time.
  }
}

/** Hash of everything that decides the output. Any unreadable input gives undefined (no fast path). */
export async function inputKey(inputFiles: readonly string[], templatesDir: string | undefined, settings: string): Promise<string | undefined> {
  const hash = createHash("sha256").update(`zoomgen ${GENERATOR_VERSION}\n${settings}\n`);
  const generatorDir = path.dirname(fileURLToPath(import.meta.url));
  const dirs = [generatorDir, BUILTIN_TEMPLATES_DIR, RUNTIME_DIR, ...(templatesDir ? [path.resolve(templatesDir)] : [])];
  try {
    for (const dir of dirs) {
      for (const name of readdirSync(dir).sort()) {
        if (/\.(ts|js|mjs|hbs)$/.test(name)) hash.update(`${dir}/${name}\n`).update(readFileSync(path.join(dir, name)));
      }
    }
    for (const file of inputFiles) hash.update(`${file}\n`).update(readFileSync(file));
  } catch {
    return undefined;
  }
  return hash.digest("hex");
}

/** True when the folder holds exactly the recorded files with the recorded contents. */
export function outputsMatch(record: CacheRecord, tree: ReadonlyMap<string, string>): boolean {
  const names = Object.keys(record.outputs);
  return names.length === tree.size && names.every((name) => tree.has(name) && sha256(tree.get(name)!) === record.outputs[name]);
}
