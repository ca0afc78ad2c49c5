/**
 * A `fetch(url, init)` over Node's own `node:http`/`node:https`: the full client's default transport in
 * Node. Node 20's global fetch (undici) spends about twice the CPU of `http.request` on a small JSON call
 * (WHATWG Request, its AbortController, header lists; measured in bench/profile-http.ts), which caps a
 * service's requests per second. This keeps fetch's contract for what the runtime sends: it resolves at
 * the response's headers with a streamed body, follows redirects as fetch does (dropping credentials
 * across origins), decodes gzip/deflate/br, honours `init.signal`, and rejects like undici
 * (`TypeError("fetch failed", { cause })`, the signal's reason on abort).
 *
 * Anything else goes to the global fetch unchanged: bodies other than a string or bytes (FormData, Blob,
 * streams), URLs other than http(s), a global fetch that was replaced (msw, a test stub) and an undici
 * dispatcher set by the app (a proxy agent), since this transport would bypass them. Node's modules are
 * taken with `process.getBuiltinModule`, so nothing here is imported where they do not exist (browsers,
 * edge runtimes): there `createNodeHttpFetch` returns undefined. Bundles for browsers do not even carry this
 * module: the runtime imports it as `#node-http-fetch`, which package.json `imports` maps to node-http-fetch.browser.ts.
 */
import { NULL_BODY_STATUSES } from "./send.js";
import { ATTEMPT_CANCEL, BODY_BYTES, WHOLE_BODY, type FetchFunction, type OnAttemptCancel } from "./types.js";

// The little of Node's modules this uses, typed here: the runtime compiles without @types/node.
interface NodeStream {
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: () => void): unknown;
  pause(): unknown;
  resume(): unknown;
  destroy(error?: Error): unknown;
  pipe<T>(destination: T): T;
}
interface IncomingMessage extends NodeStream {
  statusCode?: number;
  statusMessage?: string;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  complete: boolean;
}
interface ClientRequest {
  on(event: "error", listener: (error: Error) => void): unknown;
  destroy(): unknown;
  end(body?: string | Uint8Array): unknown;
}
interface HttpModule {
  request(url: URL, options: { method: string; headers: Record<string, string> }, onResponse: (response: IncomingMessage) => void): ClientRequest;
}
type Decoder = NodeStream;
interface ZlibModule {
  createGunzip(options: object): Decoder;
  createInflate(options: object): Decoder;
  createBrotliDecompress(options: object): Decoder;
  constants: { Z_SYNC_FLUSH: number; BROTLI_OPERATION_FLUSH: number };
}
interface Builtins {
  http: HttpModule;
  https: HttpModule;
  zlib: ZlibModule;
}

// fetch's limit (the Fetch standard, "HTTP-redirect fetch").
const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// undici's symbol for the dispatcher an app installed with setGlobalDispatcher (a ProxyAgent, a MockAgent).
const UNDICI_DISPATCHER = Symbol.for("undici.globalDispatcher.1");

// Node's modules only through process.getBuiltinModule (Node 20.16+, Bun, Deno), undefined elsewhere:
// an import would break bundles for browsers.
function builtins(): Builtins | undefined {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (typeof get !== "function") return undefined;
  const http = get("node:http") as HttpModule | undefined;
  const https = get("node:https") as HttpModule | undefined;
  const zlib = get("node:zlib") as ZlibModule | undefined;
  return http && https && zlib ? { http, https, zlib } : undefined;
}

/** Node's own global fetch, as the runtime found it (undefined when it was already replaced, or not Node). */
const nativeFetch = /* @__PURE__ */ ((): typeof fetch | undefined => {
  const f = (globalThis as { fetch?: typeof fetch }).fetch;
  if (typeof f !== "function") return undefined;
  // Node's is a JS wrapper that loads undici. Bun's, Deno's and workerd's are native and fast: they keep their
  // fetch (their node:http is built on it), and so does a replacement (msw, a stub).
  return Function.prototype.toString.call(f).includes("undici") ? f : undefined;
})();

