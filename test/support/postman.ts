/**
 * Loading the recorded Postman items (test/fixtures/postman/*.json) and turning them into
 * what the contract tests need:
 *
 * - which operation of the generator's model an item is (method + path template, `:userId` ↔ `{userId}`);
 * - typed call inputs, from the recorded text values, by the operation's schemas (`$ref`s resolved);
 * - the exact request the item recorded (path, query, form fields), to compare with what arrived;
 * - each recorded response as a `ReplayResponse` for the replay server.
 *
 * Nothing here knows about a particular item: a sixth fixture with its operation in the spec
 * flows through the same code.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ApiModel, OperationModel } from "../../generator/model.js";
import type { ReplayResponse } from "./replay-server.js";

export const FIXTURE_DIR = fileURLToPath(new URL("../fixtures/postman/", import.meta.url));
export const SPEC_FILE = fileURLToPath(new URL("../../spec/zoom.yaml", import.meta.url));

// ---------------------------------------------------------------------------------------------
// The Postman collection item format (v2.1), the parts we read

export interface PostmanKeyValue {
  readonly key: string;
  readonly value?: string;
  readonly description?: string;
  readonly type?: string;
  readonly disabled?: boolean;
}

export interface PostmanUrl {
  readonly raw: string;
  readonly host?: readonly string[];
  readonly path?: readonly string[];
  readonly query?: readonly PostmanKeyValue[];
  readonly variable?: readonly PostmanKeyValue[];
}

export interface PostmanBody {
  readonly mode: string;
  readonly raw?: string;
  readonly formdata?: readonly PostmanKeyValue[];
  readonly urlencoded?: readonly PostmanKeyValue[];
}

export interface PostmanRequest {
  readonly method: string;
  readonly header?: readonly PostmanKeyValue[];
  readonly body?: PostmanBody;
  readonly url: PostmanUrl;
  readonly description?: string;
}

export interface PostmanResponse {
  readonly name: string;
  readonly originalRequest?: PostmanRequest;
  readonly status: string;
  readonly code: number;
  readonly header?: readonly PostmanKeyValue[];
  readonly body?: string;
}

export interface PostmanItem {
  readonly name: string;
  readonly request: PostmanRequest;
  readonly response: readonly PostmanResponse[];
}

export interface Fixture {
  /** File name inside the fixture folder, e.g. `get-a-user.json`. */
  readonly file: string;
  readonly item: PostmanItem;
}

/** Every `*.json` directly in the fixture folder, sorted by file name. */
export function loadFixtures(dir: string = FIXTURE_DIR): Fixture[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(dir, file), "utf8");
      let item: PostmanItem;
      try {
        item = JSON.parse(text) as PostmanItem;
      } catch (error) {
        throw new Error(`fixture ${file}: not JSON (${(error as Error).message})`);
      }
      if (typeof item?.name !== "string" || typeof item.request?.method !== "string" || !Array.isArray(item.response)) {
        throw new Error(`fixture ${file}: not a Postman item (needs name, request.method, response[])`);
      }
      return { file, item };
    });
}

// ---------------------------------------------------------------------------------------------
// Matching an item to an operation

/** The item's path as an OpenAPI template: `/users/:userId` → `/users/{userId}`. */
export function pathTemplate(item: PostmanItem): string {
  const segments = item.request.url.path ?? [];
  return "/" + segments.map((s) => (s.startsWith(":") ? `{${s.slice(1)}}` : s)).join("/");
}

/** The few fields of the generator's `OperationModel` / `OperationGroup` this module reads. */
export interface OperationLike {
  readonly id: string;
  readonly methodName: string;
  readonly method: string;
  readonly path: string;
  readonly pathParams: ReadonlyArray<{ readonly name: string; readonly schema: Record<string, unknown> }>;
  readonly queryParams: ReadonlyArray<{ readonly name: string; readonly schema: Record<string, unknown> }>;
  readonly requestBody:
    | { readonly mediaTypes: readonly string[]; readonly schema: Record<string, unknown> }
    | undefined;
  readonly responses: ReadonlyArray<{
    readonly status: string;
    readonly bodyKind: string;
    readonly schema: Record<string, unknown> | undefined;
    readonly headers: readonly string[];
  }>;
}
export interface GroupLike<Op extends OperationLike = OperationLike> {
  readonly tag: string;
  readonly propertyName: string;
  readonly operations: readonly Op[];
}

