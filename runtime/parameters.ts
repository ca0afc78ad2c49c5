/**
 * Parameters sent with their location's default style, which is what an operation that lists no
 * `parameters` uses: `simple` in the path and headers, `form` with explode in the query and cookies, for
 * primitives, arrays and objects. The other styles are in parameter-styles.ts, which the operations that
 * need them carry. Bad values become `ValidationIssue`s; nothing here throws on its own.
 */
import type { ValidationIssue } from "./errors.js";
import type { ApiProfile } from "./profile.js";

/**
 * Writes a number in plain decimal. Integers must be exact (at most `Number.MAX_SAFE_INTEGER`), or a
 * 64-bit id would silently become a different id; `String()` never uses exponent notation for those.
 */
export function formatNumber(value: number | bigint): string | undefined {
  if (typeof value === "bigint") return value.toString();
  if (!Number.isFinite(value)) return undefined;
  if (Number.isInteger(value)) return Number.isSafeInteger(value) ? String(value) : undefined;
  const text = String(value);
  return /e/i.test(text) ? undefined : text;
}

/** A primitive as text: strings as they are, booleans `true`/`false`, numbers in plain decimal. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" || typeof value === "bigint") return formatNumber(value);
  return undefined;
}

export const SCALAR_MESSAGE = "must be a string, a finite number (integers up to 2^53 - 1; pass larger ids as strings) or a boolean";

/** A value reduced to text: one primitive, the items of an array, or the entries of an object. */
export type Shape = { kind: "primitive"; value: string } | { kind: "array"; items: string[] } | { kind: "object"; entries: [string, string][] };

/** The value's shape, or undefined with an issue saying why it cannot be sent (`null`/`undefined` items and properties are left out). */
export function shapeOf(value: unknown, at: string, issues: ValidationIssue[]): Shape | undefined {
  const scalar = (item: unknown, where: string): string | undefined => {
    const text = scalarText(item);
    if (text === undefined) issues.push({ path: where, rule: "type", message: SCALAR_MESSAGE });
    return text;
  };
  if (Array.isArray(value)) {
    const items = value.filter((item) => item !== undefined && item !== null).map((item, index) => scalar(item, `${at}[${index}]`));
    return items.every((item): item is string => item !== undefined) ? { kind: "array", items } : undefined;
  }
  if (typeof value === "object" && value !== null) {
    const entries: [string, string][] = [];
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || item === null) continue;
      const text = scalar(item, `${at}.${key}`);
      if (text === undefined) return undefined;
      entries.push([key, text]);
    }
    return { kind: "object", entries };
  }
  const text = scalar(value, at);
  return text === undefined ? undefined : { kind: "primitive", value: text };
}

/** Items joined by `separator`; object entries as `k,v` pairs, or `k=v` when `exploded`. */
export function joined(shape: Shape, separator: string, encode: (text: string) => string, exploded = false): string {
  if (shape.kind === "primitive") return encode(shape.value);
  if (shape.kind === "array") return shape.items.map(encode).join(separator);
  if (exploded) return shape.entries.map(([key, item]) => `${encode(key)}=${encode(item)}`).join(separator);
  return shape.entries.flatMap(([key, item]) => [encode(key), encode(item)]).join(separator);
}

/** `form` with explode: `name=v` per array item, `key=v` per object property, `name=v` for a primitive. */
export function explodedPairs(name: string, shape: Shape, encode: (text: string) => string): string[] {
  if (shape.kind === "primitive") return [`${name}=${encode(shape.value)}`];
  return shape.kind === "array" ? shape.items.map((item) => `${name}=${encode(item)}`) : shape.entries.map(([key, item]) => `${encodeURIComponent(key)}=${encode(item)}`);
}

/**
 * A `simple` primitive as one path segment: `.`, `..` and "" are rejected (URL parsing would resolve
 * them into a different endpoint); then the profile's `encodePathValue` (Zoom: a meeting UUID that starts
 * with `/` or contains `//` is encoded twice).
 */
export function pathSegment(text: string, at: string, issues: ValidationIssue[], encode: (text: string) => string, profile?: ApiProfile): string | undefined {
  if (text === "" || text === "." || text === "..") {
    issues.push({ path: at, rule: "pathSegment", message: `${JSON.stringify(text)} is not allowed: it would address a different endpoint` });
    return undefined;
  }
  const once = encode(text);
  return profile === undefined ? once : profile.encodePathValue(text, once);
}

/** A joined path value (array, object, other styles) that must not be empty, `.` or `..`. */
export function nonEmptySegment(text: string, at: string, issues: ValidationIssue[]): string | undefined {
  if (text !== "" && text !== "." && text !== "..") return text;
  issues.push({ path: at, rule: "pathSegment", message: "an empty value is not allowed: it would address a different endpoint" });
  return undefined;
}

/** The issue of a path parameter without a value. */
export function missingPathValue(at: string, issues: ValidationIssue[]): undefined {
  issues.push({ path: at, rule: "required", message: "a value for this path parameter is required" });
  return undefined;
}

/** A path parameter in the default style (`simple`, no explode): a primitive as one safe segment, arrays and objects joined with `,`. */
export function defaultPathParam(name: string, value: unknown, issues: ValidationIssue[], profile?: ApiProfile): string | undefined {
  const at = `path.${name}`;
  if (value === undefined || value === null) return missingPathValue(at, issues);
  const shape = shapeOf(value, at, issues);
  if (shape === undefined) return undefined;
  if (shape.kind === "primitive") return pathSegment(shape.value, at, issues, encodeURIComponent, profile);
  return nonEmptySegment(joined(shape, ",", encodeURIComponent), at, issues);
}

/** A query parameter in the default style (`form`, explode): arrays repeat the key, objects spread their properties. */
export function defaultQueryParam(name: string, value: unknown, issues: ValidationIssue[]): string[] {
  if (value === undefined || value === null) return [];
  const shape = shapeOf(value, `query.${name}`, issues);
  return shape === undefined ? [] : explodedPairs(encodeURIComponent(name), shape, encodeURIComponent);
}

/** A header value in the default style (`simple`): not percent-encoded; undefined when absent. */
export function defaultHeaderParam(name: string, value: unknown, issues: ValidationIssue[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  const shape = shapeOf(value, `header.${name}`, issues);
  return shape === undefined ? undefined : joined(shape, ",", (text) => text);
}

/** A cookie in the default style (`form`, explode) as `name=value` pairs for the `Cookie` header, values percent-encoded. */
export function defaultCookieParam(name: string, value: unknown, issues: ValidationIssue[]): string[] {
  if (value === undefined || value === null) return [];
  const shape = shapeOf(value, `cookie.${name}`, issues);
  return shape === undefined ? [] : explodedPairs(encodeURIComponent(name), shape, encodeURIComponent);
}
