/**
 * Runtime benchmark: one GET /users/{userId} against THE replay server (test/support/replay-server.ts,
 * `record: false`) on 127.0.0.1, which serves the recorded 200 of the `get-a-user` Postman item.
 * Six contenders, same server, same body, each resolving to the parsed user:
 *
 *   - the generated client: `zoom.users.getUser(...)` (validation + encoding + transport + decoding), over its
 *     default transport in Node (node:http, runtime/node-http-fetch.ts) and over the global fetch;
 *   - plain openapi-fetch: `client.GET("/users/{userId}", ...)` typed by the same generated `paths`;
 *   - bare `fetch` + `response.json()`;
 *   - and, to show what the gap to bare fetch is made of: the generated client without its timeout, and bare fetch
 *     given the same 60 s timeout signal as the client's default.
 *
 * Sequential calls (each timed alone), then a concurrent run (`concurrency` calls in flight), split into
 * rounds whose contender order rotates, so drift in the machine's load does not favour one of them;
 * requests per second are the median over rounds. The server runs in a process of its own
 * (bench/runtime-server.ts), as a real API does: the clients do not share their event loop (and GC
 * pauses) with it, and the CPU figures are the clients' alone.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { fmt, median, orderFor, quantile, ratio, table } from "./stats.js";
import { BenchError } from "./support.js";
import type { paths } from "../generated/index.js";
import { loadFixtures } from "../test/support/postman.js";

export interface RuntimeBenchOptions {
  /** Sequential calls per contender (after `warmup` untimed ones). */
  readonly calls: number;
  readonly warmup: number;
  readonly rounds: number;
  /** Calls in flight at once in each concurrent run (requests per second are reported per level), and calls per contender in each. */
  readonly concurrency: readonly number[];
  readonly concurrentCalls: number;
  readonly log: (line: string) => void;
}

interface Contender {
  readonly name: string;
  readonly call: () => Promise<unknown>;
}

interface Samples {
  /** Per-call latency, ms. */
  readonly latencies: number[];
  /** Sum of the rounds' wall times, ms. */
  wallMs: number;
  /** Calls per second of each round. */
  readonly rates: number[];
  /** CPU time (user + system) of this process during the rounds, µs: the client's (the server runs apart). */
  cpuUs: number;
  calls: number;
}

const TOKEN = "bench-token";

