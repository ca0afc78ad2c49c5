/**
 * Turning call input into the pieces of an HTTP request: a safe path, a query string, a body,
 * and header checks. Every rule here rejects bad input with a `ValidationError` before anything is sent.
 */
import { ValidationError, type ValidationIssue } from "./errors.js";

const PATH_PARAM = /\{([^{}]+)\}/g;

/**
 * Fills a path template such as `/users/{userId}` with percent-encoded parameter values.
 *
 * Each value becomes exactly one path segment: `/ ? # %` and spaces are encoded; `.`, `..` and empty
 * values are rejected, because URL parsing would resolve them into a different endpoint; a string that
 * starts with `/` or contains `//` is encoded twice (Zoom's rule for meeting UUIDs).
 */
export function buildPath(template: string, params: object | undefined, operationId?: string): string {
  const values = (params ?? {}) as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  const path = template.replace(PATH_PARAM, (_match, name: string) => {
    const result = encodePathParam(name, values[name]);
    if (typeof result === "string") return result;
    issues.push(result);
    return "";
  });
  if (issues.length > 0) throw new ValidationError(issues, operationId);
  return path;
}

/** An openapi-fetch `pathSerializer` with the same rules, so the `raw` client is as safe as `call`. */
export function pathSerializer(pathname: string, params: Record<string, unknown>): string {
  return buildPath(pathname, params);
}

function encodePathParam(name: string, value: unknown): string | ValidationIssue {
  const at = `path.${name}`;
  if (value === undefined || value === null) {
    return { path: at, rule: "required", message: "a value for this path parameter is required" };
  }
  let text: string;
  if (typeof value === "string") {
    text = value;
  } else if (typeof value === "number" || typeof value === "bigint") {
    const formatted = formatNumber(value);
    if (formatted === undefined) return numberIssue(at);
    text = formatted;
  } else if (typeof value === "boolean") {
    text = String(value);
  } else {
    return { path: at, rule: "type", message: "must be a string or a number" };
  }
  if (text === "" || text === "." || text === "..") {
    return {
      path: at,
      rule: "pathSegment",
      message: `${JSON.stringify(text)} is not allowed: it would address a different endpoint`,
    };
  }
  const once = encodeURIComponent(text);
  return text.startsWith("/") || text.includes("//") ? encodeURIComponent(once) : once;
}

/**
 * Serializes query parameters: form style, arrays as repeated keys, booleans as `true`/`false`,
 * numbers in plain decimal, `undefined` and `null` omitted, keys and values percent-encoded.
 * Returns the query without the leading `?` ("" when there is nothing to send).
 */
export function buildQuery(query: object | undefined, operationId?: string): string {
  const parts: string[] = [];
  const issues: ValidationIssue[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      const text = queryValue(item);
      if (text === undefined) {
        issues.push({
          path: `query.${key}`,
          rule: "type",
          message: "must be a string, a finite number, a boolean, or an array of those",
        });
        continue;
      }
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
    }
  }
  if (issues.length > 0) throw new ValidationError(issues, operationId);
  return parts.join("&");
}

function queryValue(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" || typeof value === "bigint") return formatNumber(value);
  return undefined;
}

/**
 * Writes a number in plain decimal. Integers must be exact (at most `Number.MAX_SAFE_INTEGER`), or a
 * 64-bit id would silently become a different id; `String()` never uses exponent notation for those.
 */
function formatNumber(value: number | bigint): string | undefined {
  if (typeof value === "bigint") return value.toString();
  if (!Number.isFinite(value)) return undefined;
  if (Number.isInteger(value)) return Number.isSafeInteger(value) ? String(value) : undefined;
  const text = String(value);
  return /e/i.test(text) ? undefined : text;
}

function numberIssue(path: string): ValidationIssue {
  return {
    path,
    rule: "type",
    message: "must be a finite number in plain decimal (integers up to 2^53 - 1); pass larger ids as strings",
  };
}

/** What `encodeBody` produces. `contentType` is undefined for multipart: fetch writes it with the boundary. */
export interface EncodedBody {
  body: string | FormData | undefined;
  contentType: string | undefined;
}

/**
 * Encodes a request body as JSON (the default) or as `multipart/form-data`, which the operation must list.
 * In multipart each top-level field is one text part: strings as they are, numbers and booleans as
 * `String(v)`, arrays and objects as `JSON.stringify(v)`; `undefined` is omitted and a `Blob` is sent as a
 * file part. Each field carries only its own value.
 */
export function encodeBody(
  operation: { id: string; requestBody?: { mediaTypes: readonly string[] } | undefined },
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
  if (isJsonMediaType(mediaType)) return { body: toJson(body, operation.id), contentType: mediaType };
  if (mediaType === "multipart/form-data") return { body: toFormData(body, operation.id), contentType: undefined };
  throw new ValidationError(
    [{ path: "contentType", rule: "mediaType", message: `this runtime cannot encode ${mediaType} bodies` }],
    operation.id,
  );
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

function toFormData(body: unknown, operationId: string): FormData {
  if (typeof body !== "object" || body === null || Array.isArray(body) || body instanceof Blob) {
    throw new ValidationError(
      [{ path: "body", rule: "type", message: "a multipart/form-data body must be an object of fields" }],
      operationId,
    );
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined) continue;
    if (value instanceof Blob) form.append(name, value);
    else if (typeof value === "string") form.append(name, value);
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
