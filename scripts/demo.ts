/**
 * `npm run demo` (tsx scripts/demo.ts): the generated Zoom client at work.
 *
 * Without credentials it starts the replay server on 127.0.0.1 and calls all five operations
 * with the values of the recorded Postman items, printing what went over the wire and what came
 * back — the recorded success, then a Zoom error as the live API sends it.
 *
 * With ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET set it calls the real API with
 * Server-to-Server OAuth instead: only the read-only getUser for `me`, unless `--all` is passed
 * (then the four writing operations too, with the recorded placeholder values).
 */
import { createZoomClient } from "../generated/index.js";
import type { OperationModel } from "../generator/model.js";
import {
  loadContract,
  replayOf,
  specResponse,
  type Contract,
  type ContractCase,
  type PostmanResponse,
  type TypedInput,
} from "../test/support/postman.js";
import { startReplayServer, zoomError, type RecordedRequest } from "../test/support/replay-server.js";

type Call = Promise<unknown> & { withResponse(): Promise<{ data: unknown; status: number; headers: Headers }> };
type Method = (input: Record<string, unknown>) => Call;

const WIDTH = Math.max(80, Math.min(process.stdout.columns ?? 100, 120));
const MARGIN = 12;
const out = (line = "") => process.stdout.write(`${line}\n`);

/** A labelled value, wrapped to the terminal's width under its label. */
function indent(label: string, text: string): void {
  const room = WIDTH - MARGIN;
  text.split("\n").forEach((line, i) => {
    wrap(line, room).forEach((chunk, j) => out(`   ${(i === 0 && j === 0 ? label : "").padEnd(MARGIN - 3)}${chunk}`));
  });
}

