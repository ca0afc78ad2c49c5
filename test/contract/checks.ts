/**
 * What the contract suites share (client-free; see client.ts for the generated client):
 * assertions whose messages say which item, which field, what was
 * expected and what arrived, and schema validation with ajv (JSON Schema 2020-12 + formats).
 *
 * Nothing here names an item: every suite is driven by the fixtures and the spec.
 */
import { isDeepStrictEqual } from "node:util";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import * as ajvFormats from "ajv-formats";
import type { OperationModel } from "../../generator/model.js";
import type { ContractCase, RecordedCall } from "../support/postman.js";
import type { RecordedRequest } from "../support/replay-server.js";

/** The access token every contract call sends. */
export const TOKEN = "t0k3n";

/** Runs the call and returns what it threw; fails (with what it resolved to) when it did not throw. */
export async function rejection(where: string, promise: Promise<unknown>): Promise<unknown> {
  try {
    const data = await promise;
    throw new ContractFailure(`${where}: expected the call to throw, it resolved with ${show(data)}`);
  } catch (error) {
    if (error instanceof ContractFailure) throw error;
    return error;
  }
}

/** One `{code, message}` example of an error response in the spec. */
export interface ErrorExample {
  readonly status: number;
  readonly name: string;
  readonly code: number;
  readonly message: string;
}

/**
 * Every error example the spec documents for an operation (responses >= 400, JSON media types,
 * `example` and each of `examples`, `$ref`s resolved), in the spec's order.
 */
export function errorExamples(document: Record<string, unknown>, operation: OperationModel): ErrorExample[] {
  const paths = document.paths as Record<string, Record<string, unknown>>;
  const raw = deref(document, deref(document, paths[operation.path])?.[operation.method.toLowerCase()]);
  const responses = deref(document, raw?.responses) ?? {};
  const found: ErrorExample[] = [];
  for (const [statusText, responseRaw] of Object.entries(responses)) {
    const status = Number(statusText);
    if (!Number.isInteger(status) || status < 400) continue;
    const content = deref(document, deref(document, responseRaw)?.content) ?? {};
    for (const [mediaType, mediaRaw] of Object.entries(content)) {
      if (!/json/i.test(mediaType)) continue;
      const media = deref(document, mediaRaw) ?? {};
      const values: Array<[string, unknown]> = [];
      if (media.example !== undefined) values.push(["example", media.example]);
      for (const [name, exampleRaw] of Object.entries(deref(document, media.examples) ?? {})) {
        values.push([name, deref(document, exampleRaw)?.value]);
      }
      for (const [name, value] of values) {
        const v = value as { code?: unknown; message?: unknown } | undefined;
        if (typeof v?.code === "number" && typeof v.message === "string") {
          found.push({ status, name, code: v.code, message: v.message });
        }
      }
    }
  }
  return found;
}

function deref(document: Record<string, unknown>, value: unknown): Record<string, unknown> | undefined {
  let current = value;
  for (let i = 0; i < 32 && isRecord(current) && typeof current.$ref === "string"; i++) {
    current = current.$ref
      .slice(2)
      .split("/")
      .map((k) => decodeURIComponent(k).replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), document);
  }
  return isRecord(current) ? current : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Assertions with messages that say where, what was expected and what arrived

export class ContractFailure extends Error {
  override readonly name = "ContractFailure";
}

