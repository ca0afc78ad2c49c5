/**
 * The replay server: a real HTTP server on 127.0.0.1 (ephemeral port) that serves a
 * recorded response exactly — status, headers in their recorded order and casing, body
 * bytes — and records every request it receives exactly as it arrived (method, raw path,
 * query, headers, raw body bytes).
 *
 * One module for the contract tests, `scripts/demo.ts` and the benchmarks:
 *
 * ```ts
 * const server = await startReplayServer();
 * server.respondWith({ status: 200, headers: [["Content-Type", "application/json"]], body: "{}" });
 * server.respondWith(zoomError(404, 1001, "User does not exist: me."));
 * server.respondWith((request) => ({ status: request.method === "GET" ? 200 : 405 }));
 * const client = createZoomClient({ accessToken: "t0k3n", baseUrl: server.url });
 * ...
 * server.lastRequest().path; await server.lastRequest().formData();
 * await server.close();
 * ```
 *
 * Underneath is `startRecordingServer(handler)`, the only code here that starts a server: it
 * records requests the same way and lets a test answer each by hand (`reply()` helps); the
 * fault server (`fault-server.ts`) is built on it too.
 *
 * What "exactly" cannot mean: HTTP forbids a body on 1xx, 204 and 304 responses (and on any
 * answer to HEAD), so a body recorded on those (Zoom's 204 was recorded with `{}`) is not
 * put on the wire — the status and headers still are. Node adds no `Date` header here;
 * it adds `Connection`/`Keep-Alive` and a `Content-Length` when the recording has none.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One request as the server received it. */
export interface RecordedRequest {
  /** Request method as sent, e.g. "PATCH". */
  readonly method: string;
  /** The request target exactly as on the request line: path and query, still percent-encoded. */
  readonly rawPath: string;
  /** The path part of `rawPath` (before `?`), still percent-encoded. */
  readonly path: string;
  /** The query part of `rawPath` without the `?` ("" when there is none), still encoded. */
  readonly rawQuery: string;
  /** The query, decoded, every key/value pair in order (repeated keys kept). */
  readonly query: ReadonlyArray<readonly [string, string]>;
  /** Header names lower-cased, as Node parses them (repeated headers joined). */
  readonly headers: IncomingHttpHeaders;
  /** Header names and values exactly as sent, in order: [name, value, name, value, ...]. */
  readonly rawHeaders: readonly string[];
  /** The body bytes exactly as received (empty when there was no body). */
  readonly body: Buffer;
  /** The body decoded as UTF-8. */
  text(): string;
  /** The body parsed as JSON; throws with the text when it is not JSON. */
  json(): unknown;
  /**
   * The body parsed by the platform's own multipart / urlencoded parser
   * (`new Request(url, { method, headers, body }).formData()`) over the raw bytes.
   */
  formData(): Promise<FormData>;
}

/** A response to serve. `headers` as pairs keeps order, casing and repeated names. */
export interface ReplayResponse {
  readonly status: number;
  /** Reason phrase; Node's default for the status when omitted. */
  readonly statusText?: string;
  readonly headers?: ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string>>;
  /** Body bytes; a string is sent as UTF-8. Omitted or "" sends no body. */
  readonly body?: string | Uint8Array;
  /** Wait this long before answering (for timeouts); default 0. */
  readonly delayMs?: number;
  /** `"reset"`: drop the connection without answering (a network failure for the client). */
  readonly fault?: "reset";
}

export type ReplayHandler = (request: RecordedRequest) => ReplayResponse | Promise<ReplayResponse>;

/**
 * Answers one recorded request by hand. An unanswered response gets an empty 200 when the
 * returned promise settles, and a 599 with the error's text when it rejects; a handler that
 * answers later (or never) returns a promise that settles when the response closes.
 */
export type RecordingHandler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

