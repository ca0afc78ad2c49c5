/**
 * Hooks for logging and metrics. They receive plain, redacted data (no token, no secret, no body),
 * and a hook that throws is ignored: observing a call must never change its outcome.
 */
import type { SdkError } from "./errors.js";
import type { RateLimitInfo } from "./rate-limit.js";

/** What every hook event says about the request. */
export interface HookRequestInfo {
  /** The operation, e.g. `getUser`; undefined for requests of the `raw` client. */
  operationId: string | undefined;
  method: string;
  /** The full URL, without credentials. */
  url: string;
  /** 1 for the first attempt, 2 for the first retry... */
  attempt: number;
}

/** Given to `onRequest` just before an attempt is sent. */
export interface RequestHookEvent extends HookRequestInfo {
  /** Request headers; `Authorization` and other credential headers read `[REDACTED]`. */
  headers: Record<string, string>;
}

/** Given to `onResponse` for every answer received, whatever its status (a 429 or 5xx included). */
export interface ResponseHookEvent extends HookRequestInfo {
  status: number;
  /** Response headers (credential headers read `[REDACTED]`). */
  headers: Record<string, string>;
  /** The `X-RateLimit-*` headers, parsed; undefined when absent. */
  rateLimit: RateLimitInfo | undefined;
  /** From sending until the body had arrived, in ms. */
  durationMs: number;
}

/** Given to `onRetry` when a failed attempt is about to be retried. */
export interface RetryHookEvent extends HookRequestInfo {
  /** Why: e.g. `HTTP 503`, `HTTP 429`, `timeout`, `network error`, `connection refused`, `token rejected (Zoom code 124)`. */
  reason: string;
  /** The status of the failed attempt, when there was an answer. */
  status: number | undefined;
  /** The error of the failed attempt, when there was no answer (`NetworkError` or `TimeoutError`). */
  error: SdkError | undefined;
  /** How long the SDK waits before the next attempt, in ms. */
  delayMs: number;
}

/** Given to `onError` once per failed call, with the error the caller receives. */
export interface ErrorHookEvent {
  operationId: string | undefined;
  method: string;
  url: string;
  /** Attempts made (0 when the call failed before sending, e.g. a `ValidationError`). */
  attempts: number;
  error: SdkError;
}

/** Observers of every request of a client. All are optional; they may be async but are not awaited. */
export interface Hooks {
  onRequest?: (event: RequestHookEvent) => void;
  onResponse?: (event: ResponseHookEvent) => void;
  onRetry?: (event: RetryHookEvent) => void;
  onError?: (event: ErrorHookEvent) => void;
}

/** Calls a hook, ignoring what it throws or rejects with. */
export function emit<E>(hook: ((event: E) => unknown) | undefined, event: E): void {
  if (hook === undefined) return;
  try {
    const result = hook(event);
    // An async hook's rejection must not become an unhandled rejection of the caller's process.
    if (result instanceof Promise) result.catch(() => undefined);
  } catch {
    // A broken logger must not break the call.
  }
}
