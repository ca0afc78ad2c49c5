/**
 * `ApiPromise`: what every call returns. Awaiting it gives the data; `withResponse()` gives the data
 * with the status, headers and parsed rate-limit headers.
 */
import type { ParseAs } from "./body.js";
import { ConfigError } from "./errors.js";
import type { RateLimitInfo } from "./rate-limit.js";

export { parseRateLimit, type RateLimitInfo } from "./rate-limit.js";

/** A successful call with its HTTP details. */
export interface ApiResult<T> {
  data: T;
  status: number;
  headers: Headers;
  /** Parsed rate-limit headers, or undefined when the response carries none. */
  rateLimit: RateLimitInfo | undefined;
  /** The response itself; its body has already been read into `data`. */
  response: Response;
}

/**
 * A real `Promise` of the data (it passes `instanceof Promise`) with a `withResponse()` method.
 *
 * The request starts at once and runs once, however both are awaited. The data promise is derived
 * lazily, on the first `then`/`catch`/`finally`: a failed call whose caller only uses `withResponse()`
 * (or only awaits the data) therefore leaves no second, unobserved rejected promise behind. A call
 * that nobody awaits at all reports its failure as an unhandled rejection, like any promise.
 */
export class ApiPromise<T> extends Promise<T> {
  // Promise methods inherited from the base (none here, as then/catch/finally are overridden) and
  // static helpers must build plain promises, not ApiPromises with this constructor's signature.
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  readonly #result: Promise<ApiResult<T>>;
  #data: Promise<T> | undefined;
  /** Tells the request how to read its 2xx body; undefined once too late (see `asStream`). */
  #readAs: ((parseAs: ParseAs) => void) | undefined;

  /** Wraps a request already under way; `readAs`, if given, lets `asStream()`/`asArrayBuffer()` choose how its body is read. */
  constructor(result: Promise<ApiResult<T>>, readAs?: (parseAs: ParseAs) => void) {
    // The base promise is never observed: every way of reading this promise goes through #data.
    super((resolve) => resolve(undefined as T));
    this.#result = result;
    this.#readAs = readAs;
    // The choice must be made in the same turn as the call, before any answer can have arrived.
    // A resolved promise's reaction is a microtask too, without the AsyncResource Node's queueMicrotask makes per call.
    if (readAs !== undefined) void Promise.resolve().then(() => (this.#readAs = undefined));
  }

  /**
   * The 2xx body as a `ReadableStream<Uint8Array>`, handed over as it arrives and never buffered (a
   * 100 MB download holds a few chunks at a time). Call it on the call itself:
   * `await client.files.download(input).asStream()`. The timeout then covers the wait for the answer's
   * headers; the call's `signal` still cancels the stream. Errors (non-2xx) are read and thrown as usual.
   */
  asStream(): Promise<ReadableStream<Uint8Array>> {
    return this.#readBodyAs("stream");
  }

  /** The 2xx body's bytes exactly as received, whatever the media type; call it on the call itself, like `asStream()`. */
  asArrayBuffer(): Promise<ArrayBuffer> {
    return this.#readBodyAs("arrayBuffer");
  }

  #readBodyAs<R>(parseAs: ParseAs): Promise<R> {
    if (this.#readAs === undefined) {
      const method = parseAs === "stream" ? "asStream" : "asArrayBuffer";
      return Promise.reject(new ConfigError(`${method}() must be called on the call's promise at once, before awaiting it: await client.files.download(input).${method}()`));
    }
    this.#readAs(parseAs);
    this.#readAs = undefined;
    return this.#result.then((result) => result.data as unknown as R);
  }

  /** The data together with the status, headers, rate-limit information and the `Response`. */
  withResponse(): Promise<ApiResult<T>> {
    return this.#result;
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#dataPromise().then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#dataPromise().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#dataPromise().finally(onfinally);
  }

  #dataPromise(): Promise<T> {
    this.#data ??= this.#result.then((result) => result.data);
    return this.#data;
  }
}
