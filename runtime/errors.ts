/**
 * Every error the SDK throws. Callers narrow with `instanceof`: `ApiError` (and one subclass per
 * common status) for answers from Zoom, `ValidationError` for input caught before sending,
 * `NetworkError` when no answer came, `ConfigError` for bad client options.
 */

/** Base class of every error the SDK throws. */
export class ZoomSdkError extends Error {
  override name = "ZoomSdkError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The client options are wrong (thrown by `createRuntime`, before any request). */
export class ConfigError extends ZoomSdkError {
  override name = "ConfigError";
}

/** One reason an input was rejected. */
export interface ValidationIssue {
  /** Where, e.g. `body.members` or `path.userId`. */
  path: string;
  /** The rule that failed, e.g. `maxItems` or `required`. */
  rule: string;
  /** What is wrong, e.g. `must NOT have more than 5 items`. */
  message: string;
}

/** The input was invalid, so nothing was sent. `issues` names every field at fault. */
export class ValidationError extends ZoomSdkError {
  override name = "ValidationError";
  readonly issues: readonly ValidationIssue[];
  /** The operation called, when the error comes from a call. */
  readonly operationId: string | undefined;

  constructor(issues: readonly ValidationIssue[], operationId?: string) {
    const shown = issues.slice(0, 10).map((i) => `${i.path} (${i.rule}: ${i.message})`);
    if (issues.length > shown.length) shown.push(`and ${issues.length - shown.length} more`);
    const subject = operationId === undefined ? "Invalid input" : `Invalid input for ${operationId}`;
    super(`${subject}, nothing was sent: ${shown.join("; ")}`);
    this.issues = issues;
    this.operationId = operationId;
  }
}

/** No response arrived: DNS, connection refused or reset, TLS failure, or the body could not be read. */
export class NetworkError extends ZoomSdkError {
  override name = "NetworkError";
}

/** The request took longer than `timeoutMs`. (Raised once timeouts arrive in a later version.) */
export class TimeoutError extends ZoomSdkError {
  override name = "TimeoutError";
}

/** The caller's `AbortSignal` cancelled the request. */
export class AbortError extends ZoomSdkError {
  override name = "AbortError";
}

/** No access token could be obtained (the token function failed or returned nothing). */
export class AuthError extends ZoomSdkError {
  override name = "AuthError";
}

/** A 2xx answer whose body does not match what the operation documents (e.g. invalid JSON). */
export class InvalidResponseError extends ZoomSdkError {
  override name = "InvalidResponseError";
  readonly status: number;
  /** The raw body text. */
  readonly body: string;
  readonly operationId: string;

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
}

/** Zoom answered with a non-2xx status. Subclasses exist for the statuses callers usually handle. */
export class ApiError extends ZoomSdkError {
  override name = "ApiError";
  readonly status: number;
  /** Zoom's own numeric error code from a JSON body `{code, message}` (not the HTTP status). */
  readonly code: number | undefined;
  /** Zoom's `message` from a JSON body. */
  readonly zoomMessage: string | undefined;
  readonly operationId: string;
  readonly method: string;
  readonly url: string;
  /** The `x-zm-trackingid` header; Zoom support asks for it. */
  readonly trackingId: string | undefined;
  /** The raw response body. */
  readonly body: string;
  /** The response headers. */
  readonly headers: Headers;

