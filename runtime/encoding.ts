/**
 * Turning call input into the pieces of an HTTP request: a safe path, a query string, a body,
 * and header checks. Every rule here rejects bad input with a `ValidationError` before anything is sent.
 */
import { ConfigError, ValidationError, type ValidationIssue } from "./errors.js";
import { defaultCookieParam, defaultHeaderParam, defaultPathParam, defaultQueryParam, scalarText } from "./parameters.js";
import type { ApiProfile } from "./profile.js";
import type { BodyEncodings, EncodedBody, OperationSpec, ParameterSpec, ParameterStyles } from "./types.js";

export type { EncodedBody } from "./types.js";

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
 * The serializers an operation's `parameters` need: the operation's own (generated with it), else the
 * client's built-in ones (the full client). A lean client given an operation that lists parameters
 * without them refuses the call.
 */
function stylesFor(styles: ParameterStyles | undefined, operationId: string | undefined): ParameterStyles {
  if (styles !== undefined) return styles;
  throw new ConfigError(`${operationId ?? "This request"} lists parameter styles but has no \`parameterStyles\` to write them (generated operations carry it; the full client has it built in).`);
}

/**
 * Fills a path template such as `/users/{userId}` with parameter values, each serialized with its
 * style (`simple` unless `parameters` says otherwise, then by `styles`: runtime/parameter-styles.ts).
 *
 * A `simple` value becomes exactly one path segment: `/ ? # %` and spaces are encoded; `.`, `..` and
 * empty values are rejected, because URL parsing would resolve them into a different endpoint; the
 * profile may encode a value further (Zoom: a meeting UUID that starts with `/` or contains `//`, twice).
 */
export function buildPath(
  template: string,
  params: object | undefined,
  operationId?: string,
  parameters?: readonly ParameterSpec[],
  profile?: ApiProfile,
  styles?: ParameterStyles,
): string {
  const values = (params ?? {}) as Record<string, unknown>;
  const specs = byName(parameters);
  const parts = templateParts(template);
  let issues: ValidationIssue[] | undefined;
  let path = parts[0]!;
  for (let index = 1; index < parts.length; index += 2) {
    const name = parts[index]!;
    const spec = specs.get(`path:${name}`);
    const value = values[name];
    // The common case (a default-style string or number) without the general serializer's intermediate shapes.
    const text = spec === undefined ? scalarText(value) : undefined;
    if (text !== undefined && text !== "" && text !== "." && text !== "..") {
      const once = encodeURIComponent(text);
      path += profile === undefined ? once : profile.encodePathValue(text, once);
    } else {
      issues ??= [];
      path += (spec === undefined ? defaultPathParam(name, value, issues, profile) : stylesFor(styles, operationId).path(spec, value, issues, profile)) ?? "";
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
 * otherwise, then by `styles`): arrays as repeated keys, booleans as `true`/`false`, numbers in plain
 * decimal, `undefined` and `null` omitted, keys and values percent-encoded.
 * Returns the query without the leading `?` ("" when there is nothing to send).
 */
export function buildQuery(query: object | undefined, operationId?: string, parameters?: readonly ParameterSpec[], styles?: ParameterStyles): string {
  if (query === undefined) return "";
  const specs = byName(parameters);
  const issues: ValidationIssue[] = [];
  let result = "";
  for (const name of Object.keys(query)) {
    const value = (query as Record<string, unknown>)[name];
    if (value === undefined || value === null) continue;
    const spec = specs.get(`query:${name}`);
    // The common case (a default-style string, number or boolean) without the general serializer's intermediate shapes.
    const text = spec === undefined ? scalarText(value) : undefined;
    const pairs =
      text !== undefined
        ? [`${encodeURIComponent(name)}=${encodeURIComponent(text)}`]
        : spec === undefined
          ? defaultQueryParam(name, value, issues)
          : stylesFor(styles, operationId).query(spec, value, issues);
    for (const pair of pairs) result = result === "" ? pair : `${result}&${pair}`;
  }
  if (issues.length > 0) throw new ValidationError(issues, operationId);
  return result;
}

/**
 * The headers that carry an operation's header and cookie parameters: each header parameter by its
 * name (`simple` style), and all cookie parameters in one `Cookie` header (`form` style, `; `-separated):
 * the declared ones (in `parameters`, written by `styles`) first, then any other given, in the default style.
 * A required one that is missing, or a value that cannot be sent, throws `ValidationError`.
 */
export function buildParameterHeaders(
  input: { header?: object; cookie?: object },
  operationId?: string,
  parameters?: readonly ParameterSpec[],
  styles?: ParameterStyles,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (parameters === undefined && input.header === undefined && input.cookie === undefined) return headers;
  const issues: ValidationIssue[] = [];
  const cookies: string[] = [];
  const given = { header: (input.header ?? {}) as Record<string, unknown>, cookie: (input.cookie ?? {}) as Record<string, unknown> };
  const specs = byName(parameters);
  for (const spec of specs.values()) {
    if (spec.in !== "header" && spec.in !== "cookie") continue;
    const value = given[spec.in][spec.name];
    if ((value === undefined || value === null) && spec.required) {
      issues.push({ path: `${spec.in}.${spec.name}`, rule: "required", message: `the ${spec.in} parameter is required` });
      continue;
    }
    const serialize = stylesFor(styles, operationId);
    if (spec.in === "cookie") cookies.push(...serialize.cookie(spec, value, issues));
    else {
      const text = serialize.header(spec, value, issues);
      if (text !== undefined) headers[spec.name] = text;
    }
  }
  for (const [name, value] of Object.entries(given.header)) {
    if (specs.has(`header:${name}`)) continue;
    const text = defaultHeaderParam(name, value, issues);
    if (text !== undefined) headers[name] = text;
  }
  for (const [name, value] of Object.entries(given.cookie)) {
    if (!specs.has(`cookie:${name}`)) cookies.push(...defaultCookieParam(name, value, issues));
  }
  if (issues.length > 0) throw new ValidationError(issues, operationId);
  if (cookies.length > 0) headers["Cookie"] = cookies.join("; ");
  checkHeaders(headers, "header", operationId);
  return headers;
}

/**
 * Encodes a request body in one of the media types the operation lists (the first, JSON preferred,
 * unless `contentType` picks another): JSON here; any other media type by `encodings` (the operation's
 * `bodyEncodings`, or the full client's built-in one: runtime/body-encodings.ts).
 */
export function encodeBody(
  operation: Pick<OperationSpec, "id" | "requestBody">,
  body: unknown,
  contentType: string | undefined,
  encodings?: BodyEncodings,
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
  if (isJsonMediaType(mediaType)) return { body: toJson(body, operation.id), contentType: mediaType };
  if (encodings === undefined) {
    throw new ConfigError(`${operation.id} sends ${mediaType} but has no \`bodyEncodings\` to write it (generated operations carry it; the full client has it built in).`);
  }
  return encodings(operation, mediaType, body);
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
