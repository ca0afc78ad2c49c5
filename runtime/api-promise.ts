/**
 * `ApiPromise`: what every call returns. Awaiting it gives the data; `withResponse()` gives the data
 * with the status, headers and parsed rate-limit headers.
 */

/** Zoom's rate-limit headers, parsed. Fields are undefined when their header is absent. */
export interface RateLimitInfo {
  /** `X-RateLimit-Category`, e.g. `Light`, `Medium`, `Heavy`. */
  category: string | undefined;
  /** `X-RateLimit-Type`, e.g. `QPS` or `Daily-limit`. */
  type: string | undefined;
  /** `X-RateLimit-Limit`. */
  limit: number | undefined;
  /** `X-RateLimit-Remaining`. */
  remaining: number | undefined;
}

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

/** Reads `X-RateLimit-*` headers; undefined when none of them is present. */
export function parseRateLimit(headers: Headers): RateLimitInfo | undefined {
  const category = headers.get("x-ratelimit-category") ?? undefined;
  const type = headers.get("x-ratelimit-type") ?? undefined;
  const limit = toInteger(headers.get("x-ratelimit-limit"));
  const remaining = toInteger(headers.get("x-ratelimit-remaining"));
  if (category === undefined && type === undefined && limit === undefined && remaining === undefined) return undefined;
  return { category, type, limit, remaining };
}

function toInteger(value: string | null): number | undefined {
  return value !== null && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
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
