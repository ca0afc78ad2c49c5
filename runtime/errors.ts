/**
 * Every error the SDK throws. Callers narrow with `instanceof`: `ApiError` (and one subclass per
 * common status) for non-2xx answers from the API, `ValidationError` for input caught before sending,
 * `NetworkError` when no answer came, `TimeoutError`, `AbortError`, `AuthError` when no token could
 * be had, `ConfigError` for bad client options. None of them carries a credential.
 */
import type { ApiProfile } from "./profile.js";
import { parseRateLimit, parseRetryAfter, type RateLimitInfo } from "./rate-limit.js";
import type { ValidationIssue } from "./types.js";

export type { ValidationIssue } from "./types.js";

export { parseRetryAfter };

/** A value in a message about a wrong option or credential: its kind, never its content (it may be a secret). */
export function describeValue(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

/** Base class of every error the SDK throws (`@zoomgen/runtime/zoom` also exports it as `ZoomSdkError`). */
export class SdkError extends Error {
  override name = "SdkError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The client options are wrong (thrown by `createRuntime`, before any request). */
export class ConfigError extends SdkError {
  override name = "ConfigError";
}

/** The input was invalid, so nothing was sent. `issues` names every field at fault. */
export class ValidationError extends SdkError {
  override name = "ValidationError";
  declare readonly issues: readonly ValidationIssue[];
  /** The operation called, when the error comes from a call. */
  declare readonly operationId: string | undefined;

  constructor(issues: readonly ValidationIssue[], operationId?: string) {
    const shown = issues.slice(0, 10).map((i) => `${i.path} (${i.rule}: ${i.message})`);
    if (issues.length > shown.length) shown.push(`and ${issues.length - shown.length} more`);
    const subject = operationId === undefined ? "Invalid input" : `Invalid input for ${operationId}`;
    super(`${subject}, nothing was sent: ${shown.join("; ")}`);
    this.issues = issues;
    this.operationId = operationId;
  }
}

/** The request an error is about. */
export interface RequestDetails {
  /** The operation called; undefined for requests of the `raw` client. */
  operationId?: string | undefined;
  method: string;
  /** The request URL, without credentials. */
  url: string;
}

/** What the errors raised around a request (network, timeout, abort) are built from. */
export interface RequestErrorOptions {
  cause?: unknown;
  request?: RequestDetails;
  /** How many attempts were made, the failed one included. */
  attempts?: number;
}

/** Base of the errors raised when a request got no usable answer: it says which request. */
abstract class RequestFailure extends SdkError {
  /** The operation called; undefined for `raw` requests or when unknown. */
  declare readonly operationId: string | undefined;
  /** The HTTP method, when known. */
  declare readonly method: string | undefined;
  /** The request URL without credentials, when known. */
  declare readonly url: string | undefined;
  /** Attempts made, the failed one included (1 when not retried). */
  declare readonly attempts: number;

  constructor(message: string, options: RequestErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.operationId = options.request?.operationId;
    this.method = options.request?.method;
    this.url = options.request?.url;
    this.attempts = options.attempts ?? 1;
  }
}

/** No response arrived: DNS, connection refused or reset, TLS failure, or the body could not be read. */
export class NetworkError extends RequestFailure {
  override name = "NetworkError";
}

/** An attempt took longer than its `timeoutMs` (no answer, or the body arrived too slowly). */
export class TimeoutError extends RequestFailure {
  override name = "TimeoutError";
  /** The timeout that was exceeded, in ms. */
  declare readonly timeoutMs: number | undefined;

  constructor(message: string, options: RequestErrorOptions & { timeoutMs?: number } = {}) {
    super(message, options);
    this.timeoutMs = options.timeoutMs;
  }
}

/** The caller's `AbortSignal` cancelled the request (before sending, in flight, or while waiting to retry). */
export class AbortError extends RequestFailure {
  override name = "AbortError";
}

/**
 * No access token could be obtained: the token function failed or returned nothing, or the OAuth
 * token endpoint refused, failed or could not be reached. Nothing was sent to the API.
 */
export class AuthError extends SdkError {
  override name = "AuthError";
  /** The token endpoint's HTTP status, when it answered. */
  declare readonly status: number | undefined;
  /** The token endpoint's raw answer, when it answered with an error (credentials removed). */
  declare readonly body: string | undefined;

  constructor(message: string, options?: { cause?: unknown; status?: number; body?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = options?.status;
    this.body = options?.body;
  }
}

/** A 2xx answer whose body does not match what the operation documents (e.g. invalid JSON). */
export class InvalidResponseError extends SdkError {
  override name = "InvalidResponseError";
  declare readonly status: number;
  /** The raw body text. */
  declare readonly body: string;
  declare readonly operationId: string;

  constructor(message: string, init: { status: number; body: string; operationId: string; cause?: unknown }) {
    super(message, { cause: init.cause });
    this.status = init.status;
    this.body = init.body;
    this.operationId = init.operationId;
  }
}

/** What `ApiError` is built from; the runtime fills it from the response. */
export interface ApiErrorInit {
  status: number;
  statusText: string;
  operationId: string;
  method: string;
  /** The full request URL. Credentials travel in headers, never here. */
  url: string;
  /** The request path relative to the base URL, for messages, e.g. `/users/abc`. */
  path: string;
  headers: Headers;
  /** The raw response body (may be empty, JSON, or anything else). */
  body: string;
  /** The body decoded as the operation documents it for this status (runtime/body.ts `decodeErrorBody`). */
  data?: unknown;
  /** Attempts made, this one included (default 1). */
  attempts?: number;
  /** When the answer arrived (epoch ms), for `Retry-After` in seconds. Defaults to now. */
  receivedAt?: number;
  /** The API's rules for its error bodies, tracking id and rate limits (the client's profile). */
  profile: ApiProfile;
}

/** What a person can do about an error status (429's advice depends on its headers, so it builds its own). */
const HINTS: Readonly<Record<number, string>> = {
  400: "Check the input against the operation's documentation and the error code in the body",
  401: "Check that the access token is valid and has not expired",
  403: "Check the app's scopes and the account's plan and role",
  404: "Check the ids in the path and that this token's account can see them",
  409: "It clashes with something that exists already (a name in use?): choose another value or change the existing one",
};
const SERVER_ERROR_HINT = "This is a server-side failure; retrying later may succeed";

/** The API answered with a non-2xx status. Subclasses exist for the statuses callers usually handle. */
export class ApiError<TData = unknown> extends SdkError {
  override name = "ApiError";
  declare readonly status: number;
  /** The API's own numeric error code from the body (Zoom: `{code, message}`), not the HTTP status. */
  declare readonly code: number | undefined;
  /** The API's own error message from the body. */
  declare readonly apiMessage: string | undefined;
  declare readonly operationId: string;
  declare readonly method: string;
  declare readonly url: string;
  /** The server's request id from the profile's header (Zoom: `x-zm-trackingid`); the API's support asks for it. */
  declare readonly trackingId: string | undefined;
  /** The raw response body. */
  declare readonly body: string;
  /**
   * The body decoded as the spec documents it for this status (JSON parsed, text), or undefined. Typed
   * by the generated `is<Op>Error(error, status)` guards.
   */
  declare readonly data: TData;
  /** The response headers. */
  declare readonly headers: Headers;
  /** The response's `X-RateLimit-*` headers, parsed; undefined when it carries none. */
  declare readonly rateLimit: RateLimitInfo | undefined;
  /** Attempts made, this one included (1 when not retried). */
  declare readonly attempts: number;

  constructor(init: ApiErrorInit, hint: string | undefined = HINTS[init.status] ?? (init.status >= 500 ? SERVER_ERROR_HINT : undefined)) {
    const profile = init.profile;
    const { code, message } = profile.parseErrorBody(init.body);
    const trackingId = profile.trackingIdHeader === undefined ? undefined : (init.headers.get(profile.trackingIdHeader) ?? undefined);
    let text = `${init.operationId} failed: ${init.status}${init.statusText ? ` ${init.statusText}` : ""}`;
    if (code !== undefined) text += `, ${profile.name === undefined ? "" : `${profile.name} `}code ${code}`;
    if (message) text += `${code !== undefined ? ":" : ","} ${message}`;
    text += ` (${init.method} ${init.path})`;
    if (hint) text += `. ${hint}`;
    const attempts = init.attempts ?? 1;
    if (attempts > 1) text += ` (after ${attempts} attempts)`;
    if (trackingId) text += ` [tracking id ${trackingId}]`;
    super(text);
    this.status = init.status;
    this.code = code;
    this.apiMessage = message;
    this.operationId = init.operationId;
    this.method = init.method;
    this.url = init.url;
    this.trackingId = trackingId;
    this.body = init.body;
    this.data = init.data as TData;
    this.headers = init.headers;
    this.rateLimit = parseRateLimit(init.headers);
    this.attempts = attempts;
  }

  /** `apiMessage` under its Zoom-era name, kept for existing callers. @deprecated Use `apiMessage`. */
  get zoomMessage(): string | undefined {
    return this.apiMessage;
  }
}

/** 400: the request was rejected as invalid; `code` and `apiMessage` say why. */
export class BadRequestError extends ApiError {
  override name = "BadRequestError";
}

/** 401: the access token is missing, invalid or expired (Zoom: code 124). */
export class AuthenticationError extends ApiError {
  override name = "AuthenticationError";
}

/** 403: the token lacks a scope, or the account lacks the plan or feature this call needs. */
export class PermissionDeniedError extends ApiError {
  override name = "PermissionDeniedError";
}

/** 404: the resource (user, meeting, group...) does not exist or is not visible to this token. */
export class NotFoundError extends ApiError {
  override name = "NotFoundError";
}

/** 409: the request conflicts with existing state (e.g. a name already in use). */
export class ConflictError extends ApiError {
  override name = "ConflictError";
}

/**
 * 429: a rate limit was hit and the SDK did not (or no longer) wait. `resumeAt` says when requests may
 * resume: from `Retry-After`, or for a daily limit without one, the next 00:00 UTC.
 */
export class RateLimitError extends ApiError {
  override name = "RateLimitError";
  /** When requests may resume. */
  declare readonly resumeAt: Date | undefined;
  /** Milliseconds to wait from when the answer arrived. */
  declare readonly retryAfterMs: number | undefined;
  /** `X-RateLimit-Type`, e.g. `QPS` or `Daily-limit`. */
  declare readonly limitType: string | undefined;

  constructor(init: ApiErrorInit, now: number = init.receivedAt ?? Date.now()) {
    const limitType = init.headers.get("x-ratelimit-type") ?? undefined;
    const profile = init.profile;
    const retry = profile.rateLimit(init.headers, now);
    const what = limitType ? `Rate limit (${limitType}) reached` : "Rate limit reached";
    const daily = retry.daily;
    let when = retry.resumeAt ? `retry after ${retry.resumeAt.toISOString()}` : "slow down and retry later";
    if (daily && profile.dailyLimitReset !== undefined) when += ` (daily limits reset at ${profile.dailyLimitReset})`;
    super(init, `${what}; ${when}`);
    this.resumeAt = retry.resumeAt;
    this.retryAfterMs = retry.retryAfterMs;
    this.limitType = limitType;
  }
}

/** 5xx: the server failed; retrying later may succeed. */
export class ServerError extends ApiError {
  override name = "ServerError";
}

/** Builds the `ApiError` subclass that matches the status. */
export function createApiError(init: ApiErrorInit): ApiError {
  switch (init.status) {
    case 400:
      return new BadRequestError(init);
    case 401:
      return new AuthenticationError(init);
    case 403:
      return new PermissionDeniedError(init);
    case 404:
      return new NotFoundError(init);
    case 409:
      return new ConflictError(init);
    case 429:
      return new RateLimitError(init);
    default:
      return init.status >= 500 && init.status <= 599 ? new ServerError(init) : new ApiError(init);
  }
}
