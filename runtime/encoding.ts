/**
 * Turning call input into the pieces of an HTTP request: a safe path, a query string, a body,
 * and header checks. Every rule here rejects bad input with a `ValidationError` before anything is sent.
 */
import { appendEncodedPart, bytesContentType, isReadableStream } from "./body.js";
import { ValidationError, type ValidationIssue } from "./errors.js";
import { defaultParameterSpec, encodeValue, scalarText, serializeCookieParam, serializeHeaderParam, serializePathParam, serializeQueryParam } from "./parameters.js";
import type { ApiProfile } from "./profile.js";
import type { MultipartEncoding, ParameterSpec } from "./types.js";

const PATH_PARAM = /\{([^{}]+)\}/g;

const EMPTY_PARAMETERS: readonly ParameterSpec[] = [];
// Built once per operation's parameter list (which is static generated data), not once per call.
const byNameCache = new WeakMap<readonly ParameterSpec[], ReadonlyMap<string, ParameterSpec>>();

/** The operation's serialization facts by `in:name`, for looking a parameter up. */
function byName(parameters: readonly ParameterSpec[] | undefined): ReadonlyMap<string, ParameterSpec> {
  const list = parameters ?? EMPTY_PARAMETERS;
  let map = byNameCache.get(list);
  if (map === undefined) {
    map = new Map(list.map((spec) => [`${spec.in}:${spec.name}`, spec]));
    byNameCache.set(list, map);
  }
  return map;
}

/**
 * Fills a path template such as `/users/{userId}` with parameter values, each serialized with its
 * style (`simple` unless `parameters` says otherwise; see runtime/parameters.ts).
 *
 * A `simple` value becomes exactly one path segment: `/ ? # %` and spaces are encoded; `.`, `..` and
 * empty values are rejected, because URL parsing would resolve them into a different endpoint; the
 * profile may encode a value further (Zoom: a meeting UUID that starts with `/` or contains `//`, twice).
 */
export function buildPath(template: string, params: object | undefined, operationId?: string, parameters?: readonly ParameterSpec[], profile?: ApiProfile): string {
  const values = (params ?? {}) as Record<string, unknown>;
  const specs = byName(parameters);
  const parts = templateParts(template);
  let issues: ValidationIssue[] | undefined;
  let path = parts[0]!;
  for (let index = 1; index < parts.length; index += 2) {
    const name = parts[index]!;
    const spec = specs.get(`path:${name}`);
    const value = values[name];
    // The common case (a `simple` string or number) without the general serializer's intermediate shapes.
    const text = spec === undefined || (spec.style === "simple" && spec.contentType === undefined) ? scalarText(value) : undefined;
    if (text !== undefined && text !== "" && text !== "." && text !== "..") {
      const once = encodeValue(text, spec?.allowReserved);
      path += profile === undefined ? once : profile.encodePathValue(text, once);
    } else {
      issues ??= [];
      path += serializePathParam(spec ?? defaultParameterSpec(name, "path"), value, issues, profile) ?? "";
    }
    path += parts[index + 1]!;
  }
  if (issues !== undefined && issues.length > 0) throw new ValidationError(issues, operationId);
  return path;
}

// Path templates are static generated data: each is split once into [literal, name, literal, ...].
const templateCache = new Map<string, readonly string[]>();

function templateParts(template: string): readonly string[] {
  let parts = templateCache.get(template);
  if (parts === undefined) {
    parts = template.split(PATH_PARAM); // the capture group keeps each name between its literals
    templateCache.set(template, parts);
  }
  return parts;
}

/**
 * Serializes query parameters with their styles (`form` with explode unless `parameters` says
 * otherwise): arrays as repeated keys, booleans as `true`/`false`, numbers in plain decimal,
 * `undefined` and `null` omitted, keys and values percent-encoded.
 * Returns the query without the leading `?` ("" when there is nothing to send).
 */
export function buildQuery(query: object | undefined, operationId?: string, parameters?: readonly ParameterSpec[]): string {
  if (query === undefined) return "";
  const specs = byName(parameters);
  const issues: ValidationIssue[] = [];
  let result = "";
  for (const name of Object.keys(query)) {
    const value = (query as Record<string, unknown>)[name];
    if (value === undefined || value === null) continue;
    const spec = specs.get(`query:${name}`);
    // The common case (a `form` string, number or boolean) without the general serializer's intermediate shapes.
    const text = spec === undefined || (spec.style === "form" && spec.contentType === undefined) ? scalarText(value) : undefined;
    const pairs = text !== undefined ? [`${encodeURIComponent(name)}=${encodeValue(text, spec?.allowReserved)}`] : serializeQueryParam(spec ?? defaultParameterSpec(name, "query"), value, issues);
    for (const pair of pairs) result = result === "" ? pair : `${result}&${pair}`;
  }
  if (issues.length > 0) throw new ValidationError(issues, operationId);
  return result;
}

