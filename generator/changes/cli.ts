/**
 * The change report on the command line: the summary after a regeneration, `--report`,
 * `--report-json`, `--fail-on-breaking`, and `zoomgen diff`.
 */
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { GeneratorError } from "../errors.js";
import { GENERATOR_NAME } from "../package-info.js";
import { compareModels, formatJson, formatMarkdown, formatSummary, type ChangeReport } from "./index.js";

/** Exit code of `--fail-on-breaking` when a breaking change is found. */
export const EXIT_BREAKING = 3;

export const REPORT_OPTIONS = {
  report: { type: "string" },
  "report-json": { type: "string" },
  "fail-on-breaking": { type: "boolean", default: false },
} as const;

export interface ReportFlags {
  readonly report?: string | undefined;
  readonly "report-json"?: string | undefined;
  readonly "fail-on-breaking"?: boolean | undefined;
}

/** Prints the summary, writes the requested report files; returns EXIT_BREAKING when asked to fail on a breaking change. */
export async function publishReport(changes: ChangeReport | undefined, flags: ReportFlags): Promise<number> {
  if (changes === undefined) console.log("API changes: no earlier api-surface.json to compare with (it is written now).");
  else console.log(formatSummary(changes));
  const report = changes ?? { bump: "none", breaking: false, apiChanged: false, changes: [] };
  if (flags.report) await writeFile(flags.report, formatMarkdown(report));
  if (flags["report-json"]) await writeFile(flags["report-json"], formatJson(report));
  if (flags["fail-on-breaking"] && report.breaking) {
    console.error(`${GENERATOR_NAME}: breaking API changes (exit ${EXIT_BREAKING}, --fail-on-breaking).`);
    return EXIT_BREAKING;
  }
  return 0;
}

export const DIFF_HELP = `Usage: ${GENERATOR_NAME} diff OLD_SPEC NEW_SPEC [--report FILE.md] [--report-json FILE.json] [--fail-on-breaking]
       ${GENERATOR_NAME} diff --against GIT_REF [SPEC]   (SPEC defaults to spec/zoom.yaml; the old one is read from git)

Prints the API changes between two specs and the semver bump they imply, without generating.
Exit codes: 0 done, 1 invalid input, 2 wrong usage, ${EXIT_BREAKING} breaking changes with --fail-on-breaking.`;

/** `zoomgen diff ...`: returns the exit code. Throws GeneratorError for bad input. */
export async function runDiff(argv: readonly string[], usageError: (message: string) => number): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], strict: true, allowPositionals: true, options: { ...REPORT_OPTIONS, against: { type: "string" }, help: { type: "boolean", short: "h", default: false } } });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(DIFF_HELP);
    return 0;
  }
  const { loadSpec } = await import("../load.js");
  const { buildModel } = await import("../build-model.js");
  let oldSpec: Awaited<ReturnType<typeof loadSpec>>;
  let newSpec: Awaited<ReturnType<typeof loadSpec>>;
  if (values.against !== undefined) {
    if (positionals.length > 1) return usageError("diff --against takes at most one spec");
    newSpec = await loadSpec(positionals[0] ?? "spec/zoom.yaml");
    oldSpec = await loadFromGit(values.against, newSpec.inputFiles, loadSpec);
  } else {
    if (positionals.length !== 2) return usageError("diff needs OLD_SPEC and NEW_SPEC (or --against GIT_REF [SPEC])");
    [oldSpec, newSpec] = await Promise.all([loadSpec(positionals[0]!), loadSpec(positionals[1]!)]);
  }
  const changes = compareModels(buildModel(oldSpec.document), buildModel(newSpec.document));
  return publishReport(changes, values);
}

/**
 * Writes the spec and every file it `$ref`s, as they were at `ref`, into a temporary folder
 * (same relative layout) and loads it there. The files are those the current spec reads.
 */
async function loadFromGit<T>(ref: string, inputFiles: readonly string[], loadSpec: (file: string) => Promise<T>): Promise<T> {
  const specDir = path.dirname(inputFiles[0]!);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: specDir, encoding: "buffer", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  let root: string;
  try {
    root = git("rev-parse", "--show-toplevel").toString("utf8").trim();
  } catch {
    throw new GeneratorError(`--against ${ref}: ${path.relative(process.cwd(), inputFiles[0]!)} is not in a git repository`);
  }
  const temp = await mkdtemp(path.join(os.tmpdir(), "zoomgen-diff-"));
  try {
    for (const file of inputFiles) {
      const relative = path.relative(root, file).split(path.sep).join("/");
      let content: Buffer;
      try {
        content = git("show", `${ref}:${relative}`);
      } catch (error) {
        const reason = String((error as { stderr?: Buffer }).stderr ?? "").trim().split("\n")[0] || "not found";
        // A $ref'd file that did not exist yet is fine as long as the old spec did not use it.
        if (file !== inputFiles[0]) continue;
        throw new GeneratorError(`--against ${ref}: cannot read ${relative} from git: ${reason}`);
      }
      const target = path.join(temp, relative);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    return await loadSpec(path.join(temp, path.relative(root, inputFiles[0]!)));
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
