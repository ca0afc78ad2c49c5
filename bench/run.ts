/**
 * `npm run bench [-- --quick] [-- --only SUITE] [-- --runs N] [-- --peer-runs N]`: the project's benchmarks,
 * printed as markdown (docs/BENCHMARKS.md explains them). Progress goes to stderr, results to stdout.
 * Exit codes: 0 done, 1 a benchmark could not run (one line says why), 2 wrong usage.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { cacheFileFor } from "../generator/cache.js";
import { benchBundle } from "./bundle.js";
import { benchCalls } from "./calls.js";
import { benchGenerate } from "./generate.js";
import { benchInstall } from "./install.js";
import { benchNoOp, benchPeers, benchScaling } from "./peers.js";
import { benchRateBudget } from "./rate-budget.js";
import { benchRuntime } from "./runtime.js";
import { benchStreaming } from "./streaming.js";
import { benchWebhooks } from "./webhooks.js";
import { fmt } from "./stats.js";
import { BenchError, cleanUpAll, sweepStale } from "./support.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const USAGE = "usage: npm run bench [-- --quick] [-- --only generate|peers|scaling|noop|runtime|calls|bundle|webhooks|rate-budget|install|streaming] [-- --runs N] [-- --peer-runs N]";
const SUITES = ["generate", "peers", "scaling", "noop", "runtime", "calls", "bundle", "webhooks", "rate-budget", "install", "streaming"];

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        quick: { type: "boolean", default: false },
        only: { type: "string" },
        runs: { type: "string" },
        "peer-runs": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.only !== undefined && !SUITES.includes(values.only)) {
    console.error(`bench: --only takes ${SUITES.map((s) => `"${s}"`).join(", ")}, not ${JSON.stringify(values.only)}\n${USAGE}`);
    return 2;
  }
  const runs = values.runs === undefined ? (values.quick ? 2 : 7) : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`bench: --runs must be a whole number of at least 1\n${USAGE}`);
    return 2;
  }
  // Runs per tool on the real specs and per point of the scaling curve: GitHub's spec takes a minute a run.
  const peerRuns = values["peer-runs"] === undefined ? (values.quick ? 1 : 3) : Number(values["peer-runs"]);
  if (!Number.isInteger(peerRuns) || peerRuns < 1) {
    console.error(`bench: --peer-runs must be a whole number of at least 1\n${USAGE}`);
    return 2;
  }
  process.chdir(ROOT);
  const swept = sweepStale(
    (dir) => {
      const record = cacheFileFor(path.join(dir, "out"));
      if (record) rmSync(record, { force: true });
    },
    [os.tmpdir(), path.join(ROOT, "node_modules/.cache/zoomgen-bench")],
  );
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const out = (text = "") => process.stdout.write(`${text}\n`);
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(", ");
  /** One suite's results: its heading, its tables, then its notes as a list. */
  const section = (heading: string, tables: readonly string[], notes: readonly string[]) => {
    out();
    out(heading);
    for (const t of tables) {
      out();
      out(t);
    }
    out();
    for (const note of notes) out(`- ${note}`);
  };

  const command = process.env.npm_lifecycle_event === "bench" ? `npm run bench${argv.length ? ` -- ${argv.join(" ")}` : ""}` : `tsx bench/run.ts ${argv.join(" ")}`.trim();
  const loadAtStart = load();
  const startedAt = new Date();
  out(`# zoomgen benchmarks${values.quick ? " (--quick: a smoke run, not figures to quote)" : ""}`);
  out();
  out(`- command: \`${command}\``);
  out(`- started: ${startedAt.toISOString()}, git ${git()}`);
  out(`- machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "unknown CPU"}, ${fmt(os.totalmem() / 2 ** 30, 1)} GB RAM, ${os.platform()} ${os.release()}`);
  out(`- node ${process.version}; load average (1, 5, 15 min) at start: ${loadAtStart}`);
  if (swept > 0) log(`bench: removed ${swept} temp folder(s) an earlier, killed run left in ${os.tmpdir()}`);

  const wanted = (suite: string) => values.only === undefined || values.only === suite;
  if (wanted("generate")) {
    const result = await benchGenerate({ root: ROOT, runs, warmup: !values.quick, log });
    section(`## Generation: spec/zoom.yaml, ${runs} runs each, wall time of the whole process`, [result.table], result.notes);
  }
  const peerOptions = { root: ROOT, runs: peerRuns, quick: values.quick, log };
  if (wanted("peers")) {
    out();
    out(`## Generation against peers on real specs${values.quick ? " (--quick: spec/zoom.yaml and Zoom's published spec, one run)" : ""}`);
    for (const section of await benchPeers(peerOptions)) {
      out();
      out(section);
    }
  }
  if (wanted("scaling")) {
    out();
    out(await benchScaling(peerOptions));
  }
  if (wanted("noop")) {
    out();
    out(await benchNoOp(peerOptions));
  }
  if (wanted("runtime")) {
    const result = await benchRuntime(
      values.quick
        ? { calls: 300, warmup: 50, rounds: 3, concurrency: [1, 16, 64], concurrentCalls: 300, log }
        : { calls: 4000, warmup: 400, rounds: 8, concurrency: [1, 16, 64], concurrentCalls: 4000, log },
    );
    section("## Runtime over HTTP: GET /users/{userId} against the replay server on 127.0.0.1 (recorded 200 body), concurrency 1, 16, 64", result.tables, result.notes);
  }
  if (wanted("calls")) {
    const result = await benchCalls({ root: ROOT, calls: values.quick ? 2000 : 20000, rounds: values.quick ? 3 : runs, log });
    section("## Calls: CPU per call in process (a fetch returning a ready Response)", result.tables, result.notes);
  }
  if (wanted("bundle")) {
    const result = await benchBundle({ root: ROOT, log });
    section("## Bundle: one call, bundled by esbuild (minified, gzipped)", result.tables, result.notes);
  }
  if (wanted("webhooks")) {
    const result = await benchWebhooks(
      values.quick ? { events: 300, warmup: 50, rounds: 3, log } : { events: 3000, warmup: 300, rounds: 5, log },
    );
    section("## Webhooks: receiving one signed Zoom event (user.updated), in process", result.tables, result.notes);
  }
  if (wanted("rate-budget")) {
    const result = await benchRateBudget(values.quick ? { calls: 100, warmup: 20, rounds: 2, log } : { calls: 1000, warmup: 100, rounds: 4, log });
    section("## Rate budget: GET /users/{userId} with and without the shared Redis rate budget (@zoomgen/runtime/redis)", [result.table], result.notes);
  }
  if (wanted("streaming")) {
    // 100 MB even with --quick: the point is that memory does not grow with the size.
    const result = await benchStreaming({ root: ROOT, bytes: 100 * 1024 * 1024, log });
    section("## Streaming: 100 MB up and down through the generated client, memory held by the client", [result.table], result.notes);
  }
  if (wanted("install")) {
    const result = await benchInstall({ root: ROOT, log });
    section("## Install: what a service gets with the Zoom client (`npm install --omit=dev`, from packed tarballs)", [result.table], result.notes);
  }
  out();
  out(`- load average at end: ${load()} (took ${fmt((Date.now() - startedAt.getTime()) / 1000)} s)`);
  return 0;
}

function git(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).split("\n").filter(Boolean).length;
    return dirty ? `${head} + ${dirty} uncommitted changes` : head;
  } catch {
    return "unknown";
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const reason = error instanceof BenchError ? error.message : `internal error: ${(error as Error)?.message ?? String(error)}`;
  process.stderr.write(`bench: ${reason.split("\n")[0]}\n`);
  if (process.env.BENCH_DEBUG && !(error instanceof BenchError)) console.error(error);
  process.exitCode = 1;
} finally {
  cleanUpAll();
}
