/**
 * Parameter serialization as the OpenAPI 3.0/3.1 "Style Values" table defines it, for the parameters an
 * operation lists: path (`simple`, `label`, `matrix`), query (`form`, `spaceDelimited`, `pipeDelimited`,
 * `deepObject`, `allowReserved`), header (`simple`) and cookie (`form`), for primitives, arrays and
 * objects, explode or not; and `content`-typed parameters (the value written as JSON, then encoded like a
 * primitive). Generated operations that list `parameters` carry `parameterStyles`; the full client has it
 * built in. Parameters in their location's default style need none of this (parameters.ts).
 * Bad values become `ValidationIssue`s; nothing here throws on its own.
 */
import type { ValidationIssue } from "./errors.js";
import type { ApiProfile } from "./profile.js";
import { explodedPairs, joined, missingPathValue, nonEmptySegment, pathSegment, scalarText, SCALAR_MESSAGE, shapeOf, type Shape } from "./parameters.js";
import type { ParameterSpec, ParameterStyles } from "./types.js";

/** Characters RFC 3986 reserves; `allowReserved` leaves them as they are. */
const RESERVED = /[:/?#[\]@!$&'()*+,;=]/;

/** Percent-encodes a value; with `allowReserved`, reserved characters (and valid `%XX`) stay literal. */
function encodeValue(text: string, allowReserved = false): string {
  if (!allowReserved) return encodeURIComponent(text);
  let out = "";
  for (const char of text) out += RESERVED.test(char) ? char : encodeURIComponent(char);
  return out;
}

/** The value's shape; a `content`-typed parameter's value is written as JSON first. */
function styledShape(value: unknown, spec: ParameterSpec, at: string, issues: ValidationIssue[]): Shape | undefined {
  if (spec.contentType !== undefined) {
    try {
      const json = JSON.stringify(value);
      if (json !== undefined) return { kind: "primitive", value: json };
    } catch (error) {
      issues.push({ path: at, rule: "json", message: `cannot be written as JSON: ${(error as Error).message}` });
      return undefined;
    }
  }
  return shapeOf(value, at, issues);
}

/**
 * One path parameter, ready to put in the template. `simple` primitives keep the safe-segment rules
 * (parameters.ts `pathSegment`); arrays and objects are joined with literal `,` (and `=` when exploded).
 */
function serializePathParam(spec: ParameterSpec, value: unknown, issues: ValidationIssue[], profile?: ApiProfile): string | undefined {
  const at = `path.${spec.name}`;
  if (value === undefined || value === null) return missingPathValue(at, issues);
  const shape = styledShape(value, spec, at, issues);
  if (shape === undefined) return undefined;
  const encode = (text: string) => encodeValue(text, spec.allowReserved);
  if (spec.style === "simple" && shape.kind === "primitive") return pathSegment(shape.value, at, issues, encode, profile);
  const name = encodeURIComponent(spec.name);
  if (spec.style === "label") return `.${joined(shape, spec.explode ? "." : ",", encode, spec.explode)}`;
  if (spec.style === "matrix") {
    if (spec.explode && shape.kind === "array") return shape.items.map((item) => `;${name}=${encode(item)}`).join("");
    if (spec.explode && shape.kind === "object") return shape.entries.map(([key, item]) => `;${encode(key)}=${encode(item)}`).join("");
    const text = joined(shape, ",", encode);
    return text === "" ? `;${name}` : `;${name}=${text}`;
  }
  return nonEmptySegment(joined(shape, ",", encode, spec.explode), at, issues);
}

/**
 * One query parameter as `key=value` pairs (none when the value is absent). `form` repeats the key for
 * an exploded array and spreads an exploded object's properties; `spaceDelimited`/`pipeDelimited` join
 * with `%20`/`%7C`; `deepObject` writes `name[key]=value` (nested objects nest further). Brackets and
 * pipes are percent-encoded, as the OpenAPI 3.1.1 examples write them; servers decode them first.
 */
function serializeQueryParam(spec: ParameterSpec, value: unknown, issues: ValidationIssue[]): string[] {
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
  const shape = styledShape(value, spec, at, issues);
  if (shape === undefined) return [];
  if (shape.kind === "primitive" || spec.explode) return explodedPairs(name, shape, encode);
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
function serializeHeaderParam(spec: ParameterSpec, value: unknown, issues: ValidationIssue[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  const shape = styledShape(value, spec, `header.${spec.name}`, issues);
  return shape === undefined ? undefined : joined(shape, ",", (text) => text, spec.explode);
}

/**
 * A cookie parameter (`form`) as `name=value` pairs for the `Cookie` header, values percent-encoded.
 * An exploded array gives one pair per item and an exploded object one pair per property.
 */
function serializeCookieParam(spec: ParameterSpec, value: unknown, issues: ValidationIssue[]): string[] {
  if (value === undefined || value === null) return [];
  const shape = styledShape(value, spec, `cookie.${spec.name}`, issues);
  if (shape === undefined) return [];
  const name = encodeURIComponent(spec.name);
  if (shape.kind === "primitive" || spec.explode) return explodedPairs(name, shape, encodeURIComponent);
  return [`${name}=${joined(shape, ",", encodeURIComponent)}`];
}

/** The serializers of every style, for `OperationSpec.parameterStyles`. */
export const parameterStyles: ParameterStyles = {
  path: serializePathParam,
  query: serializeQueryParam,
  header: serializeHeaderParam,
  cookie: serializeCookieParam,
};
