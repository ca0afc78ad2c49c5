/**
 * `createRuntime`: the object a generated client is built on. `call` runs one documented operation
 * (validate, encode, send with retries, decode); `raw` is a typed openapi-fetch client over the same
 * transport.
 */
import createClient, { type Client } from "openapi-fetch";
import { ApiPromise, parseRateLimit, type ApiResult } from "./api-promise.js";
import { isReadableStream } from "./body.js";
import { bodyEncodings } from "./body-encodings.js";
import { buildParameterHeaders, buildPath, buildQuery, checkHeaders, encodeBody } from "./encoding.js";
import { SdkError } from "./errors.js";
import { transportExtras } from "./extras.js";
import { checkOptions } from "./option-checks.js";
// Through package.json `imports`: a bundle for browsers gets a stub (the `browser` condition), not node:http code.
import { createNodeHttpFetch } from "#node-http-fetch";
import { parameterStyles } from "./parameter-styles.js";
import { genericProfile, type ApiProfile } from "./profile.js";
import { setUpServerToServerOAuth } from "./auth.js";
import { checkTimeout, mergeRetry, resolveOptions, type BuiltIns, type ClientOptions, type ResolvedOptions, type RuntimeMeta } from "./options.js";
import { redactUrl } from "./redact.js";
import { securitySchemes } from "./security-schemes.js";
import { readError, readSuccess } from "./response.js";
import { rewrap } from "./send.js";
import { createTransport, toOutgoing, type OutgoingRequest, type RequestContext, type Transport } from "./transport.js";
import type { CallInput, OperationSpec } from "./types.js";
import { validateInput } from "./validation.js";

/** What a resource's methods need: `call` alone (no `raw`, so a bundle that uses only this leaves openapi-fetch out). */
export interface CallRuntime {
  /**
   * Runs one operation. Resolves to the decoded 2xx body; rejects with `ValidationError` (nothing sent),
   * an `ApiError` subclass (non-2xx after any retries), `NetworkError`, `TimeoutError`, `AbortError`,
   * `AuthError`, `ConfigError` (a wrong per-call option) or `InvalidResponseError`.
   */
  call<TData>(operation: OperationSpec, input: CallInput | undefined): ApiPromise<TData>;
}

/** What generated code is built on. */
export interface Runtime<Paths extends {}> extends CallRuntime {
  /**
   * An openapi-fetch client with the same base URL, `fetch`, headers, token, retries, timeouts, hooks
   * and safe path encoding: the escape hatch for anything the generated methods do not cover.
   */
  raw: Client<Paths>;
}

/**
 * What the full client carries without being asked: the schema checker, Server-to-Server OAuth, every
 * option's check, every security scheme, parameter style and body encoding (for operations that do not carry their own).
 */
const FULL: BuiltIns = { validateInput, oauth: setUpServerToServerOAuth, checkOptions, credentials: securitySchemes, parameterStyles, bodyEncodings, extras: transportExtras, fetch: /* @__PURE__ */ createNodeHttpFetch() };

/**
 * Creates the runtime of one client, with everything built in: input validation (on unless `validate:
 * false`), Server-to-Server OAuth (`oauth`) and `raw`. Throws `ConfigError` for wrong options (no token
 * source, a base URL that is not http(s)...) and `ValidationError` for header values that contain CR or LF.
 */
export function createRuntime<Paths extends {}>(options: ClientOptions<object>, meta: RuntimeMeta): Runtime<Paths> {
  return createRuntimeWith<Paths>(options, meta, meta.profile ?? genericProfile);
}

/** `createRuntime` with the profile resolved by the caller (`@zoomgen/runtime/zoom` defaults it to Zoom's, and so never carries the generic one). */
export function createRuntimeWith<Paths extends {}>(options: ClientOptions<object>, meta: RuntimeMeta, profile: ApiProfile): Runtime<Paths> {
  const resolved = resolveOptions(options, meta, profile, FULL);
  const transport = createTransport(resolved);
  const raw = createClient<Paths>({
    baseUrl: resolved.baseUrl,
    fetch: async (request) => {
      const context: RequestContext = {};
      try {
        // openapi-fetch reads the body itself, so it gets a fresh Response over the buffered bytes.
        return rewrap(await transport(await toOutgoing(request), context));
      } catch (error) {
        report(resolved, error, undefined, request.method, request.url, context.attempts ?? 0);
        throw error;
      }
    },
    pathSerializer: (pathname, params) => buildPath(pathname, params, undefined, undefined, resolved.profile),
  });
  return { raw, call: caller(resolved, transport) };
}

/**
 * The lean runtime: `createRuntime`'s calls without `raw` (nothing of openapi-fetch in a bundle), and
 * without what a call may not use, which the app passes when it wants it: the schema checker
 * (`validate: validateInput`; without it inputs are not validated) and Server-to-Server OAuth
 * (`oauth: serverToServerOAuth({...})`; a plain `oauth` object is a `ConfigError`). A bundle carries
 * them only then. Throws as `createRuntime` does.
 */
export function createCallRuntime(options: ClientOptions<object>, meta: RuntimeMeta): CallRuntime {
  return createCallRuntimeWith(options, meta, meta.profile ?? genericProfile);
}

/** `createCallRuntime` with the profile resolved by the caller, as `createRuntimeWith`. */
export function createCallRuntimeWith(options: ClientOptions<object>, meta: RuntimeMeta, profile: ApiProfile): CallRuntime {
  const resolved = resolveOptions(options, meta, profile);
  return { call: caller(resolved, createTransport(resolved)) };
}