/** `"text"` for strings, JSON for the rest, so `"true"` and `true` read differently. */
export function show(value: unknown): string {
  if (value === undefined) return "undefined";
  const text = JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Collects every mismatch of one check, then fails once listing them all. */
export class Mismatches {
  private readonly lines: string[] = [];
  constructor(private readonly where: string) {}

  /** Deep strict equality; on a difference: `field: expected X, actual Y`. */
  equal(field: string, expected: unknown, actual: unknown): boolean {
    if (isDeepStrictEqual(actual, expected)) return true;
    this.lines.push(`${field}: expected ${show(expected)}, actual ${show(actual)}`);
    return false;
  }

  add(field: string, problem: string): void {
    this.lines.push(`${field}: ${problem}`);
  }

  get count(): number {
    return this.lines.length;
  }

  assertNone(): void {
    if (this.lines.length === 0) return;
    throw new ContractFailure(`${this.where}\n${this.lines.map((l) => `  - ${l}`).join("\n")}`);
  }
}

/** Characters a path segment may carry unencoded (RFC 3986 pchar, plus `%` of escapes). */
const PCHAR = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$/;

/**
 * Compares a received request with the item's recording: method, path (variables substituted,
 * each segment properly percent-encoded and decoding to the recorded value), query pairs,
 * `Authorization: Bearer`, and the body in the given encoding.
 */
export async function checkRequest(
  m: Mismatches,
  c: ContractCase,
  operation: OperationModel,
  received: RecordedRequest,
  encoding: string | undefined,
  expectedJsonBody: Record<string, unknown> | undefined,
): Promise<void> {
  const recorded: RecordedCall = c.recorded;
  m.equal("method", recorded.method, received.method);

  // Path: segment by segment against the spec's template.
  const template = operation.path.split("/");
  const segments = received.path.split("/");
  if (template.length !== segments.length) {
    m.add("path", `expected ${template.length - 1} segments like ${operation.path}, actual ${show(received.path)}`);
  } else {
    const variables = new Map(recorded.pathVariables);
    template.forEach((part, i) => {
      const got = segments[i] ?? "";
      const variable = /^\{(.+)\}$/.exec(part)?.[1];
      if (variable === undefined) {
        m.equal(`path segment ${i}`, part, got);
        return;
      }
      if (!PCHAR.test(got)) m.add(`path variable ${variable}`, `not percent-encoded: actual ${show(got)}`);
      let decoded: string;
      try {
        decoded = decodeURIComponent(got);
      } catch {
        m.add(`path variable ${variable}`, `invalid percent-encoding: actual ${show(got)}`);
        return;
      }
      m.equal(`path variable ${variable}`, variables.get(variable), decoded);
    });
  }

  // Query: the same keys with the same text values, nothing missing, nothing extra.
  const expectedQuery = groupPairs(recorded.query);
  const actualQuery = groupPairs(received.query);
  for (const [key, values] of expectedQuery) m.equal(`query ${key}`, values.length === 1 ? values[0] : values, unwrap(actualQuery.get(key)));
  for (const [key, values] of actualQuery) {
    if (!expectedQuery.has(key)) m.add(`query ${key}`, `not recorded, actual ${show(unwrap(values))}`);
  }

  m.equal("header Authorization", `Bearer ${TOKEN}`, received.headers.authorization);

  // Body.
  const contentType = String(received.headers["content-type"] ?? "");
  if (!recorded.fields) {
    m.equal("body", "", received.text());
    return;
  }
  if (encoding === "multipart/form-data") {
    if (!/^multipart\/form-data;\s*boundary=/i.test(contentType)) {
      m.add("header Content-Type", `expected multipart/form-data with a boundary, actual ${show(contentType)}`);
      return;
    }
    let form: FormData;
    try {
      form = await received.formData();
    } catch (error) {
      m.add("body", `the platform's multipart parser rejected it (${(error as Error).message}): ${show(received.text())}`);
      return;
    }
    const expected = new Map(recorded.fields);
    for (const [key, value] of recorded.fields) {
      const parts = form.getAll(key);
      if (parts.length === 0) {
        m.add(`form field ${key}`, `expected ${show(value)}, actual: no such field`);
        continue;
      }
      if (parts.length > 1) m.add(`form field ${key}`, `expected one part, actual ${parts.length}`);
      const part = parts[0]!;
      if (typeof part !== "string") {
        m.add(`form field ${key}`, `expected a text part ${show(value)}, actual a file part (${part.name || "no file name"})`);
        continue;
      }
      m.equal(`form field ${key}`, value, part);
    }
    for (const key of new Set(form.keys())) {
      if (!expected.has(key)) m.add(`form field ${show(key)}`, `not recorded, actual ${show(form.getAll(key).map(String))}`);
    }
    return;
  }
  // JSON.
  if (!/^application\/json\b/i.test(contentType)) {
    m.add("header Content-Type", `expected application/json, actual ${show(contentType)}`);
    return;
  }
  let body: unknown;
  try {
    body = received.json();
  } catch (error) {
    m.add("body", (error as Error).message);
    return;
  }
  if (!isRecord(body)) {
    m.add("body", `expected a JSON object, actual ${show(body)}`);
    return;
  }
  const expected = expectedJsonBody ?? {};
  for (const [key, value] of Object.entries(expected)) {
    if (!(key in body)) m.add(`JSON field ${key}`, `expected ${show(value)}, actual: no such field`);
    else m.equal(`JSON field ${key}`, value, body[key]);
  }
  for (const key of Object.keys(body)) {
    if (!(key in expected)) m.add(`JSON field ${key}`, `not recorded, actual ${show(body[key])}`);
  }
}

function groupPairs(pairs: ReadonlyArray<readonly [string, string]>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [k, v] of pairs) map.set(k, [...(map.get(k) ?? []), v]);
  return map;
}

function unwrap(values: string[] | undefined): string | string[] | undefined {
  return values === undefined ? undefined : values.length === 1 ? values[0] : values;
}

// ---------------------------------------------------------------------------------------------
// Schema validation (ajv, JSON Schema 2020-12, formats)

type AddFormats = (ajv: Ajv2020) => unknown;
const addFormats: AddFormats = ((ajvFormats as unknown as { default: AddFormats & { default?: AddFormats } }).default.default ??
  (ajvFormats as unknown as { default: AddFormats }).default);