export interface Matched<Op extends OperationLike = OperationLike> {
  readonly group: GroupLike<Op>;
  readonly operation: Op;
}

/** The operation (and its client group) that an item records; a clear error when there is none. */
export function matchOperation<Op extends OperationLike>(
  groups: readonly GroupLike<Op>[],
  fixture: Fixture,
): Matched<Op> {
  const method = fixture.item.request.method.toUpperCase();
  const template = pathTemplate(fixture.item);
  const found: Matched<Op>[] = [];
  for (const group of groups) {
    for (const operation of group.operations) {
      if (operation.method.toUpperCase() === method && operation.path === template) found.push({ group, operation });
    }
  }
  if (found.length === 1) return found[0]!;
  const known = groups.flatMap((g) => g.operations.map((o) => `${o.method} ${o.path}`)).join(", ");
  throw new Error(
    found.length === 0
      ? `"${fixture.item.name}" (${fixture.file}): no operation ${method} ${template} in the spec (it has: ${known})`
      : `"${fixture.item.name}" (${fixture.file}): ${found.length} operations match ${method} ${template}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Schemas: resolving `$ref`s and reading types

export type Schema = Record<string, unknown>;

/** Follows document-internal `$ref`s (`#/components/schemas/X`) until a schema without one. */
export function resolveSchema(document: Record<string, unknown>, schema: unknown): Schema {
  let current = schema;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === "string") {
    const ref = current.$ref;
    if (seen.has(ref)) throw new Error(`$ref cycle at ${ref}`);
    seen.add(ref);
    current = resolvePointer(document, ref);
  }
  if (!isObject(current)) throw new Error(`not a schema: ${JSON.stringify(schema)}`);
  return current;
}

/** `#/a/b~1c` inside the document. */
export function resolvePointer(document: Record<string, unknown>, ref: string): unknown {
  if (!ref.startsWith("#")) throw new Error(`only document-internal $refs are supported, got ${ref}`);
  let node: unknown = document;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObject(node) && !Array.isArray(node)) throw new Error(`$ref ${ref}: nothing at ${key}`);
    node = (node as Record<string, unknown>)[key];
    if (node === undefined) throw new Error(`$ref ${ref}: nothing at ${key}`);
  }
  return node;
}

/** The JSON types a schema allows (`type`, or the union of `oneOf`/`anyOf`/`allOf` branches); [] = any. */
export function schemaTypes(document: Record<string, unknown>, schema: unknown): string[] {
  const s = resolveSchema(document, schema);
  if (typeof s.type === "string") return [s.type];
  if (Array.isArray(s.type)) return s.type.filter((t): t is string => typeof t === "string");
  if ("const" in s) return [jsonTypeOf(s.const)];
  if (Array.isArray(s.enum) && s.enum.length > 0) return [...new Set(s.enum.map(jsonTypeOf))];
  for (const key of ["oneOf", "anyOf", "allOf"] as const) {
    const branches = s[key];
    if (Array.isArray(branches) && branches.length > 0) {
      const types = branches.map((b) => schemaTypes(document, b));
      if (types.some((t) => t.length === 0)) return key === "allOf" ? types.flat() : [];
      return [...new Set(types.flat())];
    }
  }
  if (isObject(s.properties)) return ["object"];
  if (s.items !== undefined) return ["array"];
  return [];
}

/** The schema of property `name` of an object schema (following `allOf` too), or undefined. */
export function propertySchema(document: Record<string, unknown>, schema: unknown, name: string): Schema | undefined {
  const s = resolveSchema(document, schema);
  if (isObject(s.properties) && s.properties[name] !== undefined) return resolveSchema(document, s.properties[name]);
  for (const key of ["allOf", "oneOf", "anyOf"] as const) {
    const branches = s[key];
    if (!Array.isArray(branches)) continue;
    for (const branch of branches) {
      const found = propertySchema(document, branch, name);
      if (found) return found;
    }
  }
  return undefined;
}

export function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Recorded text → typed value

/** Why a recorded text value could not become a value of the schema's type. */
export class CoercionError extends Error {
  override readonly name = "CoercionError";
}

/**
 * A recorded text value (Postman keeps every variable, query value and form field as text) as a
 * value of the schema's type: "100" → 100 for an integer, "true" → true for a boolean, JSON text
 * → the parsed array/object for array/object schemas, strings unchanged.
 */
