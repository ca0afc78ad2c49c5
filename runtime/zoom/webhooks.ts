/**
 * Receiving Zoom webhooks on the web platform's `Request`/`Response` (Node 20, browsers' workers, edge
 * runtimes, Next.js route handlers), with a small adapter for Node's `http` listeners (and so Express).
 * No dependencies: HMAC through WebCrypto (`crypto.subtle`), which every one of those platforms has.
 *
 * Each request, in this order, gets one clear answer and nothing else:
 *   405 not a POST · 413 body over `maxBodyBytes` (by Content-Length before reading, by counting while
 *   reading) · 401 signature or timestamp header missing or malformed · 401 timestamp outside the window
 *   · 401 signature wrong (HMAC-SHA256 of `v0:{timestamp}:{raw body bytes}`, compared in constant time)
 *   · 401 the same signed request seen before (replay) · 400 not JSON · 400 not a known event · 400 not
 *   valid against the event's schema · 200 URL-validation answer · 204 acknowledged.
 * The secret token is turned into a non-extractable CryptoKey at once and is never put into a message,
 * a log line or an object that `inspect()` could show.
 */
import { ConfigError, type ValidationIssue } from "../errors.js";
import { checkSchema, type Schema } from "../schema-check.js";
import { toIssue } from "../validation.js";

/** The event Zoom sends to check that the app controls its endpoint; answered by the handler itself. */
export const URL_VALIDATION_EVENT = "endpoint.url_validation";

/** Zoom's envelope of every event. */
export interface ZoomWebhookEnvelope {
  readonly event: string;
  readonly event_ts?: number;
  readonly payload?: unknown;
}

/** The events a handler accepts, by name, each with its schema from the spec (generated). */
export type WebhookEventTable = Readonly<Record<string, { readonly schema?: Schema | undefined }>>;

/** What a per-event handler gets besides the typed event. */
export interface WebhookDelivery {
  /** The request's headers (`x-zm-trackingid` is the one Zoom support asks for). */
  readonly headers: Headers;
  /** `x-zm-request-timestamp`: when Zoom sent the request, in seconds since the epoch. */
  readonly timestamp: number;
}

/** One optional handler per event name, each given its own event type. */
export type WebhookHandlers<Event extends ZoomWebhookEnvelope> = {
  readonly [Name in Exclude<Event["event"], typeof URL_VALIDATION_EVENT>]?: (
    event: Extract<Event, { event: Name }>,
    delivery: WebhookDelivery,
  ) => void | Promise<void>;
};

/**
 * Remembers signed requests already accepted, so that a captured request cannot be replayed inside the
 * timestamp window. `claim` returns true the first time it sees `key`, false after; entries may be
 * forgotten after `ttlSeconds`. Share one (for example in Redis: `SET key 1 NX EX ttl`) across instances.
 */
export interface ReplayGuard {
  claim(key: string, ttlSeconds: number): boolean | Promise<boolean>;
}

/** A handler that threw (or a replay guard that failed); given to `onError`. */
export interface WebhookFailure {
  /** The event name, or "" when the failure came before the event was read. */
  readonly event: string;
  readonly error: unknown;
}

export interface WebhookHandlerOptions<Event extends ZoomWebhookEnvelope> {
  /** The app's webhook secret token (Zoom Marketplace → your app → Features → Secret Token). */
  readonly secretToken: string;
  /** Per-event handlers. A known event without a handler is acknowledged and dropped. */
  readonly handlers: WebhookHandlers<Event>;
  /** How far `x-zm-request-timestamp` may be from now, either way, in seconds. Default 300. */
  readonly toleranceSeconds?: number;
  /** Largest body accepted, in bytes. Default 1 MiB (Zoom's events are a few kB). */
  readonly maxBodyBytes?: number;
  /**
   * When Zoom gets its answer. `"before-handler"` (default): 204 at once, the handler runs afterwards
   * (errors go to `onError`; Zoom does not retry). `"after-handler"`: the handler is awaited, 204 when it
   * resolves, 500 when it throws (so Zoom retries: keep such handlers well under Zoom's 3 seconds).
   */
  readonly acknowledge?: "before-handler" | "after-handler";
  /** Called when a handler throws or the replay guard fails. Default: `console.error`. */
  readonly onError?: (failure: WebhookFailure) => void;
  /** Replay protection; default one in memory per handler (per process). `false` turns it off. */
  readonly replayGuard?: ReplayGuard | false;
  /** Check each event against its schema from the spec (400 when it does not match). Default true. */
  readonly validate?: boolean;
}

/** Per-request extras; pass `waitUntil` on edge runtimes so work after the answer is not cut off. */
export interface WebhookRequestContext {
  readonly waitUntil?: (promise: Promise<unknown>) => void;
}

