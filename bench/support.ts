/**
 * What the benchmarks share besides statistics: a clear failure type, temp folders that are always
 * removed (also on Ctrl-C), and timing one child process (wall time, peak RSS).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** A reason to stop the whole run; `run.ts` prints its message as one line and exits 1. */
export class BenchError extends Error {
  override readonly name = "BenchError";
}

const cleanups = new Set<() => void>();
const children = new Set<ChildProcess>();

/** Runs every pending cleanup (synchronously) and stops any child still running. */
export function cleanUpAll(): void {
  for (const child of children) child.kill("SIGTERM");
  children.clear();
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // keep going: the other folders still have to go
    }
  }
  cleanups.clear();
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    cleanUpAll();
    process.stderr.write(`bench: interrupted by ${signal}; temp folders removed.\n`);
    process.exit(130);
  });
}

const PREFIX = "zoomgen-bench-";

/**
 * Removes the temp folders of earlier runs that could not clean up (killed with SIGKILL: tsx's CLI does
 * that to its child when the child does not acknowledge Ctrl-C within 30 ms). A folder's name holds
 * the pid of its run; folders of a live process are left alone. `also` runs for each removed folder.
 */
export function sweepStale(also?: (dir: string) => void, parents: readonly string[] = [os.tmpdir()]): number {
  let removed = 0;
  for (const [parent, name] of parents.filter((p) => existsSync(p)).flatMap((p) => readdirSync(p).map((n) => [p, n] as const))) {
    const pid = Number(/^zoomgen-bench-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    const dir = path.join(parent, name);
    rmSync(dir, { recursive: true, force: true });
    also?.(dir);
    removed++;
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A fresh folder under `parent` (default os.tmpdir()); `remove()` deletes it (and runs `also`), and so does
 * cleanUpAll(). Outputs that tsc must type-check go under the repo (benchOutputRoot) so `openapi-fetch` resolves.
 */
export function tempDir(label: string, also?: (dir: string) => void, parent = os.tmpdir()): { dir: string; remove: () => void } {
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, `${PREFIX}${process.pid}-${slug}-`));
  const remove = () => {
    cleanups.delete(remove);
    rmSync(dir, { recursive: true, force: true });
    also?.(dir);
  };
  cleanups.add(remove);
  return { dir, remove };
}

export interface Timed {
  /** Wall time from spawn to exit, in ms. */
  readonly ms: number;
  /** Peak resident set size of the largest process in the tree, in MB (undefined without GNU time). */
  readonly rssMb: number | undefined;
  /** User + system CPU time of the whole process tree, in ms (undefined without GNU time). */
  readonly cpuMs: number | undefined;
  readonly stdout: string;
  /** The exit code (0 unless the run was allowed to fail) and what the tool printed on stderr. */
  readonly code: number | null;
  readonly stderr: string;
}

/** GNU time reports a child's peak RSS (ru_maxrss) and CPU time for the cost of one extra fork/exec. */
export const TIME_BIN = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/**
 * Runs `node <args>` in `cwd` and times it. Rejects with a BenchError naming `label` and the last
 * line the tool printed when it exits non-zero.
 */
/** `env` entries are added to this process's environment; an entry set to `undefined` is removed from it. */
export async function timeNode(label: string, args: readonly string[], cwd: string, options: { env?: Record<string, string | undefined>; allowFailure?: boolean } = {}): Promise<Timed> {
  const rss = TIME_BIN ? tempDir("time") : undefined;
  const rssFile = rss ? path.join(rss.dir, "rss") : undefined;
  const [command, argv] = TIME_BIN && rssFile
    ? [TIME_BIN, ["-f", "%M %U %S", "-o", rssFile, process.execPath, ...args]]
    : [process.execPath, [...args]];
  try {
    const started = performance.now();
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...options.env };
    for (const name of Object.keys(env)) if (env[name] === undefined) delete env[name];
    const child = spawn(command, argv, { cwd, stdio: ["ignore", "pipe", "pipe"], env });
    children.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (status, signal) => resolve(signal ? null : status));
    });
    const ms = performance.now() - started;
    children.delete(child);
    if (code !== 0 && !options.allowFailure) {
      // The last line that is neither a stack frame nor GNU time's own note.
      const last = (stderr.trim() || stdout.trim()).split("\n").filter((l) => l.trim() && !/^\s+at |^Command exited with non-zero status|^Node\.js v\d/.test(l)).pop();
      throw new BenchError(`${label} failed (exit ${code ?? "by signal"}): ${last ?? "no output"}`);
    }
    // GNU time's last line: "<peak RSS KB> <user s> <system s>".
    const [kb, user, system] = (rssFile && existsSync(rssFile) ? readFileSync(rssFile, "utf8").trim().split("\n").pop()! : "").split(" ").map(Number);
    const known = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n);
    return { ms, rssMb: known(kb) ? kb / 1024 : undefined, cpuMs: known(user) && known(system) ? (user + system) * 1000 : undefined, stdout, code, stderr };
  } finally {
    rss?.remove();
  }
}
