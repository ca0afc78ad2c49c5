/**
 * CPU per call, in process: every contender gets a `fetch` that returns a ready `Response` (no network,
 * no server), so the figure is the client's own work: building the request, validating, reading and
 * parsing the body. Two calls of spec/zoom.yaml:
 *
 *   - GET /users/{userId}?login_type=100 (`getUser`: a path and a query parameter);
 *   - POST /im/groups with a JSON body (`createImGroup`, answered 201 with JSON).
 *
 * Contenders: the generated client, openapi-fetch (typed by the generated `paths`), hey-api's fetch
 * client + sdk generated for the same spec into a temp folder, and bare `fetch` semantics (one `Request`,
 * the ready `Response`, `json()`). Rounds rotate the order; the figure is the median over rounds of
 * (process CPU time / calls).
 *
 * Two stand-ins for the network, each a table: one that only answers (what each client builds for its
 * fetch is its own cost: openapi-fetch and hey-api build a `Request`, zoomgen calls `fetch(url, init)`
 * and builds none), and one that first does what the global `fetch` does with its arguments,
 * `new Request(input, init)` (reading `init.signal`), so each client also pays for the `Request` it
 * would cost the global fetch: one for zoomgen (following the attempt's signal), two for openapi-fetch
 * and hey-api (theirs, and fetch's copy, which follows the first one's signal).
 */
import path from "node:path";
import { fmt, median, orderFor, ratio, table } from "./stats.js";
import { generateHeyApi } from "./bundle.js";
import { BenchError, tempDir } from "./support.js";
import type { paths } from "../generated/index.js";

export interface CallsBenchOptions {
  readonly root: string;
  readonly calls: number;
  readonly rounds: number;
  readonly log: (line: string) => void;
}

interface Contender {
  readonly name: string;
  readonly get: () => Promise<unknown>;
  readonly post: () => Promise<unknown>;
}

const TOKEN = "bench-token";
const BASE = "https://api.zoom.us/v2";
const USER = { id: "KDcuGIm1QgePTO8WbOqwIQ", first_name: "Jill", last_name: "Chill", email: "jchill@example.com", type: 1, status: "active" };
const GROUP = { id: "3b6c6b6c", name: "Developers", type: "normal", total_members: 0 };
const NEW_GROUP = { name: "Developers", type: "normal" as const };

/** A `fetch` that answers at once: 201 with the group for a POST, 200 with the user otherwise. */
async function readyFetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  const method = input instanceof Request ? input.method : (init?.method ?? "GET");
  return answer(method);
}

/** The same answers, after building the `Request` the global `fetch` builds from its arguments (`new Request(input, init)`). */
async function requestBuildingFetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  return answer(new Request(input, init).method);
}

function answer(method: string): Response {
  const post = method === "POST";
  return new Response(JSON.stringify(post ? GROUP : USER), { status: post ? 201 : 200, headers: { "content-type": "application/json" } });
}

type StandIn = typeof readyFetch;
const STAND_INS: readonly { name: string; fetch: StandIn }[] = [
  { name: "a fetch that only answers", fetch: readyFetch },
  { name: "a fetch that builds its Request as the global fetch does (`new Request(input, init)`), then answers", fetch: requestBuildingFetch },
];