/** `Request → Response`: use it as a Next.js route handler, a Worker's `fetch`, or through `toNodeListener`. */
export type WebhookHandler = (request: Request, context?: WebhookRequestContext) => Promise<Response>;

const DEFAULT_TOLERANCE_SECONDS = 300;
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const SIGNATURE_PATTERN = /^v0=([0-9a-fA-F]{64})$/;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;
const encoder = new TextEncoder();
// Derived from the globals, so the file compiles with the DOM lib and with only @types/node alike.
type Subtle = (typeof globalThis)["crypto"]["subtle"];
type HmacKey = Awaited<ReturnType<Subtle["importKey"]>>;

/** Builds the `Request → Response` handler for the events in `events` (the generated table). */
export function createWebhookHandler<Event extends ZoomWebhookEnvelope>(
  events: WebhookEventTable,
  options: WebhookHandlerOptions<Event>,
): WebhookHandler {
  const settings = checkOptions(events, options);
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) throw new ConfigError("Zoom webhooks need WebCrypto (globalThis.crypto.subtle); this platform has none");
  const key = subtle.importKey("raw", encoder.encode(options.secretToken), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  key.catch(() => undefined); // a failure is reported by the first request that needs the key
  const handlers = options.handlers as Readonly<Record<string, ((event: unknown, delivery: WebhookDelivery) => void | Promise<void>) | undefined>>;
  const knownNames = Object.keys(events).filter((name) => name !== URL_VALIDATION_EVENT).sort();
  const reportFailure = (failure: WebhookFailure): void => {
    try {
      settings.onError(failure);
    } catch {
      // an onError that throws must not turn into an unhandled rejection
    }
  };

  return async (request, context) => {
    if (request.method !== "POST") return refuse(405, "method_not_allowed", "Zoom webhooks are POST requests.", { allow: "POST" });
    const declaredLength = request.headers.get("content-length");
    if (declaredLength !== null && Number(declaredLength) > settings.maxBodyBytes) return tooLarge(settings.maxBodyBytes);

    const signatureHeader = request.headers.get("x-zm-signature");
    const timestampHeader = request.headers.get("x-zm-request-timestamp");
    if (signatureHeader === null || timestampHeader === null) {
      return refuse(401, "missing_signature", "The x-zm-signature and x-zm-request-timestamp headers are required.");
    }
    const signature = SIGNATURE_PATTERN.exec(signatureHeader.trim())?.[1];
    if (signature === undefined) return refuse(401, "invalid_signature", "The x-zm-signature header is not v0= followed by 64 hex digits.");
    const timestampText = timestampHeader.trim();
    if (!TIMESTAMP_PATTERN.test(timestampText)) {
      return refuse(401, "stale_timestamp", "The x-zm-request-timestamp header is not a time in seconds since the epoch.");
    }
    const timestamp = Number(timestampText);
    if (Math.abs(Date.now() / 1000 - timestamp) > settings.toleranceSeconds) {
      return refuse(401, "stale_timestamp", `The x-zm-request-timestamp is more than ${settings.toleranceSeconds} seconds from now.`);
    }

    const body = await readLimited(request, settings.maxBodyBytes);
    if (body === "too-large") return tooLarge(settings.maxBodyBytes);
    if (body === "unreadable") return refuse(400, "unreadable_body", "The request body could not be read to its end (the sender stopped?).");

    const hmacKey = await key;
    const expected = await hmac(subtle, hmacKey, concatBytes(encoder.encode(`v0:${timestampText}:`), body));
    if (!constantTimeEqual(expected, hexToBytes(signature))) {
      return refuse(401, "invalid_signature", "The x-zm-signature header does not match the request body.");
    }

    if (settings.replayGuard !== false) {
      let firstTime: boolean;
      try {
        // A request may be accepted from `tolerance` before its timestamp to `tolerance` after it.
        firstTime = await settings.replayGuard.claim(`${timestampText}:${signature.toLowerCase()}`, 2 * settings.toleranceSeconds + 1);
      } catch (error) {
        reportFailure({ event: "", error });
        return refuse(500, "replay_check_failed", "The replay check failed; Zoom will retry.");
      }
      if (!firstTime) return refuse(401, "replayed", "This signed request was already received.");
    }

    const parsed = parseJson(body);
    if (!isRecord(parsed) || typeof parsed.event !== "string") {
      return refuse(400, "invalid_json", "The body is not a JSON Zoom event with a string \"event\".");
    }
    const name = parsed.event;
    const entry = Object.hasOwn(events, name) ? events[name] : undefined; // never a prototype's "constructor"

    if (name === URL_VALIDATION_EVENT) {
      const payload = isRecord(parsed.payload) ? parsed.payload : {};
      const issues = entry?.schema ? validateWebhookEvent(entry.schema, parsed) : [];
      if (typeof payload.plainToken !== "string" || payload.plainToken === "" || issues.length > 0) {
        return refuse(400, "invalid_payload", "The URL validation event has no plainToken.");
      }
      const encryptedToken = toHex(await hmac(subtle, hmacKey, encoder.encode(payload.plainToken)));
      return json(200, { plainToken: payload.plainToken, encryptedToken });
    }

    if (entry === undefined) {
      const shown = name.length > 100 ? `${name.slice(0, 100)}...` : name;
      return refuse(400, "unknown_event", `Unknown event ${JSON.stringify(shown)}: this endpoint accepts ${knownNames.join(", ") || "no events"}.`);
    }
    if (settings.validate && entry.schema) {
      const issues = validateWebhookEvent(entry.schema, parsed);
      if (issues.length > 0) {
        const shown = issues.slice(0, 5).map((i) => `${i.path} (${i.rule}: ${i.message})`).join("; ");
        return refuse(400, "invalid_payload", `The ${name} event does not match its schema: ${shown}`);
      }
    }

    const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
    if (handler === undefined) return new Response(null, { status: 204 });
    const delivery: WebhookDelivery = { headers: request.headers, timestamp };

    if (settings.acknowledge === "after-handler") {
      try {
        await handler(parsed, delivery);
      } catch (error) {
        reportFailure({ event: name, error });
        return refuse(500, "handler_failed", `The handler for ${name} failed; Zoom will retry.`);
      }
      return new Response(null, { status: 204 });
    }
    // Acknowledge first: the handler starts on a later task, so even synchronous work waits for the answer.
    const run = new Promise<void>((resolve) => setTimeout(resolve, 0))
      .then(() => handler(parsed, delivery))
      .catch((error: unknown) => reportFailure({ event: name, error }));
    context?.waitUntil?.(run);
    return new Response(null, { status: 204 });
  };
}

