/**
 * One attempt: send a request and read its whole body, within a timeout and under the caller's
 * `AbortSignal`. The body is buffered so that the timeout covers it, a connection reset mid-body is
 * a network failure (retryable) rather than a broken response handed to the caller, and an error
 * body can be inspected (Zoom code 124) before the retry decision.
 */
import { AbortError, NetworkError, TimeoutError, SdkError, type RequestDetails } from "./errors.js";
import { BODY_BYTES, type FetchFunction, type OnAttemptCancel } from "./types.js";
import type { Secrets } from "./redact.js";

/** How to send one attempt. */
export interface AttemptOptions {
  fetch: FetchFunction;
  /** Ms from sending until the body has arrived; `Infinity` for none. */
  timeoutMs: number;
  /** The caller's signal. */
  signal: AbortSignal | undefined;
  /** The request, for messages (URL already without credentials). */
  info: RequestDetails;
  /** This attempt's number, from 1. */
  attempt: number;
  secrets: Secrets;
  /** Return a 2xx at its headers with the body unread (the caller's signal still cancels it). */
  streamResponse?: boolean;
}

/** A failed attempt that got no answer; `sent` is false when the connection was refused. */
export class AttemptFailure {
  readonly error: NetworkError | TimeoutError | AbortError;
  readonly sent: boolean;

  constructor(error: NetworkError | TimeoutError | AbortError, sent: boolean) {
    this.error = error;
    this.sent = sent;
  }
}

// Responses to these statuses have no body, and `new Response` refuses one.
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);
// setTimeout fires at once for delays beyond 2^31 - 1 ms, so longer timeouts mean "none".
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A response whose body has been read whole: `response` keeps the status and headers (its body is used up, or null from node-http-fetch). */
export interface BufferedAnswer {
  response: Response;
  /**
   * The body's bytes; null for statuses that have none (204, 304...); undefined when the body was left
   * unread for the caller to stream (`streamResponse`), in `response.body`.
   */
  body: ArrayBuffer | null | undefined;
}

/**
 * Sends `fetch(url, init)` (with the attempt's signal) and returns the response with its body fully read.
 * Throws `AttemptFailure` (wrapping `NetworkError`, `TimeoutError` or `AbortError`) when no complete
 * answer arrived.
 */
export async function sendAttempt(url: string, init: RequestInit, options: AttemptOptions): Promise<Response> {
  return rewrap(await sendBuffered((signal) => options.fetch(url, signal === undefined ? init : { ...init, signal: signal() }), options));
}

/** The answer as a fresh `Response` whose body can be read (for callers that need one, such as openapi-fetch). */
export function rewrap({ response, body }: BufferedAnswer): Response {
  if (body === undefined) return response; // streamed: the body is still the response's own
  const buffered = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(buffered, "url", { value: response.url });
  return buffered;
}

/**
 * `sendAttempt` without re-wrapping: the response and its bytes, so a call reads the body once and
 * builds no second `Response`. `send(signal)` starts the request (`options.fetch` is not called here);
 * `signal`, when given, returns the attempt's `AbortSignal`, made on the first call: a fetch that never
 * reads `init.signal` (a stand-in, a cache) costs the attempt no `AbortController`, and one that does
 * gets a signal that is already aborted if the attempt ended first.
 */
