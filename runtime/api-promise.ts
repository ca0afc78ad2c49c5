/**
 * `ApiPromise`: what every call returns. Awaiting it gives the data; `withResponse()` gives the data
 * with the status, headers and parsed rate-limit headers.
 */
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

  /** Wraps a request already under way. */
  constructor(result: Promise<ApiResult<T>>) {
    // The base promise is never observed: every way of reading this promise goes through #data.
    super((resolve) => resolve(undefined as T));
    this.#result = result;
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
