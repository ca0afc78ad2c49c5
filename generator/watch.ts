/**
 * `--watch`: regenerate when the spec, a file it `$ref`s or a template changes. Folders are
 * watched rather than files because editors save by replacing the file. A broken spec is
 * reported and the last good output stays; Ctrl-C waits for a run in progress (whose output is
 * swapped in atomically) so nothing is left half-written.
 */
import { watch, type FSWatcher } from "node:fs";
import path from "node:path";

const DEBOUNCE_MS = 150;

export interface WatchTarget {
  readonly spec: string;
  readonly templates?: string | undefined;
}

/** Runs `regenerate` now and after every change; resolves with exit code 0 on SIGINT/SIGTERM. */
export async function watchAndRegenerate(targets: readonly WatchTarget[], regenerate: () => Promise<number>): Promise<number> {
  const { loadSpec } = await import("./load.js");
  let watchers: FSWatcher[] = [];
  let watched = new Set<string>();
  let running: Promise<void> | undefined;
  let pending = false;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;

  /** The files to watch: the ones each spec read last time it loaded (at least the spec itself), and template folders. */
  const inputsOf = async (): Promise<Set<string>> => {
    const files = new Set<string>();
    for (const target of targets) {
      files.add(path.resolve(target.spec));
      if (target.templates) files.add(path.join(path.resolve(target.templates), "*"));
      try {
        for (const file of (await loadSpec(target.spec)).inputFiles) files.add(file);
      } catch {
        for (const file of watched) if (!file.endsWith("*")) files.add(file); // broken: keep watching what it read before
      }
    }
    return files;
  };

  const rewatch = (files: Set<string>) => {
    for (const w of watchers) w.close();
    watched = files;
    const folders = new Map<string, Set<string>>();
    for (const file of files) {
      const folder = path.dirname(file);
      (folders.get(folder) ?? folders.set(folder, new Set()).get(folder)!).add(path.basename(file));
    }
    watchers = [...folders].map(([folder, names]) =>
      watch(folder, (_event, name) => {
        if (names.has("*") || (name !== null && names.has(name.toString()))) schedule();
      }),
    );
  };

  const run = async () => {
    do {
      pending = false;
      await regenerate();
      rewatch(await inputsOf());
      if (!stopping) console.log(`Watching ${watched.size} file(s) for changes (Ctrl-C to stop)...`);
    } while (pending && !stopping);
    running = undefined;
  };

  const schedule = () => {
    if (stopping) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running) pending = true;
      else running = run();
    }, DEBOUNCE_MS);
  };

  running = run();
  return new Promise<number>((resolve) => {
    const stop = () => {
      if (stopping) return;
      stopping = true;
      clearTimeout(timer);
      // Let a run in progress finish its atomic swap, then leave.
      void (running ?? Promise.resolve()).then(() => {
        for (const w of watchers) w.close();
        console.log("Stopped watching.");
        resolve(0);
      });
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
