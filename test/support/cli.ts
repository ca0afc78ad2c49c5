/** Runs the generator CLI as a real process, the way a user or CI does. */
import { execFile, spawnSync } from "node:child_process";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
export const TSX = path.join(REPO_ROOT, "node_modules/tsx/dist/cli.mjs");
const CLI = path.join(REPO_ROOT, "generator/cli.ts");

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], cwd = REPO_ROOT): CliResult {
  const result = spawnSync(process.execPath, [TSX, CLI, ...args], { cwd, encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1" } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `runCli` without blocking this process: for tests whose own HTTP server the CLI talks to. */
export function runCliAsync(args: readonly string[], cwd = REPO_ROOT): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [TSX, CLI, ...args], { cwd, encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1" } }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") reject(error);
      else resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}