/**
 * Checks an event against its schema (a `{ body: event }` schema, as the generator emits it) and names
 * each field at fault (`event.payload.object.id`). The one place this module touches validation.
 */
export function validateWebhookEvent(schema: Schema, event: unknown): ValidationIssue[] {
  const reported = checkSchema(schema, { path: {}, query: {}, body: event });
  return reported.map(toIssue).map((issue) => ({ ...issue, path: issue.path.replace(/^body/, "event") }));
}

/** A replay guard in this process's memory; entries expire after their TTL. */
export function createMemoryReplayGuard(): ReplayGuard {
  const expiries = new Map<string, number>();
  return {
    claim(key, ttlSeconds) {
      const now = Date.now();
      // Entries are added with one TTL, so the oldest expire first: stop at the first live one.
      for (const [seenKey, expiresAt] of expiries) {
        if (expiresAt > now) break;
        expiries.delete(seenKey);
      }
      if (expiries.has(key)) return false;
      expiries.set(key, now + ttlSeconds * 1000);
      return true;
    },
  };
}

interface Settings {
  readonly toleranceSeconds: number;
  readonly maxBodyBytes: number;
  readonly acknowledge: "before-handler" | "after-handler";
  readonly onError: (failure: WebhookFailure) => void;
  readonly replayGuard: ReplayGuard | false;
  readonly validate: boolean;
}

function checkOptions<Event extends ZoomWebhookEnvelope>(events: WebhookEventTable, options: WebhookHandlerOptions<Event>): Settings {
  if (!isRecord(options)) throw new ConfigError("Zoom webhook options must be an object with secretToken and handlers");
  if (typeof options.secretToken !== "string" || options.secretToken.trim() === "") {
    throw new ConfigError("secretToken must be the app's webhook secret token (a non-empty string)");
  }
  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (!Number.isFinite(toleranceSeconds) || toleranceSeconds <= 0) throw new ConfigError("toleranceSeconds must be a positive number of seconds");
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) throw new ConfigError("maxBodyBytes must be a positive whole number of bytes");
  const acknowledge = options.acknowledge ?? "before-handler";
  if (acknowledge !== "before-handler" && acknowledge !== "after-handler") {
    throw new ConfigError('acknowledge must be "before-handler" or "after-handler"');
  }
  if (!isRecord(options.handlers)) throw new ConfigError("handlers must be an object of per-event functions");
  for (const [name, handler] of Object.entries(options.handlers)) {
    if (name === URL_VALIDATION_EVENT) throw new ConfigError(`${URL_VALIDATION_EVENT} is answered by the webhook handler itself; remove its handler`);
    if (!Object.hasOwn(events, name)) {
      const known = Object.keys(events).filter((n) => n !== URL_VALIDATION_EVENT).sort();
      throw new ConfigError(`handlers.${name}: not an event of this API (known: ${known.join(", ") || "none"})`);
    }
    if (typeof handler !== "function" && handler !== undefined) throw new ConfigError(`handlers.${name} must be a function`);
  }
  const replayGuard = options.replayGuard ?? createMemoryReplayGuard();
  if (replayGuard !== false && typeof replayGuard.claim !== "function") throw new ConfigError("replayGuard must have a claim(key, ttlSeconds) method, or be false");
  return {
    toleranceSeconds,
    maxBodyBytes,
    acknowledge,
    onError: options.onError ?? ((failure) => console.error(`Zoom webhook handler for ${failure.event || "a request"} failed:`, failure.error)),
    replayGuard,
    validate: options.validate ?? true,
  };
}