export async function benchRuntime(options: RuntimeBenchOptions): Promise<{ tables: string[]; notes: string[] }> {
  const gc = exposeGc();
  const heap = (): number => {
    gc();
    return process.memoryUsage().heapUsed / 2 ** 20;
  };
  const heapAtStart = heap();

  const fixture = loadFixtures().find((f) => f.file === "get-a-user.json");
  const recorded = fixture?.item.response.find((r) => r.code === 200);
  if (!recorded?.body) throw new BenchError("test/fixtures/postman/get-a-user.json has no recorded 200 response with a body");
  const expected = JSON.parse(recorded.body) as { email?: unknown };

  const server = await startServerProcess();
  try {
    const [{ createZoomClient }, { default: createClient }] = await Promise.all([import("../generated/index.js"), import("openapi-fetch")]).catch(
      (error: unknown) => {
        throw new BenchError(`cannot load the generated client or openapi-fetch (run \`npm ci\`, \`npm run generate\`): ${(error as Error).message}`);
      },
    );
    const zoom = createZoomClient({ accessToken: TOKEN, baseUrl: server.url });
    const zoomOverFetch = createZoomClient({ accessToken: TOKEN, baseUrl: server.url, fetch: (url, init) => fetch(url, init) });
    const plain = createClient<paths>({ baseUrl: server.url, headers: { Authorization: `Bearer ${TOKEN}` } });
    const contenders: Contender[] = [
      { name: "zoomgen client `zoom.users.getUser`", call: () => zoom.users.getUser({ path: { userId: "me" } }) },
      {
        name: "openapi-fetch `client.GET`",
        call: async () => {
          const { data, error, response } = await plain.GET("/users/{userId}", { params: { path: { userId: "me" } } });
          if (error !== undefined) throw new BenchError(`openapi-fetch: HTTP ${response.status}`);
          return data;
        },
      },
      {
        name: "bare `fetch` + `json()`",
        call: async () => {
          const response = await fetch(`${server.url}/users/me`, { headers: { Authorization: `Bearer ${TOKEN}` } });
          if (!response.ok) throw new BenchError(`fetch: HTTP ${response.status}`);
          return response.json();
        },
      },
      // The same client over Node's global fetch (undici), the transport it used before node-http-fetch.ts.
      { name: "zoomgen over the global `fetch`", call: () => zoomOverFetch.users.getUser({ path: { userId: "me" } }) },
      // Two rows that show what the goal's gap is made of: the default 60 s timeout's signal, which Node 20's
      // fetch pays for per request (a listener, a WeakRef and a FinalizationRegistry entry), on either side.
      { name: "zoomgen, `timeoutMs: Infinity` (no signal)", call: () => zoom.users.getUser({ path: { userId: "me" }, timeoutMs: Infinity }) },
      {
        name: "bare `fetch` + `json()`, `AbortSignal.timeout(60 s)`",
        call: async () => {
          const response = await fetch(`${server.url}/users/me`, { headers: { Authorization: `Bearer ${TOKEN}` }, signal: AbortSignal.timeout(60_000) });
          if (!response.ok) throw new BenchError(`fetch: HTTP ${response.status}`);
          return response.json();
        },
      },
    ];

    // Same answer from everyone, and warm JITs and connection pools, before any timing.
    for (const c of contenders) {
      const data = (await c.call()) as { email?: unknown } | undefined;
      if (data?.email !== expected.email) throw new BenchError(`${c.name} did not resolve to the recorded user (email ${String(data?.email)})`);
    }
    options.log(`runtime: ${options.warmup} warm-up calls each, then ${options.calls} sequential calls each in ${options.rounds} rounds`);
    for (const round of [0, 1]) for (const c of orderFor(contenders, round)) await sequential(c, Math.ceil(options.warmup / 2));
    const heapAfterWarmup = heap();

    const seq = new Map(contenders.map((c): [Contender, Samples] => [c, { latencies: [], wallMs: 0, rates: [], cpuUs: 0, calls: 0 }]));
    const levels = options.concurrency.map((inFlight) => ({
      inFlight,
      samples: new Map(contenders.map((c): [Contender, Samples] => [c, { latencies: [], wallMs: 0, rates: [], cpuUs: 0, calls: 0 }])),
    }));
    const perRound = Math.ceil(options.calls / options.rounds);
    for (let round = 0; round < options.rounds; round++) {
      for (const c of orderFor(contenders, round)) add(seq.get(c)!, await sequential(c, perRound));
    }
    const perRoundConc = Math.ceil(options.concurrentCalls / options.rounds);
    for (const level of levels) {
      options.log(`runtime: ${options.concurrentCalls} calls each with ${level.inFlight} in flight, in ${options.rounds} rounds`);
      for (let round = 0; round < options.rounds; round++) {
        for (const c of orderFor(contenders, round)) add(level.samples.get(c)!, await concurrent(c, perRoundConc, level.inFlight));
      }
    }
    const heapBeforeGc = process.memoryUsage().heapUsed / 2 ** 20;
    const heapAtEnd = heap();

    const bare = contenders[2]!; // every ratio is against bare fetch
    const baseSeq = median(seq.get(bare)!.latencies);
    const throughput = (s: Samples) => median(s.rates);
    const seqRows = contenders.map((c) => {
      const s = seq.get(c)!;
      const m = median(s.latencies);
      return [
        c.name,
        fmt(m * 1000),
        fmt(quantile(s.latencies, 0.95) * 1000),
        fmt(throughput(s)),
        ratio(m, baseSeq),
        fmt((m - baseSeq) * 1000),
        fmt(cpuPerCall(s)),
        ratio(cpuPerCall(s), cpuPerCall(seq.get(bare)!)),
      ];
    });
    const concTables = levels.map(({ inFlight, samples }) => {
      const rows = contenders.map((c) => {
        const s = samples.get(c)!;
        return [
          c.name,
          fmt(throughput(s)),
          ratio(throughput(s), throughput(samples.get(bare)!)),
          fmt(median(s.latencies) * 1000),
          fmt(quantile(s.latencies, 0.95) * 1000),
          fmt(cpuPerCall(s)),
          ratio(cpuPerCall(s), cpuPerCall(samples.get(bare)!)),
        ];
      });
      return (
        `Concurrency ${inFlight} (${fmt(samples.get(contenders[0]!)!.calls)} calls each, ${inFlight} in flight; goal: requests/s at least 0.95× bare fetch):\n\n` +
        table(["client", "requests/s", "req/s vs fetch", "median µs", "p95 µs", "CPU µs/call", "CPU vs fetch"], rows)
      );
    });

    return {
      tables: [
        `Sequential (${fmt(seq.get(contenders[0]!)!.calls)} calls each, one at a time):\n\n` +
          table(["client", "median µs", "p95 µs", "calls/s", "latency vs fetch", "overhead µs", "CPU µs/call", "CPU vs fetch"], seqRows),
        ...concTables,
        `Heap used (after a forced GC, this process: the clients):\n\n` +
          table(
            ["when", "heap MB"],
            [
              ["at start", fmt(heapAtStart, 1)],
              ["clients loaded, warmed up", fmt(heapAfterWarmup, 1)],
              ["after all runs, before GC", fmt(heapBeforeGc, 1)],
              ["after all runs", fmt(heapAtEnd, 1)],
            ],
          ),
      ],
      notes: [
        "The server runs in a process of its own (bench/runtime-server.ts) on the same machine; requests/s is the median over rounds of each round's calls/s; 'overhead µs' is the median latency's difference to bare fetch.",
        "CPU µs/call is this (the clients') process's user + system time over the calls: less sensitive than latency to other processes on the machine (undici's and the GC's helper threads count too).",
        "The generated client is imported from generated/*.ts through tsx (esbuild strips the types; the code that runs is the same).",
      ],
    };
  } finally {
    await server.close();
  }
}