/**
 * The transport for the current platform: fetch's contract over `node:http(s)` in Node (and runtimes with
 * Node's modules), or undefined where there is none.
 */
export function createNodeHttpFetch(): FetchFunction | undefined {
  const modules = builtins();
  if (modules === undefined) return undefined;
  return (url, init) => {
    if (!handles(url, init)) return globalThis.fetch(url, init);
    const headers = headersOf(init.headers);
    if (typeof init.body === "string") headers["content-type"] ??= "text/plain;charset=UTF-8"; // as fetch labels a string
    return request(modules, new URL(url), methodOf(init.method), headers, bodyOf(init.body), init, 0);
  };
}

/** True when this transport sends it itself (see the module comment for what it leaves to fetch). */
function handles(url: string, init: RequestInit): boolean {
  const global = globalThis as { fetch?: unknown; [UNDICI_DISPATCHER]?: { constructor?: { name?: string } } };
  if (nativeFetch === undefined || global.fetch !== nativeFetch) return false;
  const dispatcher = global[UNDICI_DISPATCHER];
  if (dispatcher !== undefined && dispatcher.constructor?.name !== "Agent") return false;
  if ((init as { dispatcher?: unknown }).dispatcher !== undefined) return false;
  if (!url.startsWith("http://") && !url.startsWith("https://")) return false;
  const body = init.body;
  return body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array || body instanceof ArrayBuffer;
}

// fetch upper-cases these methods only (so `patch` stays as written).
const NORMALIZED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);