/**
 * The headers that carry an operation's header and cookie parameters: each header parameter by its
 * name (`simple` style), and all cookie parameters in one `Cookie` header (`form` style, `; `-separated).
 * A required one that is missing, or a value that cannot be sent, throws `ValidationError`.
 */
export function buildParameterHeaders(input: { header?: object; cookie?: object }, operationId?: string, parameters?: readonly ParameterSpec[]): Record<string, string> {
  const issues: ValidationIssue[] = [];
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const given = { header: (input.header ?? {}) as Record<string, unknown>, cookie: (input.cookie ?? {}) as Record<string, unknown> };
  let specs = byName(parameters);
  let copied: Map<string, ParameterSpec> | undefined; // the cached map is shared by every call: undeclared ones join a copy
  for (const location of ["header", "cookie"] as const) {
    for (const name of Object.keys(given[location])) {
      if (specs.has(`${location}:${name}`)) continue;
      copied ??= new Map(specs);
      copied.set(`${location}:${name}`, defaultParameterSpec(name, location));
      specs = copied;
    }
  }
  for (const spec of specs.values()) {
    if (spec.in !== "header" && spec.in !== "cookie") continue;
    const value = given[spec.in][spec.name];
    if ((value === undefined || value === null) && spec.required) {
      issues.push({ path: `${spec.in}.${spec.name}`, rule: "required", message: `the ${spec.in} parameter is required` });
      continue;
    }
    if (spec.in === "cookie") {
      cookies.push(...serializeCookieParam(spec, value, issues));
      continue;
    }
    const text = serializeHeaderParam(spec, value, issues);
    if (text !== undefined) headers[spec.name] = text;
  }
  if (issues.length > 0) throw new ValidationError(issues, operationId);
  if (cookies.length > 0) headers["Cookie"] = cookies.join("; ");
  checkHeaders(headers, "header", operationId);
  return headers;
}

/** What `encodeBody` produces. `contentType` is undefined for multipart: fetch writes it with the boundary. */
export interface EncodedBody {
  body: string | FormData | Blob | ArrayBuffer | Uint8Array<ArrayBuffer> | URLSearchParams | ReadableStream<Uint8Array> | undefined;
  contentType: string | undefined;
}

/**
 * Encodes a request body in one of the media types the operation lists (the first, JSON preferred,
 * unless `contentType` picks another): JSON; `multipart/form-data` (see `toFormData`);
 * `application/x-www-form-urlencoded` from an object of fields (arrays repeat the key); `text/*` from a
 * string; any other type (`application/octet-stream`, `image/png`...) from bytes: a `Blob`/`File`,
 * an `ArrayBuffer`, a `Uint8Array` (a string is sent as UTF-8) or a `ReadableStream`, sent streamed.
 */
export function encodeBody(
  operation: { id: string; requestBody?: { mediaTypes: readonly string[]; encoding?: Readonly<Record<string, MultipartEncoding>> } | undefined },
  body: unknown,
  contentType: string | undefined,
): EncodedBody {
  const mediaTypes = operation.requestBody?.mediaTypes;
  if (mediaTypes === undefined) {
    if (body !== undefined || contentType !== undefined) {
      throw new ValidationError(
        [{ path: "body", rule: "requestBody", message: "this operation takes no request body" }],
        operation.id,
      );
    }
    return { body: undefined, contentType: undefined };
  }
  const mediaType = contentType ?? mediaTypes[0] ?? "application/json";
  if (contentType !== undefined && !mediaTypes.includes(contentType)) {
    throw new ValidationError(
      [
        {
          path: "contentType",
          rule: "mediaType",
          message: `${JSON.stringify(contentType)} is not accepted here; use one of ${mediaTypes.join(", ")}`,
        },
      ],
      operation.id,
    );
  }
  if (body === undefined) return { body: undefined, contentType: undefined };
  const essence = mediaType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (isJsonMediaType(mediaType)) return { body: toJson(body, operation.id), contentType: mediaType };
  if (essence === "multipart/form-data") return { body: toFormData(body, operation.id, operation.requestBody?.encoding), contentType: undefined };
  if (essence === "application/x-www-form-urlencoded") return { body: toUrlEncoded(body, operation.id), contentType: mediaType };
  if (essence.startsWith("text/")) {
    if (typeof body !== "string") throw bodyTypeError(operation.id, `a ${essence} body must be a string`);
    return { body, contentType: mediaType };
  }
  // Every other media type is bytes, sent as given (a wildcard such as `image/*` names no type to send: bytesContentType).
  if (typeof body === "string" || body instanceof Blob || body instanceof ArrayBuffer || isReadableStream(body)) return { body, contentType: bytesContentType(mediaType, body) };
  // Copied, so a view of a larger or shared buffer sends exactly its own bytes.
  if (body instanceof Uint8Array) return { body: new Uint8Array(body), contentType: bytesContentType(mediaType, body) };
  throw bodyTypeError(operation.id, `a ${essence} body must be a Blob, an ArrayBuffer, a Uint8Array, a ReadableStream or a string`);
}

