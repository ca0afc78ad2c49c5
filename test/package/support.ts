/**
 * Helpers of the package tests: real processes (npm, tsc, node) run without a shell, an environment
 * without what an outer `npm test` or vitest put there about this repository, and `npm pack --json`.
 */
import { spawn } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const npm = process.platform === "win32" ? "npm.cmd" : "npm";
export const npx = process.platform === "win32" ? "npx.cmd" : "npx";

export interface RunResult {
  readonly command: string;
  /** The exit code; -1 if the process could not start or was killed (timeout). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * The environment for child processes, less npm's notes about this repository and the test's
 * NODE_OPTIONS (its `--conditions=@zoomgen/source` would point installed packages at their .ts sources).
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_package_|npm_lifecycle_)/i.test(key) || /^(npm_command|npm_config_local_prefix|INIT_CWD|NODE_OPTIONS)$/i.test(key)) continue;
    env[key] = value;
  }
  return { ...env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false", ...extra };
}

/** Runs a command without a shell (asynchronously, so a test's HTTP server keeps answering). */
export function run(command: string, args: readonly string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<RunResult> {
  const started = performance.now();
  const display = [command, ...args].join(" ");
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: childEnv(options.env),
      stdio: ["ignore", "pipe", "pipe"],
      shell: process.platform === "win32", // npm and npx are .cmd files there
      timeout: options.timeoutMs ?? 180_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => (stderr += `\n[could not run ${display}: ${error.message}]`));
    child.on("close", (code, signal) => {
      if (signal) stderr += `\n[killed by ${signal}${signal === "SIGTERM" ? " (timeout?)" : ""}]`;
      resolve({ command: display, code: code ?? -1, stdout, stderr, ms: Math.round(performance.now() - started) });
    });
  });
}

export function describeRun(result: RunResult): string {
  return `$ ${result.command}\n(exit ${result.code} after ${result.ms} ms)\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}

/** Throws with the whole output unless the command succeeded. */
export function ok(result: RunResult): RunResult {
  if (result.code !== 0) throw new Error(`command failed:\n${describeRun(result)}`);
  return result;
}

export interface PackEntry {
  name: string;
  filename: string;
  files: { path: string; mode: number; size: number }[];
}

/** `npm pack --json` prints a JSON array; lifecycle output (a prepack build) may come before it. */
export function parsePackJson(stdout: string): PackEntry[] {
  const start = stdout.search(/^\[\s*$/m);
  return JSON.parse(start >= 0 ? stdout.slice(start) : stdout) as PackEntry[];
}

/** Packs the package in `dir` (its prepack builds it) into `destination`; returns the tarball's path and file list. */
export async function pack(dir: string, destination: string): Promise<PackEntry & { tarball: string }> {
  const result = ok(await run(npm, ["pack", "--json", "--pack-destination", destination], { cwd: dir, timeoutMs: 300_000 }));
  const entry = parsePackJson(result.stdout)[0];
  if (entry === undefined) throw new Error(`npm pack printed no package:\n${describeRun(result)}`);
  return { ...entry, tarball: path.join(destination, entry.filename) };
}

export async function installedVersion(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(REPO, "node_modules", name, "package.json"), "utf8")) as { version: string };
  return manifest.version;
}

/** The packages in a node_modules folder (scoped ones by their full name) and the bytes of all its files. */
export async function measureNodeModules(dir: string): Promise<{ packages: string[]; bytes: number }> {
  const packages: string[] = [];
  let bytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isFile()) bytes += (await stat(full)).size;
    if (entry.isFile() && entry.name === "package.json") {
      const relative = path.relative(dir, entry.parentPath).split(path.sep);
      // node_modules/<name>/package.json or node_modules/@scope/<name>/package.json, nested ones included.
      const last = relative.lastIndexOf("node_modules");
      const tail = relative.slice(last + 1);
      if (relative.length === 1 || (relative.length === 2 && relative[0]!.startsWith("@"))) packages.push(relative.join("/"));
      else if (last >= 0 && (tail.length === 1 || (tail.length === 2 && tail[0]!.startsWith("@")))) packages.push(tail.join("/"));
    }
  }
  return { packages: [...new Set(packages)].sort(), bytes };
}

/** The relative links of a Markdown text (`[x](docs/A.md)`), without anchors; http(s), mailto and pure anchors left out. */
export function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^(https?:|mailto:|#)/.test(target))
    .map((target) => target.replace(/#.*$/, ""));
}