export async function sendBuffered(send: (signal: (() => AbortSignal) | undefined, onCancel?: OnAttemptCancel) => Promise<Response>, options: AttemptOptions): Promise<BufferedAnswer> {
  const { info, attempt, signal, timeoutMs } = options;
  if (signal?.aborted) {
    throw new AttemptFailure(new AbortError(`${whatOf(info)} was aborted by its AbortSignal before it was sent (${whereOf(info)}).`, errorOptions(info, attempt, signal.reason)), false);
  }

  let headersReceived = false;
  const timed = timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS;
  if (!timed && signal === undefined) {
    // Nothing can abort this attempt (no timeout, no caller signal): no signal, timer or race to set up.
    try {
      const response = await send(undefined);
      headersReceived = true;
      if (options.streamResponse === true && response.ok) return { response, body: undefined };
      return { response, body: NULL_BODY_STATUSES.has(response.status) ? null : await (bytesOf(response) ?? response.arrayBuffer()) };
    } catch (error) {
      throw attemptFailure(error, options, headersReceived, false);
    }
  }

  // One controller per attempt, made when the fetch asks for its signal and aborted by the timer or the
  // caller's signal; nothing listens on it but fetch, and the same two callbacks end the awaited step (`settle`) (no
  // listener of our own, no AbortSignal.any).
  let controller: AbortController | undefined;
  let ended = false;
  let endReason: unknown;
  const attemptSignal = (): AbortSignal => {
    if (controller === undefined) {
      controller = new AbortController();
      if (ended) controller.abort(endReason);
    }
    return controller.signal;
  };
  // A transport that registers here (ATTEMPT_CANCEL) is told of the end directly, with no AbortController.
  let cancel: ((reason: unknown) => void) | undefined;
  const onCancel: OnAttemptCancel = (fn) => {
    if (ended) fn(endReason);
    else cancel = fn;
  };
  let timedOut = false;
  let streaming = false;
  // A custom fetch may ignore the signal; `settle` still ends each awaited step on time: `end` rejects the
  // step in progress through `stop`. (Not `Promise.race` against a promise that settles only on `end`: in
  // process that cost a call about 15 µs of scavenges, measured with --trace-gc.)
  let stop: (reason: unknown) => void = noop;
  const settle = <T>(step: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      stop = reject;
      if (ended) reject(endReason);
      step().then(resolve, reject);
    });
  const end = (reason: unknown) => {
    ended = true;
    endReason = reason;
    controller?.abort(reason);
    cancel?.(reason);
    stop(reason);
  };
  const onAbort = () => end(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  if (timed) keepTimerList(timeoutMs);
  const timer = timed
    ? setTimeout(() => {
        timedOut = true;
        end(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs)
    : undefined;

  try {
    const response = await settle(() => send(attemptSignal, onCancel));
    headersReceived = true;
    if (options.streamResponse === true && response.ok) {
      streaming = true;
      return { response, body: undefined };
    }
    const body = NULL_BODY_STATUSES.has(response.status) ? null : await settle(() => bytesOf(response) ?? response.arrayBuffer());
    return { response, body };
  } catch (error) {
    throw attemptFailure(error, options, headersReceived, timedOut);
  } finally {
    clearTimeout(timer);
    if (!streaming) signal?.removeEventListener("abort", onAbort); // a streamed body stays cancellable
  }
}

const noop = (): void => undefined;

/** The body's bytes when the runtime's own transport kept them beside the response (`BODY_BYTES`). */
const bytesOf = (response: Response): Promise<ArrayBuffer> | undefined => (response as { [BODY_BYTES]?: Promise<ArrayBuffer> })[BODY_BYTES];

// Node keeps one list of timers per duration and drops it when its last timer is cleared, so sequential
// attempts would each build the list again and re-arm libuv's timer (about 12 µs per attempt, measured).
// One idle, unref'd timer per duration in use keeps the list: each attempt's timer is then a cheap
// append and unlink. It ends by itself after one period, so nothing lingers once calls stop.
const timerListKeepers = new Map<number, ReturnType<typeof setTimeout>>();

function keepTimerList(ms: number): void {
  if (timerListKeepers.has(ms)) return;
  const keeper = setTimeout(() => timerListKeepers.delete(ms), ms);
  (keeper as { unref?: () => void }).unref?.(); // Node's Timeout; browsers return a number
  timerListKeepers.set(ms, keeper);
}

const utf8 = new TextDecoder();

/** A buffered body as text, the way `Response.text()` reads it (UTF-8, BOM dropped, bad bytes replaced). */
export function decodeText(body: ArrayBuffer | null): string {
  return body === null ? "" : utf8.decode(body);
}

const whatOf = (info: RequestDetails): string => info.operationId ?? "Request";
const whereOf = (info: RequestDetails): string => `${info.method} ${info.url}`;
const errorOptions = (info: RequestDetails, attempts: number, cause: unknown) => ({ cause, request: info, attempts });

/** The error for an attempt that threw: an SDK error as is, else an `AttemptFailure` saying what happened. */
function attemptFailure(error: unknown, options: AttemptOptions, headersReceived: boolean, timedOut: boolean): unknown {
  if (error instanceof SdkError) return error; // e.g. a custom fetch that throws SDK errors itself
  const { info, attempt, signal, timeoutMs } = options;
  const what = whatOf(info);
  const where = whereOf(info);
  const phase = headersReceived ? "while reading the response body" : "before any response arrived";
  if (timedOut) {
    return new AttemptFailure(
      new TimeoutError(
        `${what} timed out after ${timeoutMs} ms ${phase} (${where}). Raise timeoutMs (client or call option) if the operation is slow.`,
        { ...errorOptions(info, attempt, error), timeoutMs },
      ),
      true,
    );
  }
  if (signal?.aborted) {
    return new AttemptFailure(new AbortError(`${what} was aborted by its AbortSignal ${phase} (${where}).`, errorOptions(info, attempt, error)), true);
  }
  const refused = !headersReceived && isConnectionRefused(error);
  // undici puts the useful part (ECONNREFUSED, ENOTFOUND, "other side closed"...) in error.cause.
  const cause = error instanceof Error && error.cause !== undefined ? `: ${messageOf(error.cause)}` : "";
  const detail = options.secrets.scrub(`${messageOf(error)}${cause}`);
  const message = headersReceived
    ? `${what} failed: the connection broke while reading the response body (${where}): ${detail}.`
    : `${what} failed: no response from ${where}: ${detail}. Check the network and the baseUrl.`;
  return new AttemptFailure(new NetworkError(message, errorOptions(info, attempt, error)), !refused);
}

/** True when the connection was refused: the server saw nothing, so any method may be retried. */
function isConnectionRefused(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 4) return false;
  if ((error as { code?: unknown }).code === "ECONNREFUSED") return true;
  const nested = (error as { errors?: unknown }).errors; // AggregateError from happy eyeballs
  if (Array.isArray(nested) && nested.length > 0 && nested.every((e) => isConnectionRefused(e, depth + 1))) return true;
  return isConnectionRefused((error as { cause?: unknown }).cause, depth + 1);
}

/** An error's message with its code, e.g. `connect ECONNREFUSED 127.0.0.1:1 (ECONNREFUSED)`. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
