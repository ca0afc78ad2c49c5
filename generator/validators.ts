/**
 * Compiles the input validators of `generated/validators.ts`: one JSON Schema per operation for
 * `{path, query, body}`, compiled with ajv standalone (JSON Schema 2020-12, as OpenAPI 3.1 uses) into
 * plain JavaScript. The emitted file is self-contained: ajv's run-time helpers and the format checks
 * from ajv-formats are written into it, so the generated client does not depend on ajv.
 */
import { _, Ajv2020, Name } from "ajv/dist/2020.js";
import standaloneCode from "ajv/dist/standalone/index.js";
import addFormats from "ajv-formats";
import { GeneratorError } from "./errors.js";
import { tsPropertyKey } from "./escape.js";
import { pointerSegment } from "./json-pointer.js";
import { compareText } from "./order.js";
import type { JsonSchema, OperationModel, ParameterModel } from "./model.js";

/** The id the document is registered under, so its `#/components/...` pointers resolve. Never fetched. */
const DOCUMENT_ID = "https://zoomgen.invalid/openapi.json";
/** Where the per-operation input schemas are placed inside (a copy of) the document. */
const INPUTS_KEY = "x-zoomgen-inputs";
// Without a prototype, an operation named like an Object.prototype member (`valueOf`) that has no
// validator finds `undefined` here, not the inherited function.
const NO_PROTOTYPE = "Object.assign(Object.create(null) as Record<string, InputValidator>, ";

/** The name ajv's emitted code uses for formats that are functions rather than regular expressions. */
const FORMATS_NAME = "ajvFormats";

/**
 * Returns the TypeScript source of `generated/validators.ts`, which exports
 * `validators: Record<string, InputValidator>` keyed by operationId (operations that take input only).
 * Deterministic: the same document and operations give the same text, byte for byte.
 */
export function compileValidators(document: Record<string, unknown>, operations: readonly OperationModel[]): string {
  const withInput = operations.filter(hasInput).sort((a, b) => compareText(a.id, b.id));
  const header = [
    "// @ts-nocheck -- ajv emits untyped JavaScript; the typed surface is `validators` at the end of this file.",
    "/* Input validators compiled from the spec with ajv (JSON Schema 2020-12). No run-time dependencies. */",
    'import type { InputValidator } from "./runtime/index.js";',
    "",
  ];
  if (withInput.length === 0) {
    return [...header, "/** Input validators by operationId (no operation takes input). */", `export const validators: Record<string, InputValidator> = ${NO_PROTOTYPE}{});`, ""].join("\n");
  }

  const inputs: Record<string, JsonSchema> = {};
  for (const operation of withInput) {
    inputs[operation.id] = inputSchema(operation);
  }
  const ajv = new Ajv2020({
    allErrors: true,
    // Each \$ref'd schema becomes one shared function instead of a copy per use: a smaller file.
    inlineRefs: false,
    strict: false, // OpenAPI adds keywords (example, discriminator, xml...) that are not JSON Schema
    logger: false,
    code: { source: true, esm: true, lines: true, formats: _`${new Name(FORMATS_NAME)}` },
  });
  addFormats.default(ajv, { mode: "full", keywords: false });
  // The document is an OpenAPI document, not a schema: skip meta-schema validation when adding it.
  const withInputs = { ...document, [INPUTS_KEY]: inputs };
  const schemaDocument = isOpenApi30(document) ? (fromOpenApi30(withInputs) as Record<string, unknown>) : withInputs;
  ajv.addSchema(schemaDocument, DOCUMENT_ID, undefined, false);

  const exportNames = new Map<string, string>();
  const refs: Record<string, string> = {};
  withInput.forEach((operation, index) => {
    const name = `validateInput${index}`;
    exportNames.set(operation.id, name);
    refs[name] = `${DOCUMENT_ID}#/${INPUTS_KEY}/${uriPointerSegment(operation.id)}`;
  });

  let code: string;
  try {
    code = standaloneCode.default(ajv, refs);
  } catch (error) {
    throw new GeneratorError(`could not compile input validators: ${(error as Error).message}`, { cause: error });
  }
  const body = makeLocal(code);
  const entries = withInput.map((operation) => `  ${tsPropertyKey(operation.id)}: ${exportNames.get(operation.id)},`);
  return [
    ...header,
    body.trim(),
    "",
    "/** Input validators by operationId; each checks `{path, query, body}` and reports `errors` like ajv. */",
    `export const validators: Record<string, InputValidator> = ${NO_PROTOTYPE}{`,
    ...entries,
    "});",
    "",
  ].join("\n");
}