const SPEC_ID = "spec.json";

/** Validates values against schemas of the spec; `$ref`s resolve inside the spec document. */
export class SpecValidator {
  private readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(document: Record<string, unknown>) {
    this.ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema(document, SPEC_ID, undefined, false);
  }

  /** A schema as written in the spec (with document-internal `$ref`s), or a JSON pointer (`#/...`). */
  compile(schema: Record<string, unknown> | string): ValidateFunction {
    const key = typeof schema === "string" ? schema : JSON.stringify(schema);
    let validate = this.cache.get(key);
    if (!validate) {
      const rooted = typeof schema === "string" ? { $ref: `${SPEC_ID}${schema}` } : rootRefs(schema);
      validate = this.ajv.compile(rooted as Record<string, unknown>);
      this.cache.set(key, validate);
    }
    return validate;
  }

  /** [] when valid; otherwise one line per problem: `/pmi: must be integer (actual "abc")`. */
  problems(schema: Record<string, unknown> | string, value: unknown): string[] {
    const validate = this.compile(schema);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => describeError(e, value));
  }

  /** The raw ajv errors (for checking where a mutation was caught). */
  errors(schema: Record<string, unknown> | string, value: unknown): ErrorObject[] {
    const validate = this.compile(schema);
    return validate(value) ? [] : [...(validate.errors ?? [])];
  }
}

function rootRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rootRefs);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#") ? `${SPEC_ID}${v}` : rootRefs(v);
  }
  return out;
}

/** Value at a JSON pointer (ajv's `instancePath`). */
export function valueAt(value: unknown, pointer: string): unknown {
  if (pointer === "") return value;
  return pointer
    .slice(1)
    .split("/")
    .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), value);
}

function describeError(e: ErrorObject, root: unknown): string {
  const where = e.instancePath || "(root)";
  const params = e.params as Record<string, unknown>;
  if (e.keyword === "required") return `${where}: required field ${show(params.missingProperty)} is missing`;
  if (e.keyword === "additionalProperties") return `${where}: field ${show(params.additionalProperty)} is not allowed`;
  const expected =
    e.keyword === "type" ? `expected type ${String(params.type)}` :
    e.keyword === "format" ? `expected format ${String(params.format)}` :
    e.keyword === "enum" ? `expected one of ${show(params.allowedValues)}` :
    `${e.keyword} ${show(params)}`;
  return `${where}: ${e.message ?? "invalid"} (${expected}, actual ${show(valueAt(root, e.instancePath))})`;
}

// ---------------------------------------------------------------------------------------------
// Mutations of a valid body that must fail validation

export interface Mutation {
  /** e.g. `/registrants/0/email as a number`. */
  readonly description: string;
  /** Where the validator must report it (ajv `instancePath`). */
  readonly instancePath: string;
  readonly mutant: unknown;
}

type Resolver = (schema: unknown) => Record<string, unknown>;

/** A value of a JSON type the schema types do not allow. */
function wrongValue(types: readonly string[]): { value: unknown; label: string } | undefined {
  const candidates: Array<{ type: string; value: unknown; label: string }> = [
    { type: "string", value: "not-a-number", label: "a string" },
    { type: "integer", value: 12345, label: "a number" },
    { type: "boolean", value: true, label: "a boolean" },
    { type: "array", value: [], label: "an array" },
    { type: "object", value: {}, label: "an object" },
  ];
  if (types.length === 0) return undefined;
  const allowed = new Set(types.flatMap((t) => (t === "number" ? ["number", "integer"] : [t])));
  return candidates.find((c) => !allowed.has(c.type));
}

/**
 * Two mutants of a body that validates: a field with a wrong type (the first typed leaf, depth
 * first, or the root when the body has no fields), and a required field removed (the first object
 * that has one present). A mutation that the schema gives no room for (no `required` anywhere) is
 * left out.
 */
export function mutationsOf(resolve: Resolver, typesOf: (schema: unknown) => string[], schema: unknown, body: unknown): Mutation[] {
  const out: Mutation[] = [];
  const wrongType = findLeaf(resolve, typesOf, schema, body, "");
  if (wrongType) {
    out.push({ description: `${wrongType.path || "(root)"} as ${wrongType.label}`, instancePath: wrongType.path, mutant: replaceAt(body, wrongType.path, wrongType.value) });
  } else {
    const wrong = wrongValue(typesOf(schema));
    if (wrong) out.push({ description: `(root) as ${wrong.label}`, instancePath: "", mutant: wrong.value });
  }
  const missing = findRequired(resolve, schema, body, "");
  if (missing) {
    out.push({ description: `required ${missing.path}/${missing.key} removed`, instancePath: missing.path, mutant: removeAt(body, missing.path, missing.key) });
  }
  return out;
}