export function coerce(document: Record<string, unknown>, schema: unknown, text: string, where: string): unknown {
  const types = schemaTypes(document, schema);
  const fail = (why: string) =>
    new CoercionError(`${where}: recorded ${JSON.stringify(text)} ${why} (schema type: ${types.join(" | ") || "any"})`);
  if (types.length === 0) return text;
  // Every other type first: with `anyOf: [integer, string]`, "85746065432" is the number.
  const order = ["integer", "number", "boolean", "null", "array", "object", "string"];
  for (const type of [...types].sort((a, b) => order.indexOf(a) - order.indexOf(b))) {
    switch (type) {
      case "integer":
        if (/^-?\d+$/.test(text)) {
          const n = Number(text);
          if (!Number.isSafeInteger(n)) throw fail("is an integer beyond Number.MAX_SAFE_INTEGER");
          return n;
        }
        break;
      case "number":
        if (/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(text)) return Number(text);
        break;
      case "boolean":
        if (text === "true") return true;
        if (text === "false") return false;
        break;
      case "string":
        return text;
      case "null":
        if (text === "null") return null;
        break;
      case "array":
      case "object": {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          break;
        }
        if (jsonTypeOf(parsed) === type) return parsed;
        break;
      }
    }
  }
  throw fail("is not a valid value of that type");
}

/** Enabled entries only (Postman keeps disabled ones in the export). */
function enabled(list: readonly PostmanKeyValue[] | undefined): PostmanKeyValue[] {
  return (list ?? []).filter((entry) => !entry.disabled);
}

/** What the item recorded for its request, as text, the way it went over the wire. */
export interface RecordedCall {
  readonly method: string;
  /** Path variables by name, as recorded. */
  readonly pathVariables: ReadonlyArray<readonly [string, string]>;
  /** Query pairs, as recorded. */
  readonly query: ReadonlyArray<readonly [string, string]>;
  /** Body fields, as recorded (form fields as text parts), or undefined without a body. */
  readonly fields: ReadonlyArray<readonly [string, string]> | undefined;
  /** The body mode Postman recorded: "formdata", "urlencoded", "raw", or undefined. */
  readonly bodyMode: string | undefined;
}

export function recordedCall(item: PostmanItem): RecordedCall {
  const { request } = item;
  const body = request.body;
  let fields: Array<readonly [string, string]> | undefined;
  if (body?.mode === "formdata" || body?.mode === "urlencoded") {
    const list = body.mode === "formdata" ? body.formdata : body.urlencoded;
    fields = enabled(list).map((f) => {
      if (f.type !== undefined && f.type !== "text") {
        throw new Error(`"${item.name}": form field ${f.key} is a ${f.type} part; only text parts are supported`);
      }
      return [f.key, f.value ?? ""] as const;
    });
  } else if (body?.mode === "raw" && body.raw) {
    const parsed = JSON.parse(body.raw) as unknown;
    if (!isObject(parsed)) throw new Error(`"${item.name}": raw body is not a JSON object`);
    fields = Object.entries(parsed).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)] as const);
  }
  return {
    method: request.method.toUpperCase(),
    pathVariables: enabled(request.url.variable).map((v) => [v.key, v.value ?? ""] as const),
    query: enabled(request.url.query).map((q) => [q.key, q.value ?? ""] as const),
    fields,
    bodyMode: body?.mode,
  };
}

/** The typed input for the generated method: `{ path, query, body }` (keys only when present). */
export interface TypedInput {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: Record<string, unknown>;
}

/** The item's recorded values as a typed call input, by the operation's schemas. */
export function typedInput(document: Record<string, unknown>, item: PostmanItem, operation: OperationLike): TypedInput {
  const recorded = recordedCall(item);
  const input: TypedInput = {};
  const paramSchema = (list: OperationLike["pathParams"], name: string, where: string) => {
    const param = list.find((p) => p.name === name);
    if (!param) throw new CoercionError(`${where}: the spec's ${operation.id} documents no such parameter`);
    return param.schema;
  };
  if (recorded.pathVariables.length > 0) {
    input.path = {};
    for (const [name, text] of recorded.pathVariables) {
      const where = `"${item.name}" path variable ${name}`;
      input.path[name] = coerce(document, paramSchema(operation.pathParams, name, where), text, where);
    }
  }
  if (recorded.query.length > 0) {
    input.query = {};
    for (const [name, text] of recorded.query) {
      const where = `"${item.name}" query ${name}`;
      input.query[name] = coerce(document, paramSchema(operation.queryParams, name, where), text, where);
    }
  }
  if (recorded.fields) {
    if (!operation.requestBody) throw new CoercionError(`"${item.name}": recorded a body, the spec's ${operation.id} has none`);
    input.body = {};
    for (const [name, text] of recorded.fields) {
      const where = `"${item.name}" body field ${name}`;
      const schema = propertySchema(document, operation.requestBody.schema, name);
      if (!schema) throw new CoercionError(`${where}: the spec's ${operation.id} request body has no such property`);
      input.body[name] = coerce(document, schema, text, where);
    }
  }
  return input;
}

