/**
 * Reading a response: a 2xx becomes data according to what the operation documents, anything else
 * becomes the matching `ApiError`.
 */
import { decodeErrorBody, errorKindFor, readBodyAs, type ParseAs } from "./body.js";
import { isJsonMediaType } from "./encoding.js";
import { createApiError, InvalidResponseError, NetworkError, type ApiError } from "./errors.js";
import type { ApiProfile } from "./profile.js";
import type { Secrets } from "./redact.js";
import { decodeText } from "./send.js";
import type { OperationSpec } from "./types.js";

/** Where a response came from, for error messages. */
export interface ResponseContext {
  operation: OperationSpec;
  /** The request path relative to the base URL, e.g. `/users/abc`. */
  path: string;
  /** The request URL, without credentials. */
  url: string;
  /** Attempts made, the last one included. */
  attempts?: number;
  /** The client's credentials: an error never repeats them, even if the server echoes them. */
  secrets?: Secrets;
  /** How the API's error bodies read (the client's profile). */
  profile: ApiProfile;
  /** How the caller asked for the 2xx body (`.asStream()`, `.asArrayBuffer()`); undefined: as documented. */
  parseAs?: ParseAs | undefined;
}

/**
 * Reads a 2xx body: `"json"` is parsed (an empty body gives undefined), `"text"` is returned as is,
 * `"binary"` is a `Blob` with the bytes exactly as received (its `type` from `Content-Type`),
 * `"empty"` gives undefined whatever arrives (Zoom sends `{}` with some 204s). A `"2XX"` entry covers
 * statuses not listed one by one. An undocumented 2xx is parsed when it says it is JSON and has a body,
 * and is undefined otherwise. `bytes`, when given, is the body already read (the response's own body is
 * then not touched): a call decodes the transport's buffer instead of re-wrapping it in a new `Response`.
 */
export async function readSuccess(response: Response, context: ResponseContext, bytes?: ArrayBuffer | null): Promise<unknown> {
  if (context.parseAs !== undefined) {
    const parseAs = context.parseAs;
    // Unread (a streamed 2xx) or already buffered by the attempt: either way the caller gets what it asked for.
    const source = bytes === undefined ? response : new Response(bytes);
    return await readBody(response, context, () => readBodyAs(source, parseAs));
  }
  const successes = context.operation.successes;
  const kind = successes[String(response.status)] ?? successes["2XX"] ?? successes["2xx"];
  if (kind === "empty") {
    if (bytes !== undefined) return undefined;
    // Drain whatever arrived so the connection can be reused; its content does not matter.
    await response.arrayBuffer().catch(() => undefined);
    return undefined;
  }
  if (kind === "binary") {
    // Through a Response, so the Blob's type is derived from Content-Type exactly as `blob()` does.
    const source = bytes === undefined ? response : new Response(bytes, { headers: response.headers });
    return await readBody(response, context, () => source.blob());
  }
  const text = bytes === undefined ? await readBody(response, context, () => response.text()) : decodeText(bytes);
  if (kind === "text") return text;
  if (kind === undefined && !isJsonMediaType(response.headers.get("content-type"))) return undefined;
  if (!/\S/.test(text)) return undefined; // blank (as `trim() === ""`, without copying the body)
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidResponseError(
      `${context.operation.id} got a ${response.status} whose body is not valid JSON ` +
        `(${context.operation.method} ${context.path}); the raw text is in error.body.`,
      {
        status: response.status,
        body: context.secrets ? context.secrets.scrub(text) : text,
        operationId: context.operation.id,
        cause: error,
      },
    );
  }
}

/** Builds the `ApiError` for a non-2xx response; never fails, whatever the body holds. */
export async function readError(response: Response, context: ResponseContext, bytes?: ArrayBuffer | null): Promise<ApiError> {
  let body = "";
  try {
    body = bytes === undefined ? await response.text() : decodeText(bytes);
  } catch {
    // The status is the important part; a body lost mid-way must not hide it.
  }
  const secrets = context.secrets;
  const shown = secrets ? secrets.scrub(body) : body;
  return createApiError({
    status: response.status,
    statusText: response.statusText || (STATUS_TEXT[response.status] ?? ""),
    operationId: context.operation.id,
    method: context.operation.method,
    url: context.url,
    path: context.path,
    headers: secrets ? secrets.scrubHeaders(response.headers) : response.headers,
    body: shown,
    data: decodeErrorBody(shown, response.headers.get("content-type"), errorKindFor(context.operation.errors, response.status)),
    attempts: context.attempts ?? 1,
    profile: context.profile,
  });
}

async function readBody<T>(response: Response, context: ResponseContext, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new NetworkError(
      `${context.operation.id} failed while reading the ${response.status} response body ` +
        `(${context.operation.method} ${context.path}).`,
      { cause: error },
    );
  }
}

// HTTP/2 has no reason phrase, so messages fall back to these.
const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  412: "Precondition Failed",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};