function methodOf(method: string | undefined): string {
  if (method === undefined) return "GET";
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

function headersOf(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (value: string, name: string) => {
    const key = name.toLowerCase();
    out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`;
  };
  if (init instanceof Headers) init.forEach(add); // names come lower-case, values combined
  else if (Array.isArray(init)) for (const [name, value] of init) add(value, name);
  else if (init !== undefined) for (const name of Object.keys(init)) add(init[name]!, name);
  return out;
}

const utf8 = new TextEncoder();

function bodyOf(body: BodyInit | null | undefined): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return utf8.encode(body);
  return body instanceof ArrayBuffer ? new Uint8Array(body) : (body as Uint8Array);
}

const ignore = (): void => undefined;
const failed = (cause: unknown): TypeError => new TypeError("fetch failed", { cause });

function request(modules: Builtins, url: URL, method: string, headers: Record<string, string>, body: Uint8Array | undefined, init: RequestInit, redirects: number): Promise<Response> {
  // The runtime's own hook when it offers one (no AbortSignal made for the attempt), else the caller's signal.
  const onCancel = (init as { [ATTEMPT_CANCEL]?: OnAttemptCancel })[ATTEMPT_CANCEL];
  const signal = onCancel === undefined ? (init.signal ?? undefined) : undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  // What fetch adds to a request when the caller did not say.
  headers["accept"] ??= "*/*";
  headers["accept-encoding"] ??= "gzip, deflate, br";
  if (body !== undefined) {
    headers["content-length"] = String(body.byteLength);
  } else if (method === "POST" || method === "PUT" || method === "PATCH") {
    headers["content-length"] = "0";
  }

  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    let response: IncomingMessage | undefined;
    let failBody: ((error: unknown) => void) | undefined;
    let cancelled = false;
    const abort = (reason: unknown) => {
      if (cancelled) return;
      cancelled = true;
      req.destroy();
      response?.destroy();
      if (!settled) {
        settled = true;
        reject(reason);
      } else failBody?.(reason);
    };
    const onAbort = () => abort(signal?.reason);
    const done = () => signal?.removeEventListener("abort", onAbort);
    const client = url.protocol === "https:" ? modules.https : modules.http;
    const req = client.request(url, { method, headers }, (res) => {
      response = res;
      res.on("error", ignore); // an error mid-body reaches the body's reader (webStream); none may go unhandled
      const status = res.statusCode ?? 0;
      const location = res.headers["location"] as string | undefined;
      if (REDIRECT_STATUSES.has(status) && location !== undefined && init.redirect !== "manual") {
        res.resume(); // the redirect's own body is not needed; let the socket be reused
        done();
        settled = true;
        if (init.redirect === "error") return reject(failed(new Error(`unexpected redirect to ${location}`)));
        follow(modules, url, status, location, method, headers, body, init, redirects).then(resolve, reject);
        return;
      }
      if (status < 200 || status > 599) {
        res.destroy();
        done();
        settled = true;
        return reject(failed(new RangeError(`the server answered with status ${status}, which fetch cannot represent`)));
      }
      const responseHeaders = new Headers();
      const raw = res.rawHeaders;
      for (let i = 0; i < raw.length; i += 2) responseHeaders.append(raw[i]!, raw[i + 1]!);
      let stream: ReadableStream<Uint8Array> | null = null;
      let bytes: Promise<ArrayBuffer> | undefined;
      if (method === "HEAD" || NULL_BODY_STATUSES.has(status)) {
        res.resume();
        res.once("end", done);
      } else if ((init as { [WHOLE_BODY]?: boolean })[WHOLE_BODY] === true && onCancel !== undefined) {
        // The runtime reads it all: the bytes beside the response, the Response itself without a body.
        const whole = collect(decoded(modules.zlib, res), done);
        failBody = whole.fail;
        bytes = whole.bytes;
      } else {
        const { readable, fail } = webStream(decoded(modules.zlib, res), done);
        failBody = fail;
        stream = readable;
      }
      let answer: Response;
      try {
        answer = new Response(stream, { status, statusText: res.statusMessage ?? "", headers: responseHeaders });
      } catch {
        // A reason phrase `Response` refuses (control characters): fetch shows none either way.
        answer = new Response(stream, { status, headers: responseHeaders });
      }
      Object.defineProperty(answer, "url", { value: url.href });
      if (bytes !== undefined) Object.defineProperty(answer, BODY_BYTES, { value: bytes });
      if (redirects > 0) Object.defineProperty(answer, "redirected", { value: true });
      settled = true;
      resolve(answer);
    });
    req.on("error", (error) => {
      done();
      if (!settled) {
        settled = true;
        reject(failed(error));
      }
    });
    if (onCancel !== undefined) onCancel(abort);
    else signal?.addEventListener("abort", onAbort, { once: true });
    if (!cancelled) req.end(body);
  });
}

/** The Fetch standard's redirect step for a body this transport can replay (a string or bytes). */
function follow(modules: Builtins, from: URL, status: number, location: string, method: string, headers: Record<string, string>, body: Uint8Array | undefined, init: RequestInit, redirects: number): Promise<Response> {
  if (redirects >= MAX_REDIRECTS) return Promise.reject(failed(new Error("redirect count exceeded")));
  let target: URL;
  try {
    target = new URL(location, from);
  } catch (error) {
    return Promise.reject(failed(error));
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") return Promise.reject(failed(new Error(`URL scheme must be a HTTP(S) scheme: ${target.protocol}`)));
  const next = { ...headers };
  let nextMethod = method;
  let nextBody = body;
  if (((status === 301 || status === 302) && method === "POST") || (status === 303 && method !== "GET" && method !== "HEAD")) {
    nextMethod = "GET";
    nextBody = undefined;
    for (const name of ["content-type", "content-length", "content-encoding", "content-language", "content-location"]) delete next[name];
  }
  if (target.origin !== from.origin) {
    // Credentials are for the origin they were given to (fetch drops these on a cross-origin redirect).
    delete next["authorization"];
    delete next["proxy-authorization"];
    delete next["cookie"];
  }
  delete next["host"];
  return request(modules, target, nextMethod, next, nextBody, init, redirects + 1);
}

/** The body as the server sent it, decoded from the content codings fetch accepts. */
function decoded(zlib: ZlibModule, res: IncomingMessage): NodeStream {
  const coding = (res.headers["content-encoding"] as string | undefined)?.trim().toLowerCase();
  const decoder =
    coding === "gzip" || coding === "x-gzip"
      ? zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH })
      : coding === "deflate"
        ? zlib.createInflate({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH })
        : coding === "br"
          ? zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH })
          : undefined;
  if (decoder === undefined) return res;
  res.on("error", (error: Error) => decoder.destroy(error));
  decoder.on("close", () => {
    if (!res.complete) res.destroy(); // the reader cancelled: free the connection too
  });
  // A connection that ends before the response did must fail the body, not end it early.
  res.on("close", () => {
    if (!res.complete) decoder.destroy(new Error("aborted"));
  });
  return res.pipe(decoder);
}

/**
 * Listens to a body's source once for both readers below: `chunk` for each piece, then `finish` exactly once, with
 * no error at its end, or with undici's `TypeError("terminated")` when it failed or the connection ended early.
 * `fail(reason)` ends it with `reason` (the attempt ended); `cancel()` drops it unfinished (its reader went away).
 */
function drain(source: NodeStream, done: () => void, chunk: (piece: Uint8Array) => void, finish: (error?: unknown) => void): { fail: (reason: unknown) => void; cancel: () => void } {
  let finished = false;
  const end = (error?: unknown) => {
    if (finished) return;
    finished = true;
    done();
    finish(error);
  };
  source.on("data", (piece: Uint8Array) => {
    if (!finished) chunk(piece);
  });
  source.on("end", () => end());
  source.on("error", (error: Error) => end(new TypeError("terminated", { cause: error })));
  source.on("close", () => {
    if ((source as { complete?: boolean }).complete === false) end(new TypeError("terminated", { cause: new Error("other side closed") }));
  });
  return {
    fail: (reason) => {
      source.destroy();
      end(reason);
    },
    cancel: () => {
      finished = true;
      done();
      source.destroy();
    },
  };
}

/** A Node stream read whole into one ArrayBuffer; it fails as `webStream`'s body would. */
function collect(source: NodeStream, done: () => void): { bytes: Promise<ArrayBuffer>; fail: (reason: unknown) => void } {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let settle!: (error?: unknown) => void;
  const bytes = new Promise<ArrayBuffer>((resolve, reject) => {
    settle = (error) => {
      if (error !== undefined) return reject(error);
      const whole = new Uint8Array(size); // a copy: Node's chunks may be views of a larger buffer
      let at = 0;
      for (const piece of chunks) {
        whole.set(piece, at);
        at += piece.byteLength;
      }
      resolve(whole.buffer);
    };
  });
  bytes.catch(ignore); // read by the runtime, or left when the attempt ended first
  const { fail } = drain(source, done, (piece) => {
    chunks.push(piece);
    size += piece.byteLength;
  }, settle);
  return { bytes, fail };
}

/**
 * A Node stream as a web `ReadableStream`, pulled as the reader reads (the source is paused while a
 * chunk waits). An early end of the connection errors the body like undici: `TypeError("terminated")`.
 */
function webStream(source: NodeStream, done: () => void): { readable: ReadableStream<Uint8Array>; fail: (reason: unknown) => void } {
  let body!: ReturnType<typeof drain>;
  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      body = drain(
        source,
        done,
        (piece) => {
          controller.enqueue(new Uint8Array(piece.buffer, piece.byteOffset, piece.byteLength));
          if ((controller.desiredSize ?? 1) <= 0) source.pause();
        },
        (error) => (error === undefined ? controller.close() : controller.error(error)),
      );
    },
    pull() {
      source.resume();
    },
    cancel() {
      body.cancel();
    },
  });
  return { readable, fail: (reason) => body.fail(reason) };
}
