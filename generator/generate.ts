/**
 * The whole pipeline as one function, used by the CLI and the tests:
 * load → validate → model → render → check or write, with a cached fast path.
 */
import path from "node:path";
import { cacheFileFor, inputKey, outputsMatch, readCache, sha256, writeCache } from "./cache.js";
import type { ChangeReport } from "./changes/index.js";
import { GENERATOR_NAME } from "./package-info.js";
import { assertOwnedOutput, diffOutput, isInSync, readTree, writeOutput, type OutputDiff } from "./write.js";

export interface GenerateOptions {
  readonly spec: string;
  readonly out: string;
  readonly templates?: string | undefined;
  /** The factory's name stem (`Acme` → `createAcmeClient`); defaults to the spec's title. */
  readonly name?: string | undefined;
  /** Compare only; write nothing. */
  readonly check?: boolean;
  /** Skip the fast path and always run every step. */
  readonly noCache?: boolean;
}

export interface GenerateResult {
  readonly operationCount: number;
  readonly fileCount: number;
  /** How the output directory differed from the spec before this run. */
  readonly diff: OutputDiff;
  /** True when files were written (never with `check`, never when already in sync). */
  readonly wrote: boolean;
  /** True when the fast path proved the output in sync without rendering. */
  readonly cached: boolean;
  /** API changes against the surface recorded in the output folder (api-surface.json); undefined when there was none. */
  readonly changes?: ChangeReport | undefined;
}

const NO_CHANGE: ChangeReport = { bump: "none", breaking: false, apiChanged: false, changes: [] };

const IN_SYNC: OutputDiff = { stale: [], missing: [], extra: [] };

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const command = regenerateCommand(options);
  const settings = JSON.stringify({ spec: path.resolve(options.spec), name: options.name ?? null, command });
  const cacheFile = options.noCache ? undefined : cacheFileFor(options.out);

  const cache = await readCache(cacheFile);
  if (cache && cache.inputFiles[0] === path.resolve(options.spec)) {
    const [key, tree] = await Promise.all([inputKey(cache.inputFiles, options.templates, settings), readTree(options.out)]);
    if (key === cache.key && outputsMatch(cache, tree)) {
      return { operationCount: cache.operationCount, fileCount: tree.size, diff: IN_SYNC, wrote: false, cached: true, changes: NO_CHANGE };
    }
  }

  const existing = await readTree(options.out);
  if (!options.check) assertOwnedOutput(options.out, existing); // before any slow work

  // Loaded only past the fast path: validation, openapi-typescript and prettier are the slow part.
  const [{ loadSpec }, { buildModel }, { render }, { withChangeReport }] = await Promise.all([
    import("./load.js"),
    import("./build-model.js"),
    import("./render.js"),
    import("./changes/index.js"),
  ]);
  const spec = await loadSpec(options.spec);
  const model = buildModel(spec.document, { locate: spec.locate, ...(options.name ? { name: options.name } : {}) });
  const { files, changes } = withChangeReport(model, await render(spec, model, { templatesDir: options.templates, command }), existing);
  const diff = diffOutput(files, existing);
  const wrote = !options.check && !isInSync(diff);
  if (wrote) await writeOutput(options.out, files, existing);

  if (wrote || isInSync(diff)) {
    const key = await inputKey(spec.inputFiles, options.templates, settings);
    const outputs = Object.fromEntries([...files].map(([name, content]) => [name, sha256(content)]));
    if (key) await writeCache(cacheFile, { key, inputFiles: spec.inputFiles, outputs, operationCount: model.operations.length });
  }
  return { operationCount: model.operations.length, fileCount: files.size, diff, wrote, cached: false, changes };
}

/**
 * The command named in every file's header. Only what shapes the output goes in (the spec's
 * file name, --name), never a path, so the output is the same wherever it is generated.
 */
function regenerateCommand(options: GenerateOptions): string {
  const parts = [GENERATOR_NAME, "--spec", path.basename(options.spec)];
  if (options.name) parts.push("--name", JSON.stringify(options.name));
  return parts.join(" ");
}