function isOpenApi30(document: Record<string, unknown>): boolean {
  return typeof document.openapi === "string" && document.openapi.startsWith("3.0");
}

/**
 * OpenAPI 3.0 schemas are not JSON Schema 2020-12: `nullable: true` stands for a `null` type, and
 * `exclusiveMinimum`/`exclusiveMaximum` are booleans that qualify `minimum`/`maximum`. Rewrites a copy
 * so ajv reads them as 3.0 means them. (3.1 schemas are JSON Schema already.)
 */
export function fromOpenApi30(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromOpenApi30);
  if (typeof value !== "object" || value === null) return value;
  const node: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) node[key] = fromOpenApi30(child);
  if (node.nullable === true) {
    if (typeof node.type === "string") node.type = [node.type, "null"];
    if (Array.isArray(node.enum) && !node.enum.includes(null)) node.enum = [...node.enum, null];
  }
  if (typeof node.nullable === "boolean") delete node.nullable;
  for (const [exclusive, bound] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]] as const) {
    if (node[exclusive] === true && typeof node[bound] === "number") {
      node[exclusive] = node[bound];
      delete node[bound];
    } else if (typeof node[exclusive] === "boolean") {
      delete node[exclusive];
    }
  }
  return node;
}

function hasInput(operation: OperationModel): boolean {
  return operation.pathParams.length > 0 || operation.queryParams.length > 0 || operation.requestBody !== undefined;
}

/** The schema of `{path, query, body}` for one operation; its `$ref`s resolve against the document. */
function inputSchema(operation: OperationModel): JsonSchema {
  const required: string[] = [];
  if (operation.pathParams.length > 0) required.push("path");
  if (operation.requestBody?.required) required.push("body");
  const properties: Record<string, JsonSchema> = {
    path: parametersSchema(operation.pathParams),
    query: parametersSchema(operation.queryParams),
  };
  if (operation.requestBody !== undefined) properties["body"] = operation.requestBody.schema;
  return { type: "object", properties, required };
}

function parametersSchema(parameters: readonly ParameterModel[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const parameter of parameters) {
    properties[parameter.name] = parameter.schema;
    // Path parameters are always required in OpenAPI.
    if (parameter.required || parameter.in === "path") required.push(parameter.name);
  }
  return { type: "object", properties, required };
}

/** A JSON pointer segment, percent-encoded for use in a URI fragment. */
function uriPointerSegment(key: string): string {
  return encodeURIComponent(pointerSegment(key));
}

/**
 * Makes ajv's module local: drops its exports (the file exports `validators` only) and replaces the
 * `require(...)` of ajv's run-time helpers and of ajv-formats with local definitions.
 */