  constructor(init: ApiErrorInit, hint?: string) {
    const { code, message } = parseZoomBody(init.body);
    const trackingId = init.headers.get("x-zm-trackingid") ?? undefined;
    let text = `${init.operationId} failed: ${init.status}${init.statusText ? ` ${init.statusText}` : ""}`;
    if (code !== undefined) text += `, Zoom code ${code}`;
    if (message) text += `${code !== undefined ? ":" : ","} ${message}`;
    text += ` (${init.method} ${init.path})`;
    if (hint) text += `. ${hint}`;
    if (trackingId) text += ` [tracking id ${trackingId}]`;
    super(text);
    this.status = init.status;
    this.code = code;
    this.zoomMessage = message;
    this.operationId = init.operationId;
    this.method = init.method;
    this.url = init.url;
    this.trackingId = trackingId;
    this.body = init.body;
    this.headers = init.headers;
  }
}

/** 400: the request was rejected as invalid; `code` and `zoomMessage` say why. */
export class BadRequestError extends ApiError {
  override name = "BadRequestError";
}

/** 401: the access token is missing, invalid or expired (Zoom code 124). */
export class AuthenticationError extends ApiError {
  override name = "AuthenticationError";
  constructor(init: ApiErrorInit) {
    super(init, "Check that the access token is valid and has not expired");
  }
}

/** 403: the token lacks a scope, or the account lacks the plan or feature this call needs. */
export class PermissionDeniedError extends ApiError {
  override name = "PermissionDeniedError";
  constructor(init: ApiErrorInit) {
    super(init, "Check the app's scopes and the account's plan and role");
  }
}

/** 404: the resource (user, meeting, group...) does not exist or is not visible to this token. */
export class NotFoundError extends ApiError {
  override name = "NotFoundError";
}

/** 409: the request conflicts with existing state (e.g. a name already in use). */
export class ConflictError extends ApiError {
  override name = "ConflictError";
}

/** 429: a rate limit was hit. `resumeAt`/`retryAfterMs` say when to try again, when Zoom says so. */
export class RateLimitError extends ApiError {
  override name = "RateLimitError";
  /** When requests may resume, from `Retry-After`. */
  readonly resumeAt: Date | undefined;
  /** Milliseconds to wait from when the answer arrived, from `Retry-After`. */
  readonly retryAfterMs: number | undefined;
  /** `X-RateLimit-Type`, e.g. `QPS` or `Daily-limit`. */
  readonly limitType: string | undefined;

  constructor(init: ApiErrorInit, now: number = Date.now()) {
    const limitType = init.headers.get("x-ratelimit-type") ?? undefined;
    const retry = parseRetryAfter(init.headers.get("retry-after"), now);
    const what = limitType ? `Rate limit (${limitType}) reached` : "Rate limit reached";
    const when = retry.resumeAt
      ? `retry after ${retry.resumeAt.toISOString()}`
      : limitType?.toLowerCase() === "daily-limit"
        ? "daily limits reset at 00:00 UTC"
        : "slow down and retry later";
    super(init, `${what}; ${when}`);
    this.resumeAt = retry.resumeAt;
    this.retryAfterMs = retry.retryAfterMs;
    this.limitType = limitType;
  }
}

/** 5xx: Zoom failed; retrying later may succeed. */
export class ServerError extends ApiError {
  override name = "ServerError";
  constructor(init: ApiErrorInit) {
    super(init, "This is a server-side failure; retrying later may succeed");
  }
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

/** Reads Zoom's `{code, message}` from an error body; anything else (empty, text, bad JSON) gives nothing. */
function parseZoomBody(body: string): { code: number | undefined; message: string | undefined } {
  if (!body.trimStart().startsWith("{")) return { code: undefined, message: undefined };
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== "object" || parsed === null) return { code: undefined, message: undefined };
    const { code, message } = parsed as { code?: unknown; message?: unknown };
    return {
      code: typeof code === "number" && Number.isFinite(code) ? code : undefined,
      message: typeof message === "string" && message !== "" ? message : undefined,
    };
  } catch {
    return { code: undefined, message: undefined };
  }
}

/**
 * Parses `Retry-After`: a number of seconds, an HTTP date, or (Zoom's daily limit) an ISO date-time.
 * An ISO date-time without an offset is read as UTC, since Zoom's limits reset at 00:00 GMT.
 */
export function parseRetryAfter(
  value: string | null,
  now: number,
): { resumeAt: Date | undefined; retryAfterMs: number | undefined } {
  const text = value?.trim();
  if (!text) return { resumeAt: undefined, retryAfterMs: undefined };
  if (/^\d+(\.\d+)?$/.test(text)) {
    const ms = Math.round(Number(text) * 1000);
    return { resumeAt: new Date(now + ms), retryAfterMs: ms };
  }
  const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/i.test(text) ? `${text}Z` : text;
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return { resumeAt: undefined, retryAfterMs: undefined };
  return { resumeAt: new Date(at), retryAfterMs: Math.max(0, at - now) };
}
