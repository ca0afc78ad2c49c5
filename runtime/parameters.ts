/**
 * Parameter serialization as the OpenAPI 3.0/3.1 "Style Values" table defines it: path (`simple`,
 * `label`, `matrix`), query (`form`, `spaceDelimited`, `pipeDelimited`, `deepObject`, `allowReserved`),
 * header (`simple`) and cookie (`form`), for primitives, arrays and objects, explode or not; and
 * `content`-typed parameters (the value written as JSON, then encoded like a primitive).
 * Bad values become `ValidationIssue`s; nothing here throws on its own.
 */
import type { ValidationIssue } from "./errors.js";
import type { ApiProfile } from "./profile.js";
import type { ParameterSpec } from "./types.js";

export type ParameterLocation = ParameterSpec["in"];

/** The spec's defaults: `form` (explode) for query and cookie, `simple` (no explode) for path and header. */
export function defaultParameterSpec(name: string, location: ParameterLocation): ParameterSpec {
  const style = location === "query" || location === "cookie" ? "form" : "simple";
  return { name, in: location, style, explode: style === "form" };
}

/** A value reduced to text, or an issue saying why it cannot be sent. */
type Scalar = string;
type Shape = { kind: "primitive"; value: Scalar } | { kind: "array"; items: Scalar[] } | { kind: "object"; entries: [string, Scalar][] };