function childSchema(resolve: Resolver, schema: unknown, key: string | number): unknown {
  const s = resolve(schema);
  if (typeof key === "number") return s.items;
  const props = s.properties;
  if (isRecord(props) && props[key] !== undefined) return props[key];
  for (const branch of [...(Array.isArray(s.allOf) ? s.allOf : [])]) {
    const found = childSchema(resolve, branch, key);
    if (found !== undefined) return found;
  }
  return undefined;
}

function findLeaf(
  resolve: Resolver,
  typesOf: (schema: unknown) => string[],
  schema: unknown,
  value: unknown,
  path: string,
): { path: string; value: unknown; label: string } | undefined {
  const entries: Array<[string | number, unknown]> = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : isRecord(value)
      ? Object.entries(value)
      : [];
  for (const [key, child] of entries) {
    const sub = childSchema(resolve, schema, key);
    if (sub === undefined) continue;
    const childPath = `${path}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`;
    if (child !== null && typeof child === "object" && (Array.isArray(child) ? child.length : Object.keys(child).length)) {
      const deeper = findLeaf(resolve, typesOf, sub, child, childPath);
      if (deeper) return deeper;
    }
    const wrong = wrongValue(typesOf(sub));
    if (wrong) return { path: childPath, ...wrong };
  }
  return undefined;
}

function findRequired(resolve: Resolver, schema: unknown, value: unknown, path: string): { path: string; key: string } | undefined {
  if (isRecord(value)) {
    const s = resolve(schema);
    const required = Array.isArray(s.required) ? s.required.filter((k): k is string => typeof k === "string") : [];
    const present = required.find((k) => k in value);
    if (present !== undefined) return { path, key: present };
  }
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : isRecord(value) ? Object.entries(value) : [];
  for (const [key, child] of entries) {
    const sub = childSchema(resolve, schema, key);
    if (sub === undefined) continue;
    const found = findRequired(resolve, sub, child, `${path}/${String(key).replace(/~/g, "~0").replace(/\//g, "~1")}`);
    if (found) return found;
  }
  return undefined;
}

function replaceAt(root: unknown, pointer: string, replacement: unknown): unknown {
  const copy = structuredClone(root);
  const keys = pointer.slice(1).split("/").map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
  const last = keys.pop()!;
  const parent = keys.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], copy) as Record<string, unknown>;
  parent[last] = replacement;
  return copy;
}

function removeAt(root: unknown, parentPointer: string, key: string): unknown {
  const copy = structuredClone(root);
  const parent = valueAt(copy, parentPointer) as Record<string, unknown>;
  delete parent[key];
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Structural diff of two JSON values

export interface Difference {
  /** Where, e.g. `response[1].body → /registrants/0/email` or `request.url.query[0].value`. */
  readonly path: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/**
 * Every leaf where two JSON values differ. Strings that both hold JSON objects or arrays (Postman
 * keeps bodies and array form fields as JSON text) are compared inside, so a changed value is
 * reported by its own path, not as one long string.
 */
export function diffJson(expected: unknown, actual: unknown, path = "", inJsonText = false): Difference[] {
  if (isDeepStrictEqual(expected, actual)) return [];
  const at = (key: string | number) =>
    inJsonText ? `${path}/${key}` : typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;
  if (typeof expected === "string" && typeof actual === "string") {
    const a = parseJsonContainer(expected);
    const b = parseJsonContainer(actual);
    if (a.ok && b.ok) return diffJson(a.value, b.value, `${path || "(root)"} → `, true);
    return [{ path: path || "(root)", expected, actual }];
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const out: Difference[] = [];
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      if (i >= expected.length) out.push({ path: at(i), expected: "(nothing)", actual: actual[i] });
      else if (i >= actual.length) out.push({ path: at(i), expected: expected[i], actual: "(nothing)" });
      else out.push(...diffJson(expected[i], actual[i], at(i), inJsonText));
    }
    return out;
  }
  if (isRecord(expected) && isRecord(actual)) {
    const out: Difference[] = [];
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      if (!(key in actual)) out.push({ path: at(key), expected: expected[key], actual: "(missing)" });
      else if (!(key in expected)) out.push({ path: at(key), expected: "(missing)", actual: actual[key] });
      else out.push(...diffJson(expected[key], actual[key], at(key), inJsonText));
    }
    return out;
  }
  return [{ path: (inJsonText && path.endsWith("→ ") ? `${path}(root)` : path) || "(root)", expected, actual }];
}

function parseJsonContainer(text: string): { ok: true; value: unknown } | { ok: false } {
  const t = text.trim();
  if (!(t.startsWith("{") || t.startsWith("["))) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(t) as unknown };
  } catch {
    return { ok: false };
  }
}
