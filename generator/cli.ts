#!/usr/bin/env node
/**
 * `zoomgen [--spec FILE] [--out DIR] [--templates DIR] [--name NAME] [--check] [--no-cache] [--verbose]
 *   [--quiet] [--allow-remote-refs] [--ref-root DIR]`
 * Exit codes: 0 done (or in sync), 1 the output is stale (--check) or the input is bad,
 * 2 wrong usage, 70 a bug in the generator.
 */
import { parseArgs } from "node:util";
import { DIFF_HELP, EXIT_BREAKING, publishReport, REPORT_OPTIONS, runDiff } from "./changes/cli.js";
import { loadConfig, type ClientOptions } from "./config.js";
import { GeneratorError } from "./errors.js";
import { DEFAULT_OUT, DEFAULT_SPEC, displayPath, NAME_PATTERN, PROFILES, RUNTIME_MODES, upToDateMessage } from "./fast-path.js";
import { generate } from "./generate.js";
import { GENERATOR_NAME, GENERATOR_VERSION } from "./package-info.js";
import type { LoadOptions } from "./load.js";
import { createProgress, progressEnabled, type ProgressReporter } from "./progress.js";
import { isInSync } from "./write.js";

const WARNINGS_SHOWN = 10;

const HELP = `${GENERATOR_NAME} ${GENERATOR_VERSION}: generate a typed TypeScript client from an OpenAPI 3.x document.

Usage: ${GENERATOR_NAME} [options] [SPEC]
       ${GENERATOR_NAME} diff OLD_SPEC NEW_SPEC | diff --against GIT_REF [SPEC]   (the change report only; diff --help)

Options:
  -i, --spec FILE    OpenAPI 3.0/3.1 (or Swagger 2.0, converted) document, YAML or JSON       (default: spec/zoom.yaml)
  -o, --out DIR      output folder, replaced as a whole            (default: generated)
  -c, --config FILE  config file (default: zoomgen.config.{ts,js,json} in the current folder, if any):
                     every option below in camelCase, and clients: [{ spec, out }, ...] for several
                     clients; paths relative to the file; flags given here override it
  --templates DIR    folder of *.hbs templates that replace the built-in ones of the same name
  --name NAME        client name: --name Acme exports createAcmeClient (default: from the spec's title)
  --profile P        runtime profile: zoom (Zoom's OAuth, error codes, rate limits, UUID rule) or generic
                     (default: the spec's info.x-zoomgen-profile, else generic)
  --runtime MODE     package: the client imports @zoomgen/runtime (install it beside the client); bundle:
                     a copy of the runtime in DIR/runtime/, needing only openapi-fetch   (default: package)
  --allow-remote-refs  read a spec or $refs given as http(s) URLs (10 s and 20 MB at most each);
                     without it they are refused
  --ref-root DIR     let local $refs read files under DIR (default: only the spec's folder and below)
  --no-cache         always run every step (by default an unchanged spec is recognised from a cache
                     in node_modules/.cache/zoomgen and nothing is rendered)
  --verbose          print every warning (by default: how many, and the first ${WARNINGS_SHOWN})
  -q, --quiet        no progress lines (shown only on a terminal, and never when CI is set)
  -w, --watch        regenerate when the spec, a file it $refs or a template changes; a broken spec is
                     reported and the last good output kept; Ctrl-C never leaves a half-written folder
  --check            write nothing; exit 1 and list each stale, missing or extra file if DIR
                     differs from what the spec produces
  --report FILE.md   write the API change report (against DIR/api-surface.json) as Markdown
  --report-json FILE write it as JSON
  --fail-on-breaking exit ${EXIT_BREAKING} when the spec brings a breaking API change (see docs/CHANGES.md)
  -h, --help         show this help
  -v, --version      show the version

Example:
  ${GENERATOR_NAME} -i spec/petstore.yaml -o src/petstore --name Petstore --report changes.md
  then: import { createPetstoreClient } from "./src/petstore/index.js";

The output is TypeScript source that needs only \`openapi-fetch\` at run time (npm install openapi-fetch),
Node 20+ or any runtime with fetch, and TypeScript 5 to compile it.

Exit codes: 0 success, 1 stale output or invalid input, 2 wrong usage, ${EXIT_BREAKING} breaking change with --fail-on-breaking.

${DIFF_HELP}`;

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === "diff") return handleErrors(() => runDiff(argv.slice(1), usageError));
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        spec: { type: "string", short: "i" },
        out: { type: "string", short: "o" },
        config: { type: "string", short: "c" },
        watch: { type: "boolean", short: "w", default: false },
        templates: { type: "string" },
        name: { type: "string" },
        profile: { type: "string" },
        runtime: { type: "string" },
        check: { type: "boolean" },
        "no-cache": { type: "boolean" },
        verbose: { type: "boolean", default: false },
        quiet: { type: "boolean", short: "q", default: false },
        "allow-remote-refs": { type: "boolean", default: false },
        "ref-root": { type: "string" },
        ...REPORT_OPTIONS,
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", short: "v", default: false },
      },
    }));
  } catch (error) {
    return usageError((error as Error).message);
  }
  // The spec as a positional argument, as peers' users type it: `zoomgen api.yaml -o src/api`.
  if (positionals.length > 1 || (positionals.length === 1 && values.spec !== undefined)) {
    return usageError(`give one spec, as --spec FILE or as an argument (got ${[values.spec, ...positionals].filter(Boolean).join(", ")})`);
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.version) {
    console.log(GENERATOR_VERSION);
    return 0;
  }
  if (values.name !== undefined && !NAME_PATTERN.test(values.name)) {
    return usageError(`--name must start with a letter and hold only letters, digits, spaces, "-" or "_" (got ${JSON.stringify(values.name)})`);
  }

  // Flags override the config file; only flags actually given count.
  const flags: ClientOptions = Object.fromEntries(
    Object.entries({ spec: values.spec ?? positionals[0], out: values.out, templates: values.templates, name: values.name, profile: values.profile, runtime: values.runtime, check: values.check, noCache: values["no-cache"], report: values.report, reportJson: values["report-json"], failOnBreaking: values["fail-on-breaking"] }).filter(([, v]) => v !== undefined),
  );
  const run: RunFlags = {
    verbose: values.verbose,
    onProgress: createProgress(progressEnabled({ quiet: values.quiet, isTTY: process.stderr.isTTY === true, ci: process.env.CI })),
    load: { allowRemoteRefs: values["allow-remote-refs"], refRoot: values["ref-root"] },
  };
  return handleErrors(async () => {
    const clients = ((await loadConfig(values.config))?.clients ?? [{}]).map((client) => ({ ...client, ...flags }));
    const generateAll = async () => {
      let status = 0;
      for (const client of clients) status = Math.max(status, await generateOne(client, run));
      return status;
    };
    if (!values.watch) return generateAll();
    const { watchAndRegenerate } = await import("./watch.js");
    // In watch mode a broken spec is reported and the watcher keeps going.
    return watchAndRegenerate(
      clients.map((c) => ({ spec: c.spec ?? DEFAULT_SPEC, templates: c.templates })),
      () => handleErrors(generateAll),
    );
  });
}