/** Characters RFC 3986 reserves; `allowReserved` leaves them as they are. */
const RESERVED = /[:/?#[\]@!$&'()*+,;=]/;

/** Percent-encodes a value; with `allowReserved`, reserved characters (and valid `%XX`) stay literal. */
export function encodeValue(text: string, allowReserved = false): string {
  if (!allowReserved) return encodeURIComponent(text);
  let out = "";
  for (const char of text) out += RESERVED.test(char) ? char : encodeURIComponent(char);
  return out;
}

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

const SCALAR_MESSAGE = "must be a string, a finite number (integers up to 2^53 - 1; pass larger ids as strings) or a boolean";

function shapeOf(value: unknown, spec: ParameterSpec, at: string, issues: ValidationIssue[]): Shape | undefined {
  if (spec.contentType !== undefined) {
    try {
      const json = JSON.stringify(value);
      if (json !== undefined) return { kind: "primitive", value: json };
    } catch (error) {
      issues.push({ path: at, rule: "json", message: `cannot be written as JSON: ${(error as Error).message}` });
      return undefined;
    }
  }
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

/**
 * One path parameter, ready to put in the template. `simple` primitives keep the safe-segment rules
 * (`.`, `..` and "" rejected; then the profile's `encodePathValue`, which for Zoom encodes a meeting
 * UUID that starts with `/` or contains `//` twice); arrays and objects are joined with literal `,`
 * (and `=` when exploded).
 */
export function serializePathParam(spec: ParameterSpec, value: unknown, issues: ValidationIssue[], profile?: ApiProfile): string | undefined {
  const at = `path.${spec.name}`;
  if (value === undefined || value === null) {
    issues.push({ path: at, rule: "required", message: "a value for this path parameter is required" });
    return undefined;
  }
  const shape = shapeOf(value, spec, at, issues);
  if (shape === undefined) return undefined;
  const encode = (text: string) => encodeValue(text, spec.allowReserved);
  if (spec.style === "simple" && shape.kind === "primitive") {
    const text = shape.value;
    if (text === "" || text === "." || text === "..") {
      issues.push({ path: at, rule: "pathSegment", message: `${JSON.stringify(text)} is not allowed: it would address a different endpoint` });
      return undefined;
    }
    const once = encode(text);
    return profile === undefined ? once : profile.encodePathValue(text, once);
  }
  const name = encodeURIComponent(spec.name);
  if (spec.style === "label") return `.${joined(shape, spec.explode ? "." : ",", encode, spec.explode)}`;
  if (spec.style === "matrix") {
    if (spec.explode && shape.kind === "array") return shape.items.map((item) => `;${name}=${encode(item)}`).join("");
    if (spec.explode && shape.kind === "object") return shape.entries.map(([key, item]) => `;${encode(key)}=${encode(item)}`).join("");
    const text = joined(shape, ",", encode);
    return text === "" ? `;${name}` : `;${name}=${text}`;
  }
  const text = joined(shape, ",", encode, spec.explode);
  if (text === "" || text === "." || text === "..") {
    issues.push({ path: at, rule: "pathSegment", message: "an empty value is not allowed: it would address a different endpoint" });
    return undefined;
  }
  return text;
}

/** Items joined by `separator`; object entries as `k,v` pairs, or `k=v` when `exploded`. */
function joined(shape: Shape, separator: string, encode: (text: string) => string, exploded = false): string {
  if (shape.kind === "primitive") return encode(shape.value);
  if (shape.kind === "array") return shape.items.map(encode).join(separator);
  if (exploded) return shape.entries.map(([key, item]) => `${encode(key)}=${encode(item)}`).join(separator);
  return shape.entries.flatMap(([key, item]) => [encode(key), encode(item)]).join(separator);
}

/**
 * One query parameter as `key=value` pairs (none when the value is absent). `form` repeats the key for
 * an exploded array and spreads an exploded object's properties; `spaceDelimited`/`pipeDelimited` join
 * with `%20`/`%7C`; `deepObject` writes `name[key]=value` (nested objects nest further). Brackets and
 * pipes are percent-encoded, as the OpenAPI 3.1.1 examples write them; servers decode them first.
 */
export function serializeQueryParam(spec: ParameterSpec, value: unknown, issues: ValidationIssue[]): string[] {
  if (value === undefined || value === null) return [];
  const at = `query.${spec.name}`;
  const encode = (text: string) => encodeValue(text, spec.allowReserved);
  const name = encodeURIComponent(spec.name);
  if (spec.style === "deepObject" && spec.contentType === undefined) {
    if (typeof value !== "object" || Array.isArray(value)) {
      issues.push({ path: at, rule: "type", message: "a deepObject parameter must be an object" });
      return [];
    }
    return deepPairs(name, value, at, encode, issues);
  }
  const shape = shapeOf(value, spec, at, issues);
  if (shape === undefined) return [];
  if (shape.kind === "primitive") return [`${name}=${encode(shape.value)}`];
  if (spec.explode) {
    return shape.kind === "array"
      ? shape.items.map((item) => `${name}=${encode(item)}`)
      : shape.entries.map(([key, item]) => `${encodeURIComponent(key)}=${encode(item)}`);
  }
  const separator = spec.style === "spaceDelimited" ? "%20" : spec.style === "pipeDelimited" ? "%7C" : ",";
  if (shape.kind === "array" && shape.items.length === 0) return [];
  return [`${name}=${joined(shape, separator, encode)}`];
}

function deepPairs(prefix: string, value: object, at: string, encode: (text: string) => string, issues: ValidationIssue[]): string[] {
  const pairs: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || item === null) continue;
    const name = `${prefix}%5B${encodeURIComponent(key)}%5D`;
    if (typeof item === "object" && !Array.isArray(item)) {
      pairs.push(...deepPairs(name, item as object, `${at}.${key}`, encode, issues));
      continue;
    }
    for (const [index, element] of (Array.isArray(item) ? item : [item]).entries()) {
      const text = scalarText(element);
      if (text === undefined) issues.push({ path: Array.isArray(item) ? `${at}.${key}[${index}]` : `${at}.${key}`, rule: "type", message: SCALAR_MESSAGE });
      else pairs.push(`${name}=${encode(text)}`);
    }
  }
  return pairs;
}

/** A header parameter (`simple`): not percent-encoded; undefined when absent. */
export function serializeHeaderParam(spec: ParameterSpec, value: unknown, issues: ValidationIssue[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  const shape = shapeOf(value, spec, `header.${spec.name}`, issues);
  return shape === undefined ? undefined : joined(shape, ",", (text) => text, spec.explode);
}

/**
 * A cookie parameter (`form`) as `name=value` pairs for the `Cookie` header, values percent-encoded.
 * An exploded array gives one pair per item and an exploded object one pair per property.
 */
export function serializeCookieParam(spec: ParameterSpec, value: unknown, issues: ValidationIssue[]): string[] {
  if (value === undefined || value === null) return [];
  const shape = shapeOf(value, spec, `cookie.${spec.name}`, issues);
  if (shape === undefined) return [];
  const name = encodeURIComponent(spec.name);
  if (shape.kind === "primitive") return [`${name}=${encodeURIComponent(shape.value)}`];
  if (spec.explode) {
    return shape.kind === "array"
      ? shape.items.map((item) => `${name}=${encodeURIComponent(item)}`)
      : shape.entries.map(([key, item]) => `${encodeURIComponent(key)}=${encodeURIComponent(item)}`);
  }
  return [`${name}=${joined(shape, ",", encodeURIComponent)}`];
}