/** Starts bench/runtime-server.ts in its own node process (through tsx, like this bench) and waits for its URL. */
async function startServerProcess(): Promise<{ url: string; close: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", new URL("./runtime-server.ts", import.meta.url).pathname], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = once(child, "exit");
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([once(lines, "line").then(([line]) => String(line)), exited.then(() => undefined)]);
  const url = first === undefined ? undefined : (JSON.parse(first) as { url?: string }).url;
  if (url === undefined) {
    child.kill();
    throw new BenchError("the runtime bench's server process did not start (bench/runtime-server.ts)");
  }
  return {
    url,
    close: async () => {
      child.stdin!.end();
      await exited;
    },
  };
}

/** `count` calls one after another, each timed. */
async function sequential(c: Contender, count: number): Promise<Samples> {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await c.call();
    latencies.push(performance.now() - t0);
  }
  const wallMs = performance.now() - started;
  return { latencies, wallMs, rates: [count / (wallMs / 1000)], cpuUs: cpuSince(cpu), calls: count };
}

/** `count` calls with `inFlight` workers, each call timed from its own start. */
async function concurrent(c: Contender, count: number, inFlight: number): Promise<Samples> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next++ < count) {
      const t0 = performance.now();
      await c.call();
      latencies.push(performance.now() - t0);
    }
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  const wallMs = performance.now() - started;
  return { latencies, wallMs, rates: [count / (wallMs / 1000)], cpuUs: cpuSince(cpu), calls: count };
}

function add(into: Samples, from: Samples): void {
  into.latencies.push(...from.latencies);
  into.wallMs += from.wallMs;
  into.rates.push(...from.rates);
  into.cpuUs += from.cpuUs;
  into.calls += from.calls;
}

const cpuPerCall = (s: Samples): number => s.cpuUs / s.calls;

function cpuSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return user + system;
}

/** `global.gc` without needing `--expose-gc` on the command line. */
function exposeGc(): () => void {
  if (typeof globalThis.gc === "function") return globalThis.gc as () => void;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}
