/**
 * Generation benchmark: each tool as a real child process (`node <the tool's JS entry>`, never
 * through npx) on spec/zoom.yaml, `runs` times each, contenders in a rotating order per round.
 * Every output goes to a temp folder under os.tmpdir() that is removed afterwards, and so is the
 * zoomgen cache record each temp output folder gets in node_modules/.cache/zoomgen.
 */
import { existsSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { cacheFileFor } from "../generator/cache.js";
import { fmt, max, median, min, orderFor, ratio, table } from "./stats.js";
import { BenchError, TIME_BIN, tempDir, timeNode, type Timed } from "./support.js";

export interface GenerateBenchOptions {
  readonly root: string;
  readonly runs: number;
  /** One untimed run of each contender first (disk cache, lazy compilation of tsx's cache). */
  readonly warmup: boolean;
  readonly log: (line: string) => void;
}

interface Contender {
  readonly name: string;
  readonly what: string;
  /** One timed run; throws a BenchError when the tool fails or did not do what the row is named for. */
  readonly run: () => Promise<Timed>;
}

const SPEC = "spec/zoom.yaml";

export async function benchGenerate(options: GenerateBenchOptions): Promise<{ table: string; notes: string[] }> {
  const { root } = options;
  const missing: string[] = [];
  const entry = (relative: string) => {
    if (!existsSync(path.join(root, relative))) missing.push(relative);
    return path.join(root, relative);
  };
  const tsx = entry("node_modules/tsx/dist/cli.mjs");
  const openapiTs = entry("node_modules/openapi-typescript/bin/cli.js");
  // bin/run.js of @hey-api/openapi-ts only spawns a second node on dist/run.mjs; we spawn that directly.
  const heyApi = entry("node_modules/@hey-api/openapi-ts/dist/run.mjs");
  entry(SPEC);
  if (missing.length > 0) throw new BenchError(`missing ${missing.join(", ")}: run \`npm ci\` (tsx, openapi-typescript and @hey-api/openapi-ts are in package.json)`);
  const built = path.join(root, "dist/generator/cli.js");
  const notes: string[] = [];

  const zoomgenSrc = [tsx, "generator/cli.ts"];
  const removeCacheRecord = (out: string) => () => {
    const file = cacheFileFor(out);
    if (file) rmSync(file, { force: true });
  };

  /** A run into a fresh, empty output folder, removed right after. */
  const fresh = (label: string, args: (out: string) => string[], expect?: RegExp) => async () => {
    const temp = tempDir(label);
    const out = path.join(temp.dir, "out");
    try {
      const timed = await timeNode(label, args(out), root);
      if (expect && !expect.test(timed.stdout)) throw new BenchError(`${label}: unexpected output: ${timed.stdout.trim().split("\n")[0]}`);
      if (!existsSync(out)) throw new BenchError(`${label} wrote nothing to ${out}`);
      return timed;
    } finally {
      temp.remove();
    }
  };

  // One in-sync output folder (with its cache record) for the cached re-run and --check.
  const sync = tempDir("in-sync", (dir) => removeCacheRecord(path.join(dir, "out"))());
  const syncOut = path.join(sync.dir, "out");
  const prime = () => timeNode("zoomgen (priming the in-sync folder)", [...zoomgenSrc, "--out", syncOut], root);
  let reprimes = 0;
  /** A run in the in-sync folder; when an edit to generator/, runtime/ or templates/ meanwhile made it stale, prime it again once. */
  const inSync = (label: string, args: string[], expect: RegExp) => async () => {
    for (let attempt = 0; ; attempt++) {
      let timed: Timed | undefined;
      try {
        timed = await timeNode(label, [...zoomgenSrc, ...args, "--out", syncOut], root);
      } catch (error) {
        if (attempt > 0 || !(error instanceof BenchError)) throw error;
      }
      if (timed && expect.test(timed.stdout)) return timed;
      if (attempt > 0) throw new BenchError(`${label}: expected ${String(expect)} twice in a row, got: ${timed?.stdout.trim() ?? "a failure"}`);
      reprimes++;
      await prime();
    }
  };

  const contenders: Contender[] = [
    {
      name: "zoomgen full (tsx)",
      what: "`tsx generator/cli.ts --no-cache`, empty out dir",
      run: fresh("zoomgen full (tsx)", (out) => [...zoomgenSrc, "--no-cache", "--out", out], /^Wrote /),
    },
  ];
  if (existsSync(built)) {
    contenders.push({
      name: "zoomgen full (dist)",
      what: "`node dist/generator/cli.js --no-cache`, empty out dir",
      run: fresh("zoomgen full (dist)", (out) => [built, "--no-cache", "--out", out], /^Wrote /),
    });
    notes.push(`dist/generator/cli.js measured as built at ${statSync(built).mtime.toISOString()} (\`npm run build\` makes it; it may lag the sources).`);
  } else {
    notes.push("dist/generator/cli.js does not exist (`npm run build` makes it): only the tsx entry was measured.");
  }
  contenders.push(
    {
      name: "zoomgen cached no-op",
      what: "`tsx generator/cli.ts` again into an in-sync out dir",
      run: inSync("zoomgen cached no-op", [], /unchanged inputs/),
    },
    {
      name: "zoomgen --check (cached)",
      what: "`--check` on the in-sync dir, cache record present",
      run: inSync("zoomgen --check", ["--check"], /is in sync/),
    },
    {
      name: "zoomgen --check --no-cache",
      what: "`--check` on the in-sync dir as fresh CI does it",
      run: inSync("zoomgen --check --no-cache", ["--check", "--no-cache"], /is in sync/),
    },
    {
      name: "openapi-typescript",
      what: "`openapi-typescript` CLI: types only (baseline)",
      run: fresh("openapi-typescript", (out) => [openapiTs, SPEC, "-o", path.join(out, "openapi.ts")]),
    },
    {
      name: "@hey-api/openapi-ts",
      what: "`openapi-ts -c @hey-api/client-fetch`: types + SDK + fetch client",
      // "./": a bare "spec/zoom.yaml" is read as a Hey API registry shorthand ("org/project").
      run: fresh("@hey-api/openapi-ts", (out) => [heyApi, "-i", `./${SPEC}`, "-o", out, "-c", "@hey-api/client-fetch"]),
    },
  );

  const samples = new Map<Contender, Timed[]>(contenders.map((c) => [c, []]));
  try {
    options.log(`generate: priming the in-sync folder ${syncOut}`);
    await prime();
    if (options.warmup) {
      options.log("generate: one untimed warm-up run of each contender");
      for (const c of contenders) await c.run();
    }
    for (let round = 0; round < options.runs; round++) {
      const order = orderFor(contenders, round);
      options.log(`generate: round ${round + 1}/${options.runs}: ${order.map((c) => c.name).join(" → ")}`);
      for (const c of order) samples.get(c)!.push(await c.run());
    }
  } finally {
    sync.remove();
  }
  if (reprimes > 0) notes.push(`the in-sync folder went stale ${reprimes} time(s) during the run (sources edited meanwhile) and was primed again; those samples were re-taken.`);
  if (!TIME_BIN) notes.push("/usr/bin/time is missing here: no CPU time or peak RSS.");
  notes.push("CPU ms is user + system time of the process tree (GNU time): less sensitive than wall time to other processes on the machine.");
  notes.push("zoomgen via tsx is two node processes (tsx's CLI spawns the script's process); peak RSS is that of the largest process.");

  const base = samples.get(contenders.find((c) => c.name === "openapi-typescript")!)!;
  const baseline = median(base.map((s) => s.ms));
  const cpuBaseline = median(base.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs])));
  const rows = contenders.map((c) => {
    const ms = samples.get(c)!.map((s) => s.ms);
    const rss = samples.get(c)!.flatMap((s) => (s.rssMb === undefined ? [] : [s.rssMb]));
    const cpu = samples.get(c)!.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]));
    return [
      c.name,
      fmt(median(ms)),
      fmt(min(ms)),
      fmt(max(ms)),
      ratio(median(ms), baseline),
      cpu.length ? fmt(median(cpu)) : "n/a",
      cpu.length ? ratio(median(cpu), cpuBaseline) : "n/a",
      rss.length ? fmt(median(rss)) : "n/a",
    ];
  });
  const header = ["tool", "median wall ms", "min ms", "max ms", "wall vs openapi-typescript", "CPU ms", "CPU vs openapi-typescript", "peak RSS MB"];
  const legend = contenders.map((c) => `${c.name}: ${c.what}`);
  return { table: table(header, rows), notes: [...legend, ...notes] };
}
