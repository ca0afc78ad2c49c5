/**
 * The fast path: regenerating from an unchanged spec should cost almost nothing. After a run, every input (spec
 * files, templates, runtime, the generator itself, its manifests) and every output file is recorded in
 * node_modules/.cache/zoomgen/ with the sha256 of its content and its stat (size, mtime, ctime, inode). When the
 * inputs and the output folder still match, nothing is loaded, validated or rendered.
 *
 * A file whose stat is exactly as recorded is taken as unchanged without reading it; any other is read and its hash
 * compared. Content can change with size and mtime kept only by restoring the mtime (which moves the ctime, also
 * compared) or by a write within the file system's timestamp granularity of the moment the stat was recorded: so a
 * stat taken less than RACY_MS after the file's last change is never trusted (as git treats a "racily clean" index
 * entry), and that file is hashed until a later run records a settled stat.
 * The cache only ever skips work: a missing, corrupt or unwritable cache means a full run.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync, type Stats } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BUILTIN_TEMPLATES_DIR, GENERATOR_VERSION, PACKAGE_ROOT, RUNTIME_DIR, RUNTIME_MANIFEST_FILE } from "./package-info.js";

/** What a file was when recorded: its content's sha256, and the stat that lets a later run skip reading it. */
export interface FileStamp {
  readonly hash: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  /** Changed less than RACY_MS before it was recorded: only the hash counts. */
  readonly racy?: true;
}

export interface CacheRecord {
  readonly format: 2;
  readonly generatorVersion: string;
  /** The options that shape the output (see generate.ts), as one string. */
  readonly settings: string;
  /** The output folder, absolute. */
  readonly out: string;
  /** Absolute paths of the spec and every file its `$ref`s reach. */
  readonly inputFiles: readonly string[];
  /** Every input: the spec's files and the generator's own (sourceFiles), by absolute path. */
  readonly inputs: Readonly<Record<string, FileStamp>>;
  /** Every output file, by its name in the output folder (posix). */
  readonly outputs: Readonly<Record<string, FileStamp>>;
  readonly operationCount: number;
}

/** What a run records, and what the next run checks. */
export interface CacheScope {
  readonly settings: string;
  readonly out: string;
  readonly templates: string | undefined;
}

/** How long after a file's last change its stat is trusted (FAT's 2 s timestamps, and a margin). */
export const RACY_MS = 3000;

/** Folders of a generated package that its build and install make: not the generator's output. */
export const PACKAGE_FOLDERS: readonly string[] = ["dist", "node_modules"];

let hashing: typeof import("node:crypto") | undefined;

/** sha256 in hex. node:crypto is loaded on first use: the fast path with settled stats never hashes. */
export function sha256(content: string | Buffer): string {
  hashing ??= createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  return hashing.createHash("sha256").update(content).digest("hex");
}

/** The cache file for one output folder, or undefined when there is no node_modules to keep it in. */
export function cacheFileFor(outDir: string): string | undefined {
  let dir = process.cwd();
  for (;;) {
    try {
      if (statSync(path.join(dir, "node_modules")).isDirectory()) return path.join(dir, "node_modules", ".cache", "zoomgen", `out-${fnv1a(path.resolve(outDir))}.json`);
    } catch {
      // not here: look further up
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The record when every input and output is as it recorded (and it was made with `scope`), else undefined. When
 * some file had to be hashed (a racy or changed stat, same content), the record is written again with the stat it
 * has now, so that the next run need not read it.
 */
export function checkCache(file: string | undefined, scope: CacheScope, spec: string): CacheRecord | undefined {
  if (file === undefined) return undefined;
  let record: CacheRecord;
  try {
    record = JSON.parse(readFileSync(file, "utf8")) as CacheRecord;
  } catch {
    return undefined;
  }
  if (record?.format !== 2 || record.generatorVersion !== GENERATOR_VERSION || record.settings !== scope.settings) return undefined;
  if (record.out !== path.resolve(scope.out) || record.inputFiles?.[0] !== path.resolve(spec)) return undefined;
  const now = Date.now();
  let restamped = false;
  const verified = (files: ReadonlyMap<string, string>, recorded: Readonly<Record<string, FileStamp>>): Record<string, FileStamp> | undefined => {
    const keys = Object.keys(recorded);
    if (keys.length !== files.size) return undefined;
    const stamps: Record<string, FileStamp> = {};
    for (const key of keys) {
      const absolute = files.get(key);
      const stamp = absolute === undefined ? undefined : verifyFile(absolute, recorded[key]!, now);
      if (stamp === undefined) return undefined;
      if (stamp !== recorded[key]) restamped = true;
      stamps[key] = stamp;
    }
    return stamps;
  };
  try {
    const inputPaths = [...sourceFiles(scope.templates), ...record.inputFiles];
    const inputs = verified(new Map(inputPaths.map((p) => [p, p])), record.inputs);
    const outputs = inputs && verified(filesBelow(record.out, PACKAGE_FOLDERS), record.outputs);
    if (!inputs || !outputs) return undefined;
    if (restamped) writeRecord(file, { ...record, inputs, outputs });
    return record;
  } catch {
    return undefined;
  }
}

/** Records a run whose output folder now holds `files`; anything unreadable means no record (a full run next time). */
export function recordRun(file: string | undefined, scope: CacheScope, run: { inputFiles: readonly string[]; files: ReadonlyMap<string, string>; operationCount: number }): void {
  if (file === undefined) return;
  const now = Date.now();
  const out = path.resolve(scope.out);
  let inputs: Record<string, FileStamp>;
  let outputs: Record<string, FileStamp>;
  try {
    inputs = Object.fromEntries([...sourceFiles(scope.templates), ...run.inputFiles].map((p) => [p, stampFile(p, readFileSync(p), now)]));
    outputs = Object.fromEntries([...run.files].map(([name, content]) => [name, stampFile(path.join(out, name), content, now)]));
  } catch {
    return;
  }
  writeRecord(file, { format: 2, generatorVersion: GENERATOR_VERSION, settings: scope.settings, out, inputFiles: run.inputFiles, inputs, outputs, operationCount: run.operationCount });
}

function writeRecord(file: string, record: CacheRecord): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(record));
    renameSync(temp, file); // another run reads the old record or the new one, never a part
  } catch {
    // A cache we cannot write only costs speed next time.
  }
}