/** A server on 127.0.0.1 that records every request (see `startRecordingServer`). */
export interface RecordingServer {
  /** Base URL, e.g. `http://127.0.0.1:53124`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Every request received since start (or the last `reset()`), oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** The most recent request; throws a clear error when none has arrived. */
  lastRequest(): RecordedRequest;
  /** Forget the recorded requests. */
  reset(): void;
  /**
   * Ends what earlier work left behind: first lets the event loop accept connections and read
   * requests that were already on their way (a client that gave up on a request may have sent it
   * anyway), then destroys every open connection. Requests still unread on those connections are
   * never recorded nor handled, so the next test counts only its own.
   */
  dropConnections(): Promise<void>;
  /** Stop listening and drop open (keep-alive, hanging) connections. */
  close(): Promise<void>;
}

export interface RecordingServerOptions {
  /** Keep received requests in `requests` (default true; benchmarks turn it off). */
  readonly record?: boolean;
}

export interface ReplayServer extends RecordingServer {
  /** Serve this response (or the handler's answer) to every request from now on. */
  respondWith(response: ReplayResponse | ReplayHandler): void;
}

export interface ReplayServerOptions extends RecordingServerOptions {
  /** The first response to serve; a 500 that says "no response configured" until set. */
  readonly response?: ReplayResponse | ReplayHandler;
}

/** The live API's error shape: JSON `{code, message}` with the error status, as Zoom sends it. */
export function zoomError(
  status: number,
  code: number,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): ReplayResponse {
  return {
    status,
    headers: [
      ["Content-Type", "application/json;charset=UTF-8"],
      ["x-zm-trackingid", `v=2.0;clid=us06;rid=REPLAY_${status}_${code}`],
      ...Object.entries(headers),
    ],
    body: JSON.stringify({ code, message }),
  };
}

/** A JSON response with the given status and body. */
export function jsonResponse(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): ReplayResponse {
  return { status, headers: [["Content-Type", "application/json"], ...Object.entries(headers)], body: JSON.stringify(body) };
}

const NOT_CONFIGURED: ReplayResponse = {
  status: 500,
  headers: [["Content-Type", "text/plain"]],
  body: "replay server: no response configured (call respondWith first)",
};

/**
 * The one place that starts a recording server: listens on 127.0.0.1 (ephemeral port), reads
 * each request's body to the end, records it (unless `record: false`) and hands it to `handler`.
 */