// ---------------------------------------------------------------------------------------------
// Responses

/** The recorded Content-Type of a response ("" when none was recorded). */
export function recordedContentType(response: PostmanResponse): string {
  return enabled(response.header).find((h) => h.key.toLowerCase() === "content-type")?.value ?? "";
}

/** A recorded response as the replay server serves it: status, headers in order, body bytes. */
export function replayOf(response: PostmanResponse): ReplayResponse {
  return {
    status: response.code,
    statusText: response.status,
    headers: enabled(response.header).map((h) => [h.key, h.value ?? ""] as const),
    body: response.body ?? "",
  };
}

/** Short label for test names: `404 (recorded text/plain)`. */
export function responseLabel(response: PostmanResponse): string {
  return `${response.code} (recorded ${recordedContentType(response) || "without Content-Type"})`;
}

/** The recorded body parsed as JSON, or undefined when it is empty or not JSON. */
export function recordedJson(response: PostmanResponse): { ok: true; value: unknown } | { ok: false } {
  const body = response.body ?? "";
  if (body.trim() === "") return { ok: false };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false };
  }
}

// ---------------------------------------------------------------------------------------------
// The whole contract: spec + model + fixtures, matched

/** One fixture with its operation and typed input, or the reason it has none. */
export interface ContractCase {
  readonly fixture: Fixture;
  /** The Postman item's name, used in every test name and failure message. */
  readonly name: string;
  readonly recorded: RecordedCall;
  readonly match: Matched<OperationModel> | undefined;
  readonly input: TypedInput | undefined;
  /** Why `match` or `input` is missing (no operation in the spec, a value of the wrong type...). */
  readonly problem: Error | undefined;
}

export interface Contract {
  readonly document: Record<string, unknown>;
  readonly model: ApiModel;
  readonly cases: readonly ContractCase[];
}

/**
 * Loads the spec with the generator's own loader, builds the generator's model, and pairs every
 * fixture with its operation. A fixture that cannot be paired or typed does not throw here: its
 * `problem` says why, so each test of that item fails with the reason and the others still run.
 */
export async function loadContract(specFile: string = SPEC_FILE, fixtureDir: string = FIXTURE_DIR): Promise<Contract> {
  const { loadSpec } = await import("../../generator/load.js");
  const { buildModel } = await import("../../generator/build-model.js");
  const { document } = await loadSpec(specFile);
  const model = buildModel(document, {});
  const cases = loadFixtures(fixtureDir).map((fixture): ContractCase => {
    const name = fixture.item.name;
    const recorded = recordedCall(fixture.item);
    let match: Matched<OperationModel> | undefined;
    try {
      match = matchOperation(model.groups, fixture);
      return { fixture, name, recorded, match, input: typedInput(document, fixture.item, match.operation), problem: undefined };
    } catch (error) {
      return { fixture, name, recorded, match, input: undefined, problem: error instanceof Error ? error : new Error(String(error)) };
    }
  });
  return { document, model, cases };
}

/** The operation and typed input of a case, or its problem thrown (for use inside a test). */
export function need(c: ContractCase): { group: GroupLike<OperationModel>; operation: OperationModel; input: TypedInput } {
  if (c.problem || !c.match || !c.input) throw c.problem ?? new Error(`"${c.name}": no operation`);
  return { group: c.match.group, operation: c.match.operation, input: c.input };
}

/** The spec's response for a status: exact ("404"), then range ("4XX"), then "default". */
export function specResponse<R extends { readonly status: string }>(responses: readonly R[], status: number): R | undefined {
  return (
    responses.find((r) => r.status === String(status)) ??
    responses.find((r) => r.status.toUpperCase() === `${String(status)[0]}XX`) ??
    responses.find((r) => r.status === "default")
  );
}