function makeLocal(code: string): string {
  let body = code
    .replace(/^"use strict";/, "")
    .replace(/^export const (\w+) = (\w+);$/gm, "const $1 = $2;");
  const prelude: string[] = [];
  for (const [required, local] of Object.entries(RUNTIME_HELPERS)) {
    if (!body.includes(required)) continue;
    body = body.split(required).join(local.name);
    prelude.push(local.source);
  }
  const usedFormats = [...new Set([...body.matchAll(new RegExp(`\\b${FORMATS_NAME}(?:\\.(\\w+)|\\["([^"]+)"\\])`, "g"))].map((m) => m[1] ?? m[2] ?? ""))].sort();
  if (usedFormats.length > 0) {
    const missing = usedFormats.filter((name) => !(name in FORMAT_SOURCES));
    if (missing.length > 0) throw new GeneratorError(`no self-contained implementation of format(s) ${missing.join(", ")}`);
    prelude.push(FORMAT_HELPERS);
    const entries = usedFormats.map((name) => `  ${JSON.stringify(name)}: ${FORMAT_SOURCES[name]},`);
    prelude.push(`const ${FORMATS_NAME} = {\n${entries.join("\n")}\n};`);
  }
  const leftover = /\brequire\(("[^"]*")\)/.exec(body);
  if (leftover) throw new GeneratorError(`ajv emitted a run-time dependency that cannot be inlined: ${leftover[1]}`);
  return [...prelude, body].join("\n");
}

/** ajv's run-time helpers, by the `require` expression ajv emits for them, with local sources. */
const RUNTIME_HELPERS: Readonly<Record<string, { name: string; source: string }>> = {
  'require("ajv/dist/runtime/ucs2length").default': {
    name: "ucs2length",
    // Length in Unicode code points, as JSON Schema's minLength/maxLength count (a port of ajv's helper).
    source: `function ucs2length(str) {
  let length = 0;
  for (let pos = 0; pos < str.length; length++) {
    const value = str.charCodeAt(pos++);
    if (value >= 0xd800 && value <= 0xdbff && pos < str.length && (str.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++;
  }
  return length;
}`,
  },
  'require("ajv/dist/runtime/equal").default': {
    name: "deepEqual",
    // Structural equality of JSON values, for enum, const and uniqueItems (fast-deep-equal, JSON subset).
    source: `function deepEqual(a, b) {
  if (a === b) return true;
  if (!a || !b || typeof a !== "object" || typeof b !== "object" || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length &&
    keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && deepEqual(a[key], b[key]));
}`,
  },
};

// ajv-formats' regular-expression formats are inlined by ajv itself; the ones below are functions there,
// ported here with the same shape (a function, or an object with `validate`) and the same rules.
const URI =
  /^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$/i;

const FORMAT_HELPERS = String.raw`const formatDays = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function formatDate(str) {
  const m = /^(\d\d\d\d)-(\d\d)-(\d\d)$/.exec(str);
  if (!m) return false;
  const year = +m[1], month = +m[2], day = +m[3];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : formatDays[month]);
}
function formatTime(strictTimeZone) {
  return (str) => {
    const m = /^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$/i.exec(str);
    if (!m) return false;
    const hr = +m[1], min = +m[2], sec = +m[3], tz = m[4];
    const tzSign = m[5] === "-" ? -1 : 1, tzH = +(m[6] || 0), tzM = +(m[7] || 0);
    if (tzH > 23 || tzM > 59 || (strictTimeZone && !tz)) return false;
    if (hr <= 23 && min <= 59 && sec < 60) return true;
    const utcMin = min - tzM * tzSign; // a leap second is valid at 23:59:60 UTC only
    const utcHr = hr - tzH * tzSign - (utcMin < 0 ? 1 : 0);
    return (utcHr === 23 || utcHr === -1) && (utcMin === 59 || utcMin === -1) && sec < 61;
  };
}
function formatDateTime(strictTimeZone) {
  const time = formatTime(strictTimeZone);
  return (str) => {
    const parts = str.split(/t|\s/i);
    return parts.length === 2 && formatDate(parts[0]) && time(parts[1]);
  };
}
const formatUri = ${URI.toString()};`;

const FORMAT_SOURCES: Readonly<Record<string, string>> = {
  date: "{ validate: formatDate }",
  time: "{ validate: formatTime(true) }",
  "date-time": "{ validate: formatDateTime(true) }",
  "iso-time": "{ validate: formatTime(false) }",
  "iso-date-time": "{ validate: formatDateTime(false) }",
  uri: String.raw`(str) => /\/|:/.test(str) && formatUri.test(str)`,
  regex: String.raw`(str) => {
    if (/[^\\]\\Z/.test(str)) return false;
    try { new RegExp(str); return true; } catch { return false; }
  }`,
  byte: String.raw`(str) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(str)`,
  int32: "{ validate: (value) => Number.isInteger(value) && value <= 2147483647 && value >= -2147483648 }",
  int64: "{ validate: (value) => Number.isInteger(value) }",
  float: "{ validate: () => true }",
  double: "{ validate: () => true }",
};

/** Format names whose checks the emitted file defines itself (exported for tests). */
export const LOCAL_FORMAT_NAMES: readonly string[] = Object.keys(FORMAT_SOURCES);