export async function startRecordingServer(handler: RecordingHandler, options: RecordingServerOptions = {}): Promise<RecordingServer> {
  const record = options.record ?? true;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const dropped = new WeakSet<Socket>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", () => res.destroy());
    req.on("end", () => {
      if (dropped.has(req.socket)) return;
      const recorded = recordRequest(req, Buffer.concat(chunks), baseUrl);
      if (record) requests.push(recorded);
      void handle(handler, recorded, res);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    port,
    requests,
    lastRequest() {
      const last = requests[requests.length - 1];
      if (!last) throw new Error("replay server: no request has arrived");
      return last;
    },
    reset() {
      requests.length = 0;
    },
    async dropConnections() {
      // One turn of the event loop polls the listening socket (accepting every pending connection)
      // and the open ones (reading what they already received); two leave no doubt about the order.
      await nextTurn();
      await nextTurn();
      for (const socket of sockets) {
        dropped.add(socket);
        socket.destroy();
      }
      // Let the clients see the closed connections before they pick a pooled one for the next request.
      await nextTurn();
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs the handler; a 599 with the error's text when it fails, an empty 200 when it left the response unanswered. */
async function handle(handler: RecordingHandler, request: RecordedRequest, res: ServerResponse): Promise<void> {
  try {
    await handler(request, res);
  } catch (error) {
    if (!res.headersSent) res.writeHead(599, { "content-type": "text/plain" });
    res.end(String(error));
  }
  if (!res.writableEnded && !res.destroyed && !res.socket?.destroyed) res.end();
}

/** Serves recorded responses (see the top of this file), on `startRecordingServer`. */
export async function startReplayServer(options: ReplayServerOptions = {}): Promise<ReplayServer> {
  let responder: ReplayResponse | ReplayHandler = options.response ?? NOT_CONFIGURED;

  const server = await startRecordingServer(async (recorded, res) => {
    let response: ReplayResponse;
    try {
      response = typeof responder === "function" ? await responder(recorded) : responder;
    } catch (error) {
      response = {
        status: 500,
        headers: [["Content-Type", "text/plain"]],
        body: `replay server: handler failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    if (response.delayMs) await new Promise((resolve) => setTimeout(resolve, response.delayMs));
    if (res.destroyed) return;
    if (response.fault === "reset") {
      res.socket?.destroy();
      return;
    }
    serve(res, response, recorded.method);
  }, options);

  return {
    ...server,
    respondWith(response) {
      responder = response;
    },
  };
}

/** Answers with a status, headers and a body (a string sent as text/plain, an object as JSON; headers override). */
export function reply(
  res: ServerResponse,
  status: number,
  body: string | object = "",
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const contentType = typeof body === "string" ? "text/plain" : "application/json";
  res.writeHead(status, { "content-type": contentType, ...headers });
  res.end(text);
}

function serve(res: ServerResponse, response: ReplayResponse, method: string): void {
  const pairs: Array<readonly [string, string]> = Array.isArray(response.headers)
    ? [...(response.headers as ReadonlyArray<readonly [string, string]>)]
    : Object.entries(response.headers ?? {});
  const body = toBytes(response.body);
  const bodyAllowed = method !== "HEAD" && response.status >= 200 && response.status !== 204 && response.status !== 304;
  const hasLength = pairs.some(([name]) => name.toLowerCase() === "content-length");
  if (bodyAllowed && !hasLength) pairs.push(["Content-Length", String(body.byteLength)]);

  res.sendDate = false;
  // Flat [name, value, ...] keeps the recorded order and casing of every header.
  const flat: string[] = [];
  for (const [name, value] of pairs) flat.push(name, value);
  if (response.statusText !== undefined) res.writeHead(response.status, response.statusText, flat);
  else res.writeHead(response.status, flat);
  res.end(bodyAllowed && body.byteLength > 0 ? body : undefined);
}

function toBytes(body: string | Uint8Array | undefined): Uint8Array {
  if (body === undefined) return new Uint8Array();
  return typeof body === "string" ? Buffer.from(body, "utf8") : body;
}

function recordRequest(req: IncomingMessage, body: Buffer, baseUrl: string): RecordedRequest {
  const rawPath = req.url ?? "";
  const q = rawPath.indexOf("?");
  const path = q === -1 ? rawPath : rawPath.slice(0, q);
  const rawQuery = q === -1 ? "" : rawPath.slice(q + 1);
  const query = [...new URLSearchParams(rawQuery)].map(([k, v]) => [k, v] as const);
  const method = req.method ?? "";
  const headers = req.headers;
  return {
    method,
    rawPath,
    path,
    rawQuery,
    query,
    headers,
    rawHeaders: [...req.rawHeaders],
    body,
    text: () => body.toString("utf8"),
    json() {
      const text = body.toString("utf8");
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new Error(`replay server: ${method} ${rawPath} body is not JSON: ${JSON.stringify(text.slice(0, 200))}`);
      }
    },
    formData() {
      const contentType = headers["content-type"];
      if (!contentType) throw new Error(`replay server: ${method} ${rawPath} has no Content-Type to parse a form by`);
      // GET/HEAD cannot carry a body in a Request; the parse only needs the bytes and the type.
      const parseMethod = method === "GET" || method === "HEAD" ? "POST" : method;
      return new Request(baseUrl + rawPath, {
        method: parseMethod,
        headers: { "content-type": contentType },
        body: new Uint8Array(body),
      }).formData();
    },
  };
}
