/**
 * `createRuntime`: the object a generated client is built on. `call` runs one documented operation
 * (validate, encode, send, decode); `raw` is a typed openapi-fetch client over the same transport.
 */
import createClient, { type Client } from "openapi-fetch";
import { ApiPromise, parseRateLimit, type ApiResult } from "./api-promise.js";
import { buildPath, buildQuery, checkHeaders, encodeBody, pathSerializer } from "./encoding.js";
import { resolveOptions, type ClientOptions, type ResolvedOptions, type RuntimeMeta } from "./options.js";
import { readError, readSuccess } from "./response.js";
import { createTransport, type Transport } from "./transport.js";
import type { CallInput, OperationSpec } from "./types.js";
import { validateInput } from "./validation.js";

/** What generated code is built on. */
export interface Runtime<Paths extends {}> {
  /**
   * Runs one operation. Resolves to the decoded 2xx body; rejects with `ValidationError` (nothing sent),
   * an `ApiError` subclass (non-2xx), `NetworkError`, `AbortError`, `AuthError` or `InvalidResponseError`.
   */
  call<TData>(operation: OperationSpec, input: CallInput | undefined): ApiPromise<TData>;
  /**
   * An openapi-fetch client with the same base URL, `fetch`, headers and token, and the same safe
   * path encoding: the escape hatch for anything the generated methods do not cover.
   */
  raw: Client<Paths>;
}

/**
 * Creates the runtime of one client. Throws `ConfigError` for wrong options (no token source, a base
 * URL that is not http(s)...) and `ValidationError` for header values that contain CR or LF.
 */
export function createRuntime<Paths extends {}>(options: ClientOptions, meta: RuntimeMeta): Runtime<Paths> {
  const resolved = resolveOptions(options, meta);
  const transport = createTransport(resolved);
  const raw = createClient<Paths>({
    baseUrl: resolved.baseUrl,
    fetch: (request) => transport(request, {}),
    pathSerializer,
  });
  return {
    raw,
    call<TData>(operation: OperationSpec, input: CallInput | undefined): ApiPromise<TData> {
      // The data type is the generated code's promise about this operation; the runtime only decodes.
      const result = execute(operation, input ?? {}, resolved, transport) as Promise<ApiResult<TData>>;
      return new ApiPromise<TData>(result);
    },
  };
}

async function execute(
  operation: OperationSpec,
  input: CallInput,
  options: ResolvedOptions,
  transport: Transport,
): Promise<ApiResult<unknown>> {
  checkHeaders(input.headers, "headers", operation.id);
  if (input.validate ?? options.validate) validateInput(operation, input);
  const path = buildPath(operation.path, input.path, operation.id);
  const query = buildQuery(input.query, operation.id);
  const { body, contentType } = encodeBody(operation, input.body, input.contentType);

  const headers = new Headers(input.headers);
  // fetch writes multipart's Content-Type itself, with the boundary; any other value would break it.
  if (body instanceof FormData) headers.delete("Content-Type");
  else if (contentType !== undefined) headers.set("Content-Type", contentType);
  const request = new Request(`${options.baseUrl}${path}${query === "" ? "" : `?${query}`}`, {
    method: operation.method,
    headers,
    body,
    signal: input.signal ?? null,
  });

  const response = await transport(request, { operationId: operation.id });
  const context = { operation, path, url: request.url };
  if (!response.ok) throw await readError(response, context);
  const data = await readSuccess(response, context);
  return {
    data,
    status: response.status,
    headers: response.headers,
    rateLimit: parseRateLimit(response.headers),
    response,
  };
}