/** Splits a line to `room` columns, after a comma, space, `&` or `/` where there is one. */
function wrap(line: string, room: number): string[] {
  const chunks: string[] = [];
  let rest = line;
  while (rest.length > room) {
    let cut = -1;
    for (let i = room; i > room / 2; i--) {
      if (",& /".includes(rest[i - 1]!)) {
        cut = i;
        break;
      }
    }
    if (cut === -1) cut = room;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  chunks.push(rest);
  return chunks;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}… (${text.length - max + 1} more characters)` : text;
}

/** Compact JSON for short values, at most ~4 lines' worth; `undefined` said in words. */
function show(value: unknown, max = 4 * (WIDTH - MARGIN)): string {
  return value === undefined ? "(nothing: undefined)" : clip(JSON.stringify(value), max);
}

function methodOf(client: unknown, c: ContractCase): Method {
  const group = c.match!.group;
  const operation = c.match!.operation;
  const resource = (client as Record<string, Record<string, Method>>)[group.propertyName];
  const method = resource?.[operation.methodName];
  if (typeof method !== "function") throw new Error(`the client has no ${group.propertyName}.${operation.methodName}()`);
  return method.bind(resource);
}

/** One line for an error, never a stack trace. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const e = error as Error & { status?: number; code?: number; zoomMessage?: string; trackingId?: string };
  if (typeof e.status === "number") {
    const parts = [`${e.name} (HTTP ${e.status})`];
    if (e.zoomMessage) parts.push(`: ${e.zoomMessage}`);
    if (e.code !== undefined) parts.push(` [Zoom code ${e.code}]`);
    if (e.trackingId) parts.push(` [tracking id ${e.trackingId}]`);
    return parts.join("");
  }
  return `${e.name}: ${e.message}`;
}

function printSent(request: RecordedRequest): void {
  indent("sent", `${request.method} ${request.rawPath}`);
  indent("", `Authorization: ${String(request.headers.authorization ?? "(none)")}`);
  if (request.body.byteLength > 0) {
    indent("", `Content-Type: ${String(request.headers["content-type"] ?? "")}`);
    indent("", clip(request.text(), 4 * (WIDTH - MARGIN)));
  }
}

/** The recorded success to replay: a 2xx the spec documents with content, else the first 2xx. */
function successOf(c: ContractCase, operation: OperationModel): PostmanResponse | undefined {
  const oks = c.fixture.item.response.filter((r) => r.code >= 200 && r.code < 300);
  return oks.find((r) => specResponse(operation.responses, r.code)?.bodyKind !== "empty" && (r.body ?? "") !== "") ?? oks[0];
}

/** The first `{code, message}` example of an error response in the spec, for the operation. */
function firstErrorExample(contract: Contract, operation: OperationModel): { status: number; code: number; message: string } | undefined {
  const paths = contract.document.paths as Record<string, Record<string, { responses?: Record<string, unknown> }>>;
  const responses = paths[operation.path]?.[operation.method.toLowerCase()]?.responses ?? {};
  for (const [status, response] of Object.entries(responses)) {
    if (Number(status) < 400) continue;
    const media = (response as { content?: Record<string, { example?: unknown; examples?: Record<string, { value?: unknown }> }> }).content?.[
      "application/json"
    ];
    const value = (media?.example ?? Object.values(media?.examples ?? {})[0]?.value) as { code?: unknown; message?: unknown } | undefined;
    if (typeof value?.code === "number" && typeof value.message === "string") {
      return { status: Number(status), code: value.code, message: value.message };
    }
  }
  return undefined;
}

async function replayDemo(contract: Contract): Promise<number> {
  const server = await startReplayServer();
  let failures = 0;
  try {
    const zoom = createZoomClient({ accessToken: "demo-token", baseUrl: server.url });
    out(`Zoom client demo: replaying the recorded Postman items on ${server.url} (no network, no credentials).`);
    out("Set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET to call the real Zoom API instead.");
    let n = 0;
    for (const c of contract.cases) {
      n += 1;
      out();
      if (!c.match || !c.input) {
        out(`${n}. ${c.name}: skipped — ${c.problem?.message ?? "no operation in the spec"}`);
        failures += 1;
        continue;
      }
      const { group, operation } = c.match;
      out(`${n}. ${c.name} — zoom.${group.propertyName}.${operation.methodName}()   ${operation.method} ${operation.path}`);
      indent("input", show(c.input));

      const success = successOf(c, operation);
      if (success) {
        server.reset();
        server.respondWith(replayOf(success));
        try {
          const result = await methodOf(zoom, c)({ ...c.input }).withResponse();
          printSent(server.lastRequest());
          const type = result.headers.get("content-type");
          indent("received", `${result.status} ${success.status}${type ? `, Content-Type: ${type}` : ""}`);
          indent("data", show(result.data));
          const location = result.headers.get("content-location");
          if (location) indent("", `Content-Location: ${location}`);
        } catch (error) {
          if (server.requests.length > 0) printSent(server.lastRequest());
          indent("failed", describeError(error));
          failures += 1;
        }
      }

      const example = firstErrorExample(contract, operation);
      if (example) {
        server.respondWith(zoomError(example.status, example.code, example.message));
        try {
          await methodOf(zoom, c)({ ...c.input, retry: false });
          indent("error?", `expected an error for ${example.status}, the call succeeded`);
          failures += 1;
        } catch (error) {
          indent("if Zoom", `answers ${example.status} ${JSON.stringify({ code: example.code, message: example.message })}:`);
          indent("", `→ ${describeError(error)}`);
        }
      }
    }
  } finally {
    await server.close();
  }
  out();
  const total = contract.cases.length;
  out(failures === 0 ? `All ${total} operations behaved as recorded.` : `${failures} of ${total} call(s) did not behave as recorded.`);
  return failures === 0 ? 0 : 1;
}

async function liveDemo(contract: Contract, all: boolean): Promise<number> {
  const oauth = {
    accountId: process.env.ZOOM_ACCOUNT_ID ?? "",
    clientId: process.env.ZOOM_CLIENT_ID ?? "",
    clientSecret: process.env.ZOOM_CLIENT_SECRET ?? "",
  };
  out("Zoom client demo: calling the real Zoom API with Server-to-Server OAuth.");
  let zoom: unknown;
  try {
    zoom = (createZoomClient as unknown as (options: Record<string, unknown>) => unknown)({ oauth });
  } catch (error) {
    out(`Could not create the client: ${describeError(error)}`);
    out("(The demo passes `oauth: { accountId, clientId, clientSecret }`; this needs a client whose runtime has Server-to-Server OAuth.)");
    return 1;
  }
  const getUser = contract.cases.find((c) => c.match?.operation.id === "getUser");
  const chosen = all ? contract.cases : getUser ? [getUser] : [];
  if (all) out("--all: also calling the writing operations, with the recorded placeholder values (expect Zoom errors).");
  let failures = 0;
  for (const c of chosen) {
    out();
    if (!c.match || !c.input) {
      out(`${c.name}: skipped — ${c.problem?.message ?? "no operation in the spec"}`);
      continue;
    }
    const { group, operation } = c.match;
    const input: TypedInput = c === getUser ? { path: { userId: "me" } } : c.input;
    out(`${c.name} — zoom.${group.propertyName}.${operation.methodName}()   ${operation.method} ${operation.path}`);
    indent("input", show(input));
    try {
      const result = await methodOf(zoom, c)({ ...input }).withResponse();
      indent("received", String(result.status));
      const data = result.data as Record<string, unknown> | undefined;
      if (c === getUser && data) {
        for (const key of ["id", "first_name", "last_name", "email", "type", "status", "timezone"]) {
          if (data[key] !== undefined) indent("", `${key}: ${String(data[key])}`);
        }
      } else {
        indent("data", show(data));
      }
    } catch (error) {
      indent("error", describeError(error));
      if (c === getUser) failures += 1;
    }
  }
  return failures === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== "--all");
  if (unknown.length > 0) {
    out(`Unknown argument(s): ${unknown.join(" ")}. Usage: npm run demo [-- --all]`);
    return 2;
  }
  const contract = await loadContract();
  const env = ["ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"];
  const set = env.filter((name) => process.env[name]);
  if (set.length === env.length) return liveDemo(contract, args.includes("--all"));
  if (set.length > 0) out(`Note: ${env.filter((n) => !process.env[n]).join(", ")} not set, so replaying instead of calling Zoom.\n`);
  return replayDemo(contract);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`demo failed: ${describeError(error)}\n`);
    process.exitCode = 1;
  },
);