function bodyTypeError(operationId: string, message: string): ValidationError {
  return new ValidationError([{ path: "body", rule: "type", message }], operationId);
}

/** An object of fields as `application/x-www-form-urlencoded`: arrays repeat the key, `undefined` is omitted. */
function toUrlEncoded(body: unknown, operationId: string): URLSearchParams {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw bodyTypeError(operationId, "an application/x-www-form-urlencoded body must be an object of fields");
  }
  const form = new URLSearchParams();
  const issues: ValidationIssue[] = [];
  for (const [name, value] of Object.entries(body)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      const text = typeof item === "object" ? JSON.stringify(item) : scalarText(item);
      if (text === undefined) issues.push({ path: `body.${name}`, rule: "type", message: "must be a string, a finite number or a boolean" });
      else form.append(name, text);
    }
  }
  if (issues.length > 0) throw new ValidationError(issues, operationId);
  return form;
}

function toJson(body: unknown, operationId: string): string {
  try {
    return JSON.stringify(body);
  } catch (error) {
    // BigInt values and cycles cannot be written as JSON.
    throw new ValidationError(
      [{ path: "body", rule: "json", message: `cannot be written as JSON: ${(error as Error).message}` }],
      operationId,
    );
  }
}

/**
 * A multipart body: each top-level field is one part. A `Blob`/`File` is a file part (a `File` keeps its
 * name and type, the spec's `encoding` may set the part's type: runtime/body.ts); strings as they are,
 * numbers and booleans as `String(v)`, arrays and objects as JSON; `undefined` is omitted.
 */
function toFormData(body: unknown, operationId: string, encoding?: Readonly<Record<string, MultipartEncoding>>): FormData {
  if (typeof body !== "object" || body === null || Array.isArray(body) || body instanceof Blob) {
    throw bodyTypeError(operationId, "a multipart/form-data body must be an object of fields");
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined) continue;
    if (appendEncodedPart(form, name, value, encoding?.[name])) continue;
    if (typeof value === "string") form.append(name, value);
    else if (typeof value === "object") form.append(name, JSON.stringify(value));
    else form.append(name, String(value));
  }
  return form;
}

/** True for `application/json` and structured `+json` types, with or without parameters. */
export function isJsonMediaType(mediaType: string | null | undefined): boolean {
  if (!mediaType) return false;
  const essence = mediaType.split(";")[0]?.trim().toLowerCase() ?? "";
  return essence === "application/json" || /^[a-z]+\/[^/]+\+json$/.test(essence);
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Rejects header names that are not HTTP tokens and values containing CR, LF or NUL, which could
 * otherwise split or smuggle headers. `where` prefixes issue paths, e.g. `headers` or `options.headers`.
 */
export function checkHeaders(headers: Record<string, unknown> | undefined, where: string, operationId?: string): void {
  const issues: ValidationIssue[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) {
    const at = `${where}.${name}`;
    if (!HEADER_NAME.test(name)) {
      issues.push({ path: at, rule: "headerName", message: "is not a valid HTTP header name" });
    } else if (typeof value !== "string") {
      issues.push({ path: at, rule: "type", message: "a header value must be a string" });
    } else if (/[\r\n\0]/.test(value)) {
      issues.push({ path: at, rule: "headerValue", message: "must not contain CR, LF or NUL characters" });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues, operationId);
}
