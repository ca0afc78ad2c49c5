/**
 * The retry policy: which failures are worth another attempt, and how long to wait before it
 * (exponential backoff with full jitter, or the server's `Retry-After`).
 */
import { isDailyLimit, parseRetryAfter } from "./rate-limit.js";
import type { RetryOptions } from "./types.js";

/** The defaults: 2 retries, backoff from 500 ms, at most 30 s of waiting per retry. */
export const DEFAULT_RETRY: Readonly<RetryOptions> = { maxRetries: 2, initialDelayMs: 500, maxDelayMs: 30_000 };

/** HTTP methods that may be repeated without changing the outcome (RFC 9110 §9.2.2, minus TRACE). */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/**
 * Full jitter: a delay drawn uniformly from [0, min(maxDelayMs, initialDelayMs * 2^retry)), so clients
 * that failed together do not retry together. `retry` counts from 0.
 */
export function backoffDelay(retry: number, policy: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** Why an attempt failed, as far as the retry decision cares. */
export type Failure =
  /** `daily`: the profile's reading of a 429 (default: `X-RateLimit-Type: Daily-limit`). */
  | { kind: "response"; status: number; headers: Headers; daily?: boolean }
  /** No response: `sent` is false when the connection was refused, so the server saw nothing. */
  | { kind: "network"; sent: boolean }
  | { kind: "timeout" };

/** The decision after a failed attempt. */
export type RetryDecision =
  | { retry: true; delayMs: number; reason: string }
  | { retry: false; reason: string };

/**
 * Decides whether to retry after failed attempt number `retry` (0 for the first attempt):
 * - 429 per-second (`X-RateLimit-Type: QPS` or none): for every method, after `Retry-After` or backoff;
 * - 429 daily limit, or any `Retry-After` beyond `maxDelayMs`: never (the caller gets the error at once);
 * - 5xx (except 501), network failures and timeouts: only when `idempotent` (or the caller opted in);
 * - a refused connection (nothing was sent): for every method;
 * - anything else, or no retries left: never.
 */
export function decideRetry(
  failure: Failure,
  retry: number,
  policy: RetryOptions,
  idempotent: boolean,
  now: number = Date.now(),
): RetryDecision {
  const reason = describeFailure(failure);
  if (failure.kind === "response") {
    const { status, headers } = failure;
    const rateLimited = status === 429;
    if (rateLimited && (failure.daily ?? isDailyLimit(headers.get("x-ratelimit-type")))) return { retry: false, reason: `${reason} (daily limit)` };
    const retryable = rateLimited || (status >= 500 && status !== 501 && idempotent);
    if (!retryable) return { retry: false, reason };
    const { retryAfterMs } = parseRetryAfter(headers.get("retry-after"), now);
    if (retryAfterMs !== undefined && retryAfterMs > policy.maxDelayMs) {
      return { retry: false, reason: `${reason} (Retry-After ${retryAfterMs} ms exceeds maxDelayMs ${policy.maxDelayMs})` };
    }
    if (retry >= policy.maxRetries) return { retry: false, reason };
    return { retry: true, delayMs: retryAfterMs ?? backoffDelay(retry, policy), reason };
  }
  const retryable = idempotent || (failure.kind === "network" && !failure.sent);
  if (!retryable || retry >= policy.maxRetries) return { retry: false, reason };
  return { retry: true, delayMs: backoffDelay(retry, policy), reason };
}

function describeFailure(failure: Failure): string {
  if (failure.kind === "response") return `HTTP ${failure.status}`;
  if (failure.kind === "timeout") return "timeout";
  return failure.sent ? "network error" : "connection refused";
}

/**
 * Waits `ms`, or rejects with `aborted("while waiting to retry")` as soon as `signal` aborts. The timer
 * is cleared either way, so a finished call leaves nothing that keeps a process alive.
 */
export function sleep(ms: number, signal: AbortSignal | undefined, aborted: (when: string) => Error): Promise<void> {
  if (signal?.aborted) return Promise.reject(aborted("while waiting to retry"));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted("while waiting to retry"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
