/**
 * Progress for long runs: one line per stage on stderr (`zoomgen: rendering 373 operations in
 * 37 groups (1.2 s)`), only on a terminal. Quiet when stderr is not a TTY, in CI (`CI` set to
 * anything but "" or "false") and with `--quiet`, so logs and pipes stay clean.
 */
import { GENERATOR_NAME } from "./package-info.js";

export type ProgressReporter = (stage: string) => void;

export interface ProgressEnvironment {
  readonly quiet: boolean;
  readonly isTTY: boolean;
  readonly ci: string | undefined;
}

export function progressEnabled({ quiet, isTTY, ci }: ProgressEnvironment): boolean {
  return !quiet && isTTY && (ci === undefined || ci === "" || ci === "false");
}

/** A reporter that writes each stage with the time since the run started, or one that does nothing. */
export function createProgress(enabled: boolean, write: (line: string) => void = (line) => process.stderr.write(line)): ProgressReporter {
  if (!enabled) return () => {};
  const started = performance.now();
  return (stage) => write(`${GENERATOR_NAME}: ${stage} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}
