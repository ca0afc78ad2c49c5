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
  const post = method === "POST";
  return new Response(JSON.stringify(post ? GROUP : USER), { status: post ? 201 : 200, headers: { "content-type": "application/json" } });
}

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

    const zoom = createZoomClient({ accessToken: TOKEN, baseUrl: BASE, fetch: readyFetch });
    // Without the two features that cost most per call: input validation and the per-attempt timeout.
    const bareZoom = createZoomClient({ accessToken: TOKEN, baseUrl: BASE, fetch: readyFetch, validate: false, timeoutMs: Infinity });
    const plain = createClient<paths>({ baseUrl: BASE, fetch: readyFetch, headers: { Authorization: `Bearer ${TOKEN}` } });
    heyClient.client.setConfig({ baseUrl: BASE, fetch: readyFetch, auth: TOKEN });
    const heyGetUser = hey["getUser"];
    const heyCreateImGroup = hey["createImGroup"];
    if (heyGetUser === undefined || heyCreateImGroup === undefined) throw new BenchError("hey-api's sdk has no getUser/createImGroup");
    const dataOf = async (result: Promise<{ data?: unknown; error?: unknown }>, who: string) => {
      const { data, error } = await result;
      if (error !== undefined) throw new BenchError(`${who}: the call failed`);
      return data;
    };
    const bare = async (request: Request): Promise<unknown> => {
      const response = await readyFetch(request);
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
        get: () => bare(new Request(`${BASE}/users/me?login_type=100`, { headers: { Authorization: `Bearer ${TOKEN}` } })),
        post: () =>
          bare(
            new Request(`${BASE}/im/groups`, {
              method: "POST",
              headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
              body: JSON.stringify(NEW_GROUP),
            }),
          ),
      },
    ];
    for (const c of contenders) {
      const user = (await c.get()) as { email?: unknown };
      const group = (await c.post()) as { id?: unknown };
      if (user?.email !== USER.email || group?.id !== GROUP.id) throw new BenchError(`${c.name} did not resolve to the answered data`);
    }

    const tables: string[] = [];
    for (const kind of ["get", "post"] as const) {
      options.log(`calls: ${kind.toUpperCase()}, ${options.calls} calls each in each of ${options.rounds} rounds`);
      const perRound = new Map(contenders.map((c): [Contender, number[]] => [c, []]));
      for (const c of contenders) await loop(c[kind], Math.ceil(options.calls / 4)); // warm-up
      for (let round = 0; round < options.rounds; round++) {
        for (const c of orderFor(contenders, round)) perRound.get(c)!.push(await loop(c[kind], options.calls));
      }
      const cpu = (c: Contender) => median(perRound.get(c)!);
      const openapiFetch = cpu(contenders[2]!);
      const bareFetch = cpu(contenders[4]!);
      tables.push(
        `${kind === "get" ? "GET /users/{userId}?login_type=100" : "POST /im/groups (JSON body, 201)"}:\n\n` +
          table(
            ["client", "CPU µs/call (median of rounds)", "vs openapi-fetch", "vs bare fetch"],
            contenders.map((c) => [c.name, fmt(cpu(c), 1), ratio(cpu(c), openapiFetch), ratio(cpu(c), bareFetch)]),
          ),
      );
    }
    return {
      tables,
      notes: [
        "Each contender's fetch is a function returning a ready Response: no socket, no server; the CPU is the client's (and undici's Request/Response objects, which every contender builds).",
        "The zoomgen client runs with its defaults: input validation on, a 60 s timeout per attempt, retries configured (none happen). The second row turns off validation and the timeout: without a timeout or a caller's signal an attempt needs no AbortSignal, and in Node 20 a Request given one costs about 30 µs more.",
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
