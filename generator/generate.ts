/**
 * The whole pipeline as one function, used by the CLI and the tests:
 * load → validate → model → render → check or write, with a cached fast path.
 */
import path from "node:path";
import { cacheFileFor, checkCache, recordRun, type CacheScope } from "./cache.js";
import type { ChangeReport } from "./changes/index.js";
import { cacheScope, regenerateCommand } from "./fast-path.js";
import type { LoadOptions } from "./load.js";
import type { RuntimeProfileName } from "./model.js";
import type { ProgressReporter } from "./progress.js";
import type { RuntimeMode } from "./render.js";
import type { TypesJob } from "./types.js";
import { RUNTIME_DIR } from "./package-info.js";
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
  /** What the loader may read besides the spec file (remote `$ref`s, a wider folder for local ones). */
  readonly load?: LoadOptions;
  /** Told each stage of a full run (see progress.ts); never called on the fast path. */
  readonly onProgress?: ProgressReporter;
  /** The runtime profile (`zoom` or `generic`); default: the spec's `info.x-zoomgen-profile`, else `generic`. */
  readonly profile?: RuntimeProfileName | undefined;
  /** `package` (default): generated code imports `@zoomgen/runtime`; `bundle`: a copy of the runtime in `<out>/runtime/`. */
  readonly runtime?: RuntimeMode | undefined;
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
  /** What the spec's loading found but did not stop for (none on the fast path, which loads nothing). */
  readonly warnings: readonly string[];
  /** API changes against the surface recorded in the output folder (api-surface.json); undefined when there was none. */
  readonly changes?: ChangeReport | undefined;
}

const NO_CHANGE: ChangeReport = { bump: "none", breaking: false, apiChanged: false, changes: [] };

const IN_SYNC: OutputDiff = { stale: [], missing: [], extra: [] };

export async function generate(requested: GenerateOptions): Promise<GenerateResult> {
  let options = requested;
  const scope = cacheScope(options);
  const cacheFile = options.noCache ? undefined : cacheFileFor(options.out);

  const cache = checkCache(cacheFile, scope, options.spec);
  if (cache) {
    return { operationCount: cache.operationCount, fileCount: Object.keys(cache.outputs).length, diff: IN_SYNC, wrote: false, cached: true, warnings: [], changes: NO_CHANGE };
  }

  const existing = await readTree(options.out);
  if (!options.check) assertOwnedOutput(options.out, existing); // before any slow work
  if (options.check && options.name === undefined) {
    const name = recordedName(existing);
    if (name !== undefined) options = { ...options, name };
  }

  // Loaded only past the fast path: validation, openapi-typescript and ajv are the slow part.
  // openapi-typescript starts loading now, in a worker thread, while the spec is read and validated.
  const types = (await import("./types.js")).startTypes();
  for (const profile of ["zoom", "generic"] as const) void runtimeExportNames(profile, types); // answered before the worker starts typing
  try {
    return await fullRun(options, { scope, cacheFile, existing, types });
  } finally {
    types.close();
  }
}

interface FullRunContext {
  readonly scope: CacheScope;
  readonly cacheFile: string | undefined;
  readonly existing: Map<string, string>;
  readonly types: TypesJob;
}

async function fullRun(options: GenerateOptions, { scope, cacheFile, existing, types }: FullRunContext): Promise<GenerateResult> {
  const [{ loadSpec, describeAt, isRecord }, { buildModel }, { render }, { withChangeReport }] = await Promise.all([
    import("./load.js"),
    import("./build-model.js"),
    import("./render.js"),
    import("./changes/index.js"),
  ]);
  const progress = options.onProgress ?? (() => {});
  progress(`reading and validating ${path.basename(options.spec)}`);
  const spec = await loadSpec(options.spec, options.load, (document) => types.begin(document));
  // buildModel checks the extension; a wrong value fails there.
  const declared = isRecord(spec.document.info) ? spec.document.info["x-zoomgen-profile"] : undefined;
  const profile = options.profile ?? (declared === "zoom" ? "zoom" : "generic");
  // The generated index re-exports the runtime's entry, so schema aliases must avoid its names.
  const reservedTypeNames = await runtimeExportNames(profile, types);
  const modelWarnings: string[] = [];
  const warn = (message: string, pointer: string) => modelWarnings.push(describeAt(spec.locate, pointer, message));
  const model = buildModel(spec.document, { locate: spec.locate, reservedTypeNames, warn, ...(options.name ? { name: options.name } : {}) });
  progress(`rendering ${model.operations.length} operations in ${model.groups.length} groups, ${model.schemas.length} schemas`);
  const validatorWarnings: string[] = [];
  const rendered = await render(spec, model, {
    templatesDir: options.templates,
    command: regenerateCommand(options),
    clientImport: clientImport(options.out),
    types,
    profile,
    runtime: options.runtime,
    onValidatorWarning: ({ pointer, message }) => validatorWarnings.push(describeAt(spec.locate, pointer, message)),
  });
  const { files, changes } = withChangeReport(model, rendered, existing);
  const diff = diffOutput(files, existing);
  const wrote = !options.check && !isInSync(diff);
  if (wrote) {
    progress(`writing ${files.size} files`);
    await writeOutput(options.out, files, existing);
  }

  // The record's stamps are taken from the files now in the folder (written, or found equal).
  if (wrote || isInSync(diff)) recordRun(cacheFile, scope, { inputFiles: spec.inputFiles, files, operationCount: model.operations.length });
  return { operationCount: model.operations.length, fileCount: files.size, diff, wrote, cached: false, warnings: [...spec.warnings, ...modelWarnings, ...validatorWarnings], changes };
}

/** `./src/client/index.js` for `--out src/client`: where the README's examples import the client from (a folder's name alone when --out is absolute). */
function clientImport(out: string): string {
  const folder = path.isAbsolute(out) ? path.basename(out) : path.normalize(out).split(path.sep).join("/");
  return `./${folder.replace(/^\.\/|\/$/g, "")}/index.js`;
}

/**
 * The --name the existing output was generated with, read back from its header, so that --check
 * without --name compares like with like instead of calling every file stale.
 */
function recordedName(existing: ReadonlyMap<string, string>): string | undefined {
  const header = existing.get("index.ts")?.split("\n", 1)[0] ?? "";
  const quoted = /\(`[^`]* --name ("(?:[^"\\]|\\.)*")/.exec(header)?.[1];
  if (quoted === undefined) return undefined;
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return undefined;
  }
}

/** Every name the runtime entry a client re-exports (`@zoomgen/runtime`, or `/zoom` which re-exports the core) makes public. */
function runtimeExportNames(profile: RuntimeProfileName, types: TypesJob): Promise<Set<string>> {
  return types.exportedNames(path.join(RUNTIME_DIR, profile === "zoom" ? "zoom/index.ts" : "index.ts"));
}