function stampFile(file: string, content: string | Buffer, now: number): FileStamp {
  return stampOf(statSync(file), sha256(content), now);
}

function stampOf(stat: Stats, hash: string, now: number): FileStamp {
  const { size, mtimeMs, ctimeMs, ino } = stat;
  const racy = Math.max(mtimeMs, ctimeMs) > now - RACY_MS;
  return { hash, size, mtimeMs, ctimeMs, ino, ...(racy ? { racy: true as const } : {}) };
}

/** `stamp` itself when the file's stat is as recorded (and settled), a new stamp when only the stat moved, undefined when the content changed or is gone. */
function verifyFile(file: string, stamp: FileStamp, now: number): FileStamp | undefined {
  let stat: Stats;
  try {
    stat = statSync(file);
  } catch {
    return undefined;
  }
  if (!stamp.racy && stat.size === stamp.size && stat.mtimeMs === stamp.mtimeMs && stat.ctimeMs === stamp.ctimeMs && stat.ino === stamp.ino) return stamp;
  if (!stat.isFile() || stat.size !== stamp.size) return undefined;
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch {
    return undefined;
  }
  const hash = sha256(content);
  return hash === stamp.hash ? stampOf(stat, hash, now) : undefined;
}

/**
 * The generator's own files that decide the output: its code (every module, changes/ included), the built-in and
 * the user's templates, the runtime (copied by --runtime bundle, its names reserved) and the two manifests (the
 * versions a generated package.json names). Sorted, absolute.
 */
export function sourceFiles(templatesDir: string | undefined): string[] {
  const generatorDir = path.dirname(fileURLToPath(import.meta.url));
  // Declarations (.d.ts, beside the published package's modules) change no output.
  const code = /(?<!\.d)\.(ts|js|mjs|hbs)$/;
  const list = (dir: string, recursive: boolean) => [...filesBelow(dir, recursive ? [] : undefined).values()].filter((file) => code.test(file));
  return [
    ...list(generatorDir, true),
    ...list(BUILTIN_TEMPLATES_DIR, false),
    ...list(RUNTIME_DIR, false),
    ...list(path.join(RUNTIME_DIR, "zoom"), false),
    ...(templatesDir ? list(path.resolve(templatesDir), false) : []),
    path.join(PACKAGE_ROOT, "package.json"),
    RUNTIME_MANIFEST_FILE,
  ].sort();
}

/**
 * Every file below `dir`, by posix name → absolute path, skipping the folders named in `skipAtTop` at its top (none
 * when it is missing). Without `skipAtTop`, the files of `dir` itself only. (Node 20's `readdirSync(dir, { recursive })`
 * costs several milliseconds more, a large part of a no-op run.)
 */
function filesBelow(dir: string, skipAtTop: readonly string[] | undefined): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const name = `${prefix}${entry.name}`;
      if (entry.isDirectory()) {
        if (skipAtTop !== undefined && !(prefix === "" && skipAtTop.includes(entry.name))) walk(path.join(folder, entry.name), `${name}/`);
      } else if (entry.isFile()) files.set(name, path.join(folder, entry.name));
    }
  };
  walk(dir, "");
  return files;
}

/** A short, stable name for a path (FNV-1a, 64 bits): the cache file's name; the record itself says which folder it is for. */
function fnv1a(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) hash = BigInt.asUintN(64, (hash ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n);
  return hash.toString(16).padStart(16, "0");
}
