/**
 * The no-op regeneration, kept small: `zoomgen` run again on an unchanged spec should cost little more than Node's own
 * start. bin/zoomgen.mjs calls fastPath() before it loads the CLI (cli.ts and everything it imports): for the plain
 * command lines (spec, out, name, templates, profile, runtime, quiet, verbose; no config file) it checks the cache
 * (cache.ts) and, when the output is up to date, prints what the CLI would and exits. Anything else, or a miss,
 * returns undefined and the CLI runs as usual. generate.ts uses the same check, so both agree on what "unchanged" is.
 */
import { existsSync, writeSync } from "node:fs";
import path from "node:path";
import { cacheFileFor, checkCache, type CacheRecord, type CacheScope } from "./cache.js";
import { formatSummary } from "./changes/report.js";
import { GENERATOR_NAME } from "./package-info.js";

/** The options that decide a run's output (a subset of GenerateOptions). */
export interface RunIdentity {
  readonly spec: string;
  readonly out: string;
  readonly templates?: string | undefined;
  readonly name?: string | undefined;
  readonly profile?: string | undefined;
  readonly runtime?: string | undefined;
}

export const DEFAULT_SPEC = "spec/zoom.yaml";
export const DEFAULT_OUT = "generated";
/** The config files the CLI reads from the current folder when no --config is given. */
export const CONFIG_NAMES = ["zoomgen.config.ts", "zoomgen.config.js", "zoomgen.config.json"];
export const PROFILES = ["zoom", "generic"] as const;
export const RUNTIME_MODES = ["package", "bundle"] as const;
/** What --name accepts. */
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9 _-]*$/;

/**
 * The command named in every file's header. Only what shapes the output goes in (the spec's file name, --name, the
 * templates folder's name), never a full path, so the output is the same wherever it is generated.
 */
export function regenerateCommand(options: RunIdentity): string {
  const parts = [GENERATOR_NAME, "--spec", path.basename(options.spec)];
  if (options.name) parts.push("--name", JSON.stringify(options.name));
  if (options.templates) parts.push("--templates", JSON.stringify(path.basename(path.resolve(options.templates))));
  if (options.profile) parts.push("--profile", options.profile);
  if (options.runtime && options.runtime !== "package") parts.push("--runtime", options.runtime);
  return parts.join(" ");
}

/** What a cache record is made for: these options, this output folder. */
export function cacheScope(options: RunIdentity): CacheScope {
  const settings = JSON.stringify({
    spec: path.resolve(options.spec),
    name: options.name ?? null,
    templates: options.templates ? path.resolve(options.templates) : null,
    profile: options.profile ?? null,
    runtime: options.runtime ?? null,
    command: regenerateCommand(options),
  });
  return { settings, out: options.out, templates: options.templates };
}

/** The cache record when the output folder is up to date with the inputs (see cache.ts), else undefined. */
export function upToDate(options: RunIdentity): CacheRecord | undefined {
  return checkCache(cacheFileFor(options.out), cacheScope(options), options.spec);
}

export function upToDateMessage(out: string, fileCount: number, operationCount: number, cached: boolean): string {
  return `${displayPath(out)} is up to date (${fileCount} files, ${operationCount} operations${cached ? ", unchanged inputs" : ""}).`;
}

export function displayPath(p: string): string {
  return path.relative(process.cwd(), path.resolve(p)) || ".";
}

const VALUE_FLAGS: Readonly<Record<string, keyof RunIdentity>> = {
  "--spec": "spec",
  "-i": "spec",
  "--out": "out",
  "-o": "out",
  "--name": "name",
  "--templates": "templates",
  "--profile": "profile",
  "--runtime": "runtime",
};
/** Flags that change nothing the no-op prints. */
const SILENT_FLAGS = new Set(["--quiet", "-q", "--verbose"]);

/** The exit code when `argv` is a plain run whose output is up to date (after printing what the CLI prints), else undefined. */
export function fastPath(argv: readonly string[]): number | undefined {
  const options = plainRun(argv);
  if (options === undefined || CONFIG_NAMES.some((name) => existsSync(name))) return undefined;
  const record = upToDate(options);
  if (record === undefined) return undefined;
  print(`${upToDateMessage(options.out, Object.keys(record.outputs).length, record.operationCount, true)}\n${formatSummary({ bump: "none", breaking: false, apiChanged: false, changes: [] })}\n`);
  return 0;
}

/**
 * Writes to stdout without making `process.stdout` (a stream whose modules cost a few milliseconds to load). A reader
 * that stopped early (EPIPE) is not an error, as in cli.ts; a pipe that cannot take it at once gets the stream.
 */
function print(text: string): void {
  try {
    writeSync(1, text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EAGAIN") process.stdout.write(text);
    else if ((error as NodeJS.ErrnoException).code !== "EPIPE") throw error;
  }
}

/** The options of a command line the fast path understands exactly as the CLI does; undefined for any other. */
function plainRun(argv: readonly string[]): RunIdentity | undefined {
  const values: { -readonly [K in keyof RunIdentity]?: string } = {};
  let positional: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (SILENT_FLAGS.has(arg)) continue;
    const key = VALUE_FLAGS[arg];
    if (key !== undefined) {
      const value = argv[++i];
      // A repeated flag, a missing value or one that looks like a flag: the CLI's parser decides.
      if (values[key] !== undefined || value === undefined || value.startsWith("-")) return undefined;
      values[key] = value;
    } else if (!arg.startsWith("-") && positional === undefined && arg !== "diff") positional = arg;
    else return undefined;
  }
  if (positional !== undefined) {
    if (values.spec !== undefined) return undefined;
    values.spec = positional;
  }
  if (values.name !== undefined && !NAME_PATTERN.test(values.name)) return undefined;
  if (values.profile !== undefined && !(PROFILES as readonly string[]).includes(values.profile)) return undefined;
  if (values.runtime !== undefined && !(RUNTIME_MODES as readonly string[]).includes(values.runtime)) return undefined;
  return { ...values, spec: values.spec ?? DEFAULT_SPEC, out: values.out ?? DEFAULT_OUT };
}