function caller(resolved: ResolvedOptions, transport: Transport): CallRuntime["call"] {
  return <TData>(operation: OperationSpec, input: CallInput | undefined): ApiPromise<TData> => {
    const context: RequestContext = {
      operationId: operation.id,
      idempotent: operation.idempotent,
      rateLimitLabel: operation.rateLimitLabel,
      security: operation.security,
    };
    // The data type is the generated code's promise about this operation; the runtime only decodes.
    const result = execute(operation, input ?? {}, resolved, transport, context).catch((error: unknown) => {
      report(resolved, error, operation.id, operation.method, context.url ?? `${resolved.baseUrl}${operation.path}`, context.attempts ?? 0);
      throw error;
    }) as Promise<ApiResult<TData>>;
    // `.asStream()`/`.asArrayBuffer()` on the promise choose how the body is read, before the answer comes.
    return new ApiPromise<TData>(result, (parseAs) => {
      context.parseAs = parseAs;
    });
  };
}

function report(options: ResolvedOptions, error: unknown, operationId: string | undefined, method: string, url: string, attempts: number): void {
  if (error instanceof SdkError) options.extras?.failed(operationId, method, url, attempts, error);
}

async function execute(
  operation: OperationSpec,
  input: CallInput,
  options: ResolvedOptions,
  transport: Transport,
  context: RequestContext,
): Promise<ApiResult<unknown>> {
  checkHeaders(input.headers, "headers", operation.id);
  context.timeoutMs = checkTimeout(input.timeoutMs, "timeoutMs");
  mergeRetry(options.retry, input.retry, "retry"); // fails early on a wrong per-call retry option
  context.retry = input.retry;
  context.retryNonIdempotent = input.retryNonIdempotent === true;
  if (input.validate ?? options.validate) options.validateInput(operation, input);
  // What an operation needs beyond default-style parameters and JSON comes with it (or with the full client).
  const styles = operation.parameterStyles ?? options.parameterStyles;
  const path = buildPath(operation.path, input.path, operation.id, operation.parameters, options.profile, styles);
  const query = buildQuery(input.query, operation.id, operation.parameters, styles);
  const parameterHeaders = buildParameterHeaders(input, operation.id, operation.parameters, styles);
  const { body, contentType } = encodeBody(operation, input.body, input.contentType, operation.bodyEncodings ?? options.bodyEncodings);

  // Declared header parameters win over same-named free-form `headers`.
  const headers = new Headers(input.headers);
  for (const name in parameterHeaders) headers.set(name, parameterHeaders[name]!);
  if (contentType !== undefined) headers.set("Content-Type", contentType);
  const url = `${options.baseUrl}${path}${query === "" ? "" : `?${query}`}`;
  const shownUrl = redactUrl(url, options.secrets);
  // A stream is sent as it is read (no copy, so it cannot be resent: no retries).
  context.streamRequestBody = isReadableStream(body);
  const request: OutgoingRequest = context.streamRequestBody
    ? // A redirect cannot replay a stream; "error" also keeps Node's fetch from teeing (and so holding) the whole upload (nodejs/undici#4058).
      { url, method: operation.method, headers, body: body as ReadableStream<Uint8Array>, signal: checkSignal(input.signal), redirect: "error", shownUrl }
    : isReplayable(body)
      ? { url, method: operation.method, headers, body: body ?? null, signal: checkSignal(input.signal), shownUrl }
      : { ...(await toOutgoing(onceThroughRequest(url, operation.method, headers, body, input.signal))), shownUrl };

  context.url = url;
  const answer = await transport(request, context);
  const response = answer.response;
  const responseContext = {
    operation,
    path,
    url: shownUrl,
    attempts: context.attempts ?? 1,
    secrets: options.secrets,
    profile: options.profile,
    parseAs: context.parseAs,
  };
  if (!response.ok) throw await readError(response, responseContext, answer.body);
  const data = await readSuccess(response, responseContext, answer.body);
  return {
    data,
    status: response.status,
    headers: response.headers,
    rateLimit: parseRateLimit(response.headers),
    response,
  };
}

/** Bodies every attempt can send as they are; the others (multipart) are serialized once. */
function isReplayable(body: unknown): body is OutgoingRequest["body"] | undefined {
  return (
    body === undefined || typeof body === "string" || body instanceof ArrayBuffer || body instanceof Uint8Array || body instanceof Blob || body instanceof URLSearchParams
  );
}

/**
 * A body that is not replayable as given (multipart) goes through one `Request`, which writes
 * multipart's Content-Type with its boundary; the transport then sends those same bytes on every attempt.
 */
function onceThroughRequest(url: string, method: string, headers: Headers, body: NonNullable<RequestInit["body"]>, signal: AbortSignal | undefined): Request {
  if (body instanceof FormData) headers.delete("Content-Type"); // any value but fetch's own would break the boundary
  return new Request(url, { method, headers, body, signal: signal ?? null });
}

/** The caller's signal, refused early (as `new Request` does) when it is not an `AbortSignal`. */
function checkSignal(signal: AbortSignal | undefined): AbortSignal | undefined {
  if (signal !== undefined && signal !== null && !(signal instanceof AbortSignal)) {
    throw new TypeError("Failed to construct 'Request': member signal is not of type AbortSignal.");
  }
  return signal ?? undefined;
}