export async function benchCalls(options: CallsBenchOptions): Promise<{ tables: string[]; notes: string[] }> {
  const temp = tempDir("calls");
  try {
    const heyDir = path.join(temp.dir, "hey-api");
    options.log("calls: generating hey-api's client for spec/zoom.yaml");
    await generateHeyApi(path.join(options.root, "spec/zoom.yaml"), heyDir);
    const [{ createZoomClient }, { default: createClient }, hey, heyClient] = await Promise.all([
      import("../generated/index.js"),
      import("openapi-fetch"),
      import(path.join(heyDir, "sdk.gen.ts")) as Promise<Record<string, (options: object) => Promise<{ data?: unknown; error?: unknown }>>>,
      import(path.join(heyDir, "client.gen.ts")) as Promise<{ client: { setConfig(config: object): void } }>,
    ]).catch((error: unknown) => {
      throw new BenchError(`cannot load a contender (run \`npm ci\`, \`npm run generate\`): ${(error as Error).message}`);
    });

    const heyGetUser = hey["getUser"];
    const heyCreateImGroup = hey["createImGroup"];
    if (heyGetUser === undefined || heyCreateImGroup === undefined) throw new BenchError("hey-api's sdk has no getUser/createImGroup");
    const dataOf = async (result: Promise<{ data?: unknown; error?: unknown }>, who: string) => {
      const { data, error } = await result;
      if (error !== undefined) throw new BenchError(`${who}: the call failed`);
      return data;
    };
    const tables: string[] = [];
    for (const standIn of STAND_INS) {
      const zoom = createZoomClient({ accessToken: TOKEN, baseUrl: BASE, fetch: standIn.fetch });
      // Without the two features that cost most per call: input validation and the per-attempt timeout.
      const bareZoom = createZoomClient({ accessToken: TOKEN, baseUrl: BASE, fetch: standIn.fetch, validate: false, timeoutMs: Infinity });
      const plain = createClient<paths>({ baseUrl: BASE, fetch: standIn.fetch, headers: { Authorization: `Bearer ${TOKEN}` } });
      heyClient.client.setConfig({ baseUrl: BASE, fetch: standIn.fetch, auth: TOKEN });
      // Bare code builds one Request either way: its own (given to a fetch that only answers), or fetch's.
      const bare = async (url: string, init: RequestInit): Promise<unknown> => {
        const response = standIn.fetch === readyFetch ? await readyFetch(new Request(url, init)) : await standIn.fetch(url, init);
        if (!response.ok) throw new BenchError(`fetch: HTTP ${response.status}`);
        return response.json();
      };
      const contenders: Contender[] = [
        {
          name: "zoomgen client",
          get: () => zoom.users.getUser({ path: { userId: "me" }, query: { login_type: 100 } }),
          post: () => zoom.imGroups.createImGroup({ body: NEW_GROUP }),
        },
        {
          name: "zoomgen client, validate: false, timeoutMs: Infinity",
          get: () => bareZoom.users.getUser({ path: { userId: "me" }, query: { login_type: 100 } }),
          post: () => bareZoom.imGroups.createImGroup({ body: NEW_GROUP }),
        },
        {
          name: "openapi-fetch",
          get: () => dataOf(plain.GET("/users/{userId}", { params: { path: { userId: "me" }, query: { login_type: 100 } } }), "openapi-fetch"),
          post: () => dataOf(plain.POST("/im/groups", { body: NEW_GROUP }), "openapi-fetch"),
        },
        {
          name: "hey-api fetch client",
          get: () => dataOf(heyGetUser({ path: { userId: "me" }, query: { login_type: 100 } }), "hey-api"),
          post: () => dataOf(heyCreateImGroup({ body: NEW_GROUP }), "hey-api"),
        },
        {
          name: "bare fetch + json()",
          get: () => bare(`${BASE}/users/me?login_type=100`, { headers: { Authorization: `Bearer ${TOKEN}` } }),
          post: () =>
            bare(`${BASE}/im/groups`, {
              method: "POST",
              headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
              body: JSON.stringify(NEW_GROUP),
            }),
        },
      ];
      for (const c of contenders) {
        const user = (await c.get()) as { email?: unknown };
        const group = (await c.post()) as { id?: unknown };
        if (user?.email !== USER.email || group?.id !== GROUP.id) throw new BenchError(`${c.name} did not resolve to the answered data`);
      }

      for (const kind of ["get", "post"] as const) {
        options.log(`calls (${standIn.name}): ${kind.toUpperCase()}, ${options.calls} calls each in each of ${options.rounds} rounds`);
        const perRound = new Map(contenders.map((c): [Contender, number[]] => [c, []]));
        for (const c of contenders) await loop(c[kind], Math.ceil(options.calls / 4)); // warm-up
        for (let round = 0; round < options.rounds; round++) {
          for (const c of orderFor(contenders, round)) perRound.get(c)!.push(await loop(c[kind], options.calls));
        }
        const cpu = (c: Contender) => median(perRound.get(c)!);
        const openapiFetch = cpu(contenders[2]!);
        const bareFetch = cpu(contenders[4]!);
        tables.push(
          `${kind === "get" ? "GET /users/{userId}?login_type=100" : "POST /im/groups (JSON body, 201)"}, ${standIn.name}:\n\n` +
            table(
              ["client", "CPU µs/call (median of rounds)", "vs openapi-fetch", "vs bare fetch"],
              contenders.map((c) => [c.name, fmt(cpu(c), 1), ratio(cpu(c), openapiFetch), ratio(cpu(c), bareFetch)]),
            ),
        );
      }
    }
    return {
      tables,
      notes: [
        "Each contender's fetch is a function returning a ready Response: no socket, no server; the CPU is the client's and that of the undici objects it makes (Request, Response).",
        "zoomgen calls its fetch as fetch(url, init) and makes the attempt's AbortSignal only when the fetch reads init.signal: with the first stand-in it builds no Request and no signal; with the second, the stand-in's Request follows the signal, as the global fetch's does. openapi-fetch and hey-api always build a Request and pass it to their fetch.",
        "The zoomgen client runs with its defaults: input validation on, a 60 s timeout per attempt, retries configured (none happen). The second row turns off validation and the timeout.",
        "Goal (issue 8): at most 1.3× openapi-fetch.",
      ],
    };
  } finally {
    temp.remove();
  }
}

/** CPU µs per call over `count` sequential calls. */
async function loop(call: () => Promise<unknown>, count: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) await call();
  const { user, system } = process.cpuUsage(start);
  return (user + system) / count;
}