/** The whole body; "too-large" as soon as it passes `limit` bytes (the rest is never read). */
async function readLimited(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | "too-large" | "unreadable"> {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>;
    try {
      chunk = await reader.read();
    } catch {
      return "unreadable";
    }
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > limit) {
      void reader.cancel().catch(() => undefined);
      return "too-large";
    }
    chunks.push(chunk.value);
  }
  return concatBytes(...chunks);
}

async function hmac(subtle: Subtle, key: HmacKey, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await subtle.sign("HMAC", key, data));
}

/** Equal lengths are compared byte by byte without an early exit, so timing says nothing about where they differ. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

function refuse(status: number, error: string, message: string, headers: Record<string, string> = {}): Response {
  return json(status, { error, message }, headers);
}

function tooLarge(limit: number): Response {
  // The rest of the body is not read, so the connection cannot be reused.
  return refuse(413, "body_too_large", `The request body is larger than ${limit} bytes.`, { connection: "close" });
}

// ---------------------------------------------------------------------------------------------------
// Node's http (and Express, which passes the same objects): structural types, so this file needs no
// Node typings and stays importable on every platform.

/** The part of Node's `IncomingMessage` the adapter reads. */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Set by body-parsing middleware (Express `express.raw()` gives a Buffer, `express.json()` an object). */
  readonly body?: unknown;
}

/** The part of Node's `ServerResponse` the adapter writes. */
export interface NodeResponseLike {
  statusCode: number;
  readonly headersSent?: boolean;
  setHeader(name: string, value: string): unknown;
  end(chunk?: Uint8Array): unknown;
}

/**
 * `(req, res)` listener for `http.createServer`, and Express/Connect middleware (`app.post(path, listener)`):
 * mount it before any JSON body parser, or behind `express.raw({ type: "*\/*" })`, because the signature
 * covers the raw bytes. A body already parsed into an object is refused with 500 and a message saying so.
 */
export function toNodeListener(handler: WebhookHandler): (req: NodeRequestLike, res: NodeResponseLike) => void {
  return (req, res) => {
    serveNode(handler, req, res).catch(() => undefined); // serveNode answers every failure itself
  };
}

async function serveNode(handler: WebhookHandler, req: NodeRequestLike, res: NodeResponseLike): Promise<void> {
  let response: Response;
  try {
    const request = toWebRequest(req);
    response = request === undefined
      ? refuse(500, "body_already_parsed", "A body parser read this request before the webhook handler: mount the handler before it (the signature covers the raw bytes).")
      : await handler(request);
  } catch {
    response = refuse(500, "internal_error", "The webhook endpoint failed.");
  }
  const body = new Uint8Array(await response.arrayBuffer());
  if (res.headersSent === true) {
    res.end();
    return;
  }
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(body);
}

function toWebRequest(req: NodeRequestLike): Request | undefined {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (value !== undefined) for (const item of value) headers.append(name, item);
  }
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "http://localhost");
  } catch {
    url = new URL("http://localhost/");
  }
  const method = (req.method ?? "GET").toUpperCase();
  if (method === "GET" || method === "HEAD") return new Request(url, { method, headers });
  let body: NonNullable<RequestInit["body"]>;
  if (req.body instanceof Uint8Array) body = new Uint8Array(req.body); // a copy with a plain ArrayBuffer
  else if (req.body !== undefined && req.body !== null) return undefined;
  else body = streamOf(req);
  return new Request(url, { method, headers, body, duplex: "half" } as RequestInit);
}

/** The request body as a web stream, read only as fast as the handler asks (so a size limit stops it). */
function streamOf(source: AsyncIterable<Uint8Array | string>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(typeof value === "string" ? encoder.encode(value) : value);
    },
    // Nothing on cancel: ending the iterator would destroy the socket before the 413 is written.
  });
}