/** What applies to every client of a run: flags only, never read from the config file. */
interface RunFlags {
  readonly verbose: boolean;
  readonly onProgress: ProgressReporter;
  readonly load: LoadOptions;
}

/** A flag or config value from a fixed list; a wrong one is a usage error that lists the choices. */
function oneOf<T extends string>(value: string | undefined, choices: readonly T[], name: string): T | undefined {
  if (value === undefined || (choices as readonly string[]).includes(value)) return value as T | undefined;
  throw new GeneratorError(`--${name} must be ${choices.join(" or ")} (got ${JSON.stringify(value)})`);
}

async function generateOne(options: ClientOptions, run: RunFlags): Promise<number> {
  const spec = options.spec ?? DEFAULT_SPEC;
  const values = { out: options.out ?? DEFAULT_OUT, templates: options.templates, name: options.name, check: options.check ?? false, report: options.report, "report-json": options.reportJson, "fail-on-breaking": options.failOnBreaking };
  if (values.name !== undefined && !NAME_PATTERN.test(values.name)) {
    throw new GeneratorError(`name must start with a letter and hold only letters, digits, spaces, "-" or "_" (got ${JSON.stringify(values.name)})`);
  }
  const profile = oneOf(options.profile, PROFILES, "profile");
  const runtime = oneOf(options.runtime, RUNTIME_MODES, "runtime");
  {
    const result = await generate({ spec, out: values.out, templates: values.templates, name: values.name, profile, runtime, check: values.check, noCache: options.noCache ?? false, onProgress: run.onProgress, load: run.load });
    const out = displayPath(values.out);
    const { stale, missing, extra } = result.diff;
    printWarnings(result.warnings, run.verbose);
    if (values.check) {
      if (isInSync(result.diff)) {
        console.log(`${out} is in sync with ${displayPath(spec)} (${result.fileCount} files).`);
        return 0;
      }
      console.error(`${out} is out of date with ${displayPath(spec)}:`);
      for (const name of stale) console.error(`  stale:   ${out}/${name}`);
      for (const name of missing) console.error(`  missing: ${out}/${name}`);
      for (const name of extra) console.error(`  extra:   ${out}/${name}`);
      console.error(`Run the same command without --check to update it.`);
      return 1;
    }
    if (!result.wrote) {
      console.log(upToDateMessage(values.out, result.fileCount, result.operationCount, result.cached));
    } else {
      const changed = [...stale, ...missing].length + extra.length;
      console.log(`Wrote ${out} from ${displayPath(spec)}: ${result.operationCount} operations, ${result.fileCount} files, ${changed} changed.`);
      for (const name of stale) console.log(`  updated: ${name}`);
      for (const name of missing) console.log(`  added:   ${name}`);
      for (const name of extra) console.log(`  removed: ${name}`);
    }
    return publishReport(result.changes, values);
  }
}

/** Bad input is a message and exit 1; anything else is a bug (exit 70). Never a stack trace. */
async function handleErrors(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof GeneratorError) {
      console.error(`${GENERATOR_NAME}: ${error.message}`);
      for (const detail of error.details.slice(0, 20)) console.error(`  ${detail}`);
      console.error(`Nothing was written.`);
      return 1;
    }
    console.error(`${GENERATOR_NAME}: internal error: ${(error as Error)?.message ?? String(error)}. Nothing was written. This is a bug; please report it with the spec that caused it.`);
    if (process.env.ZOOMGEN_DEBUG) console.error(error);
    return 70;
  }
}

/** Warnings go to stderr, so that stdout stays the list of files. */
function printWarnings(warnings: readonly string[], verbose: boolean): void {
  if (warnings.length === 0) return;
  const shown = verbose ? warnings : warnings.slice(0, WARNINGS_SHOWN);
  console.error(`${warnings.length} warning${warnings.length === 1 ? "" : "s"} (generation went on):`);
  for (const warning of shown) console.error(`  warning: ${warning}`);
  if (shown.length < warnings.length) console.error(`  ... and ${warnings.length - shown.length} more (--verbose shows all)`);
}

function usageError(message: string): number {
  console.error(`${GENERATOR_NAME}: ${message}\nRun \`${GENERATOR_NAME} --help\` for the options.`);
  return 2;
}

// A reader that stops early (`zoomgen | head -1`) closes the pipe: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

process.exitCode = await main(process.argv.slice(2));
