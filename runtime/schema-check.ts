/**
 * A small JSON Schema (2020-12, as OpenAPI 3.1 uses it) checker for the input schemas the generator
 * emits as data. The generator normalises schemas first (OpenAPI 3.0 rewritten as 3.1, annotations
 * dropped, patterns vetted, `$ref`s turned into functions returning the shared schema), so this file
 * only evaluates. Issues have ajv's shape and wording, so messages stay as they were with ajv.
 */
import { matchesFormat } from "./schema-formats.js";
import type { Schema, SchemaObject, ValidatorIssue } from "./types.js";

export type { Schema, SchemaObject } from "./types.js";

/** Checks `value` against `schema`; returns every issue found (empty when valid). */
export function checkSchema(schema: Schema, value: unknown): ValidatorIssue[] {
  const issues: ValidatorIssue[] = [];
  check(schema, value, "", issues);
  return issues;
}

function check(schema: Schema, value: unknown, at: string, issues: ValidatorIssue[]): void {
  if (schema === true) return;
  if (schema === false) {
    issues.push({ instancePath: at, keyword: "false schema", message: "boolean schema is false", params: {} });
    return;
  }
  const report = (keyword: string, message: string, params: Record<string, unknown> = {}) =>
    issues.push({ instancePath: at, keyword, message, params });

  if (schema.type !== undefined && !hasType(value, schema.type)) {
    const type = typeof schema.type === "string" ? schema.type : schema.type.join(",");
    report("type", `must be ${type}`, { type });
  }
  if (schema.$ref !== undefined) check(schema.$ref(), value, at, issues);
  if ("const" in schema && !jsonEqual(value, schema.const)) {
    report("const", "must be equal to constant", { allowedValue: schema.const });
  }
  if (schema.enum !== undefined && !schema.enum.some((allowed) => jsonEqual(value, allowed))) {
    report("enum", "must be equal to one of the allowed values", { allowedValues: schema.enum });
  }
  if (schema.not !== undefined && passes(schema.not, value)) report("not", "must NOT be valid");
  if (schema.anyOf !== undefined && !schema.anyOf.some((branch) => passes(branch, value))) {
    report("anyOf", "must match a schema in anyOf");
  }
  if (schema.oneOf !== undefined) {
    const passing = schema.oneOf.flatMap((branch, index) => (passes(branch, value) ? [index] : []));
    if (passing.length !== 1) {
      report("oneOf", "must match exactly one schema in oneOf", { passingSchemas: passing.length === 0 ? null : passing });
    }
  }
  for (const part of schema.allOf ?? []) check(part, value, at, issues);
  if (schema.if !== undefined) {
    const branch = passes(schema.if, value) ? "then" : "else";
    const chosen = schema[branch];
    if (chosen !== undefined && !passes(chosen, value)) {
      check(chosen, value, at, issues);
      report("if", `must match "${branch}" schema`, { failingKeyword: branch });
    }
  }
  if (typeof value === "number") checkNumber(schema, value, report);
  else if (typeof value === "string") checkString(schema, value, report);
  else if (Array.isArray(value)) checkArray(schema, value, at, issues, report);
  else if (isObject(value)) checkObject(schema, value, at, issues, report);
  if (schema.format !== undefined && !matchesFormat(schema.format, value)) {
    report("format", `must match format "${schema.format}"`, { format: schema.format });
  }
}

type Report = (keyword: string, message: string, params?: Record<string, unknown>) => void;

function checkNumber(schema: SchemaObject, value: number, report: Report): void {
  // Plain comparisons, in ajv's order: this runs for every number of every call.
  const { maximum, minimum, exclusiveMaximum, exclusiveMinimum } = schema;
  if (maximum !== undefined && !(value <= maximum)) report("maximum", `must be <= ${maximum}`, { comparison: "<=", limit: maximum });
  if (minimum !== undefined && !(value >= minimum)) report("minimum", `must be >= ${minimum}`, { comparison: ">=", limit: minimum });
  if (exclusiveMaximum !== undefined && !(value < exclusiveMaximum)) {
    report("exclusiveMaximum", `must be < ${exclusiveMaximum}`, { comparison: "<", limit: exclusiveMaximum });
  }
  if (exclusiveMinimum !== undefined && !(value > exclusiveMinimum)) {
    report("exclusiveMinimum", `must be > ${exclusiveMinimum}`, { comparison: ">", limit: exclusiveMinimum });
  }
  if (schema.multipleOf !== undefined && !isMultiple(value, schema.multipleOf)) {
    report("multipleOf", `must be multiple of ${schema.multipleOf}`, { multipleOf: schema.multipleOf });
  }
}

/** As ajv decides it: the quotient is an integer, within floating-point noise for decimal steps like 0.01. */
function isMultiple(value: number, step: number): boolean {
  const quotient = value / step;
  return Number.isInteger(quotient) || Math.abs(quotient - Math.round(quotient)) < 1e-9 * Math.max(1, Math.abs(quotient));
}

function checkString(schema: SchemaObject, value: string, report: Report): void {
  if (schema.maxLength !== undefined || schema.minLength !== undefined) {
    const length = codePointLength(value);
    if (schema.maxLength !== undefined && length > schema.maxLength) {
      report("maxLength", `must NOT have more than ${schema.maxLength} characters`, { limit: schema.maxLength });
    }
    if (schema.minLength !== undefined && length < schema.minLength) {
      report("minLength", `must NOT have fewer than ${schema.minLength} characters`, { limit: schema.minLength });
    }
  }
  if (schema.pattern !== undefined && !compiled(schema.pattern, schema.patternFlags).test(value)) {
    report("pattern", `must match pattern "${schema.pattern}"`, { pattern: schema.pattern });
  }
}

function checkArray(schema: SchemaObject, value: readonly unknown[], at: string, issues: ValidatorIssue[], report: Report): void {
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    report("maxItems", `must NOT have more than ${schema.maxItems} items`, { limit: schema.maxItems });
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    report("minItems", `must NOT have fewer than ${schema.minItems} items`, { limit: schema.minItems });
  }
  const prefix = schema.prefixItems ?? [];
  prefix.forEach((item, index) => {
    if (index < value.length) check(item, value[index], `${at}/${index}`, issues);
  });
  if (schema.items !== undefined) {
    for (let index = prefix.length; index < value.length; index++) check(schema.items, value[index], `${at}/${index}`, issues);
  }
  if (schema.contains !== undefined) {
    const contains = schema.contains;
    const matching = value.filter((item) => passes(contains, item)).length;
    const min = schema.minContains ?? 1;
    if (matching < min) report("contains", `must contain at least ${min} valid item(s)`, { minContains: min });
    if (schema.maxContains !== undefined && matching > schema.maxContains) {
      report("contains", `must contain at most ${schema.maxContains} valid item(s)`, { minContains: min, maxContains: schema.maxContains });
    }
  }
  if (schema.uniqueItems === true && hasScalarItems(schema)) {
    // ajv's scan for items typed as scalars, so the pair reported is the same.
    const seen = new Map<unknown, number>();
    for (let i = value.length - 1; i >= 0; i--) {
      const j = seen.get(value[i]);
      if (j !== undefined) {
        report("uniqueItems", `must NOT have duplicate items (items ## ${j} and ${i} are identical)`, { i, j });
        break;
      }
      seen.set(value[i], i);
    }
  } else if (schema.uniqueItems === true) {
    // Same scan as ajv, so the pair reported is the same: the last duplicate and its nearest earlier twin.
    duplicates: for (let i = value.length - 1; i > 0; i--) {
      for (let j = i - 1; j >= 0; j--) {
        if (jsonEqual(value[i], value[j])) {
          report("uniqueItems", `must NOT have duplicate items (items ## ${j} and ${i} are identical)`, { i, j });
          break duplicates;
        }
      }
    }
  }
}

function checkObject(schema: SchemaObject, value: Record<string, unknown>, at: string, issues: ValidatorIssue[], report: Report): void {
  // `undefined` members count as absent, as they are once the input is serialised.
  const keys = needsKeys(schema) ? Object.keys(value).filter((key) => value[key] !== undefined) : [];
  if (schema.maxProperties !== undefined && keys.length > schema.maxProperties) {
    report("maxProperties", `must NOT have more than ${schema.maxProperties} properties`, { limit: schema.maxProperties });
  }
  if (schema.minProperties !== undefined && keys.length < schema.minProperties) {
    report("minProperties", `must NOT have fewer than ${schema.minProperties} properties`, { limit: schema.minProperties });
  }
  const present = (key: string) => Object.hasOwn(value, key) && value[key] !== undefined;
  for (const name of schema.required ?? []) {
    if (!present(name)) report("required", `must have required property '${name}'`, { missingProperty: name });
  }
  for (const [property, needed] of ownEntries(schema.dependentRequired)) {
    if (!present(property)) continue;
    for (const name of needed) {
      if (!present(name)) {
        report("dependentRequired", `must have property ${name} when property ${property} is present`, {
          property,
          missingProperty: name,
          depsCount: needed.length,
          deps: needed.join(", "),
        });
      }
    }
  }
  if (schema.propertyNames !== undefined) {
    for (const key of keys) {
      if (!passes(schema.propertyNames, key)) report("propertyNames", "property name must be valid", { propertyName: key });
    }
  }
  const patterns =
    schema.patternProperties === undefined
      ? []
      : ownEntries(schema.patternProperties).map(([source, child]) => [compiled(source, schema.patternFlags), child] as const);
  if (schema.additionalProperties !== undefined) {
    for (const key of keys) {
      const declared = schema.properties !== undefined && Object.hasOwn(schema.properties, key);
      if (declared || patterns.some(([pattern]) => pattern.test(key))) continue;
      if (schema.additionalProperties === false) {
        report("additionalProperties", "must NOT have additional properties", { additionalProperty: key });
      } else {
        check(schema.additionalProperties, value[key], `${at}/${escapePointer(key)}`, issues);
      }
    }
  }
  const properties = schema.properties;
  if (properties !== undefined) {
    for (const key of Object.keys(properties)) {
      if (present(key)) check(properties[key]!, value[key], `${at}/${escapePointer(key)}`, issues);
    }
  }
  for (const [pattern, child] of patterns) {
    for (const key of keys) if (pattern.test(key)) check(child, value[key], `${at}/${escapePointer(key)}`, issues);
  }
  for (const [key, child] of ownEntries(schema.dependentSchemas)) {
    if (present(key)) check(child, value, at, issues);
  }
}

/** Whether checkObject needs the instance's own keys: only these keywords look at every key. */
function needsKeys(schema: SchemaObject): boolean {
  return (
    schema.maxProperties !== undefined ||
    schema.minProperties !== undefined ||
    schema.propertyNames !== undefined ||
    schema.additionalProperties !== undefined ||
    schema.patternProperties !== undefined
  );
}

/** Items typed as strings, numbers, booleans or null only: compared by identity. */
function hasScalarItems(schema: SchemaObject): boolean {
  const items = schema.items;
  if (typeof items !== "object" || items.type === undefined) return false;
  const types: readonly string[] = typeof items.type === "string" ? [items.type] : items.type;
  return types.every((type) => type !== "object" && type !== "array");
}

/** Whether `value` satisfies `schema`, for keywords that only need a yes or no. */
function passes(schema: Schema, value: unknown): boolean {
  return checkSchema(schema, value).length === 0;
}

function hasType(value: unknown, type: string | readonly string[]): boolean {
  return typeof type === "string" ? isOfType(value, type) : type.some((name) => isOfType(value, name));
}

function isOfType(value: unknown, name: string): boolean {
  switch (name) {
    case "null":
      return value === null;
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    default:
      return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Equality of JSON values, for enum, const and uniqueItems. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
}

/** Length in Unicode code points, as minLength and maxLength count. */
function codePointLength(text: string): number {
  let length = 0;
  for (let index = 0; index < text.length; length++) {
    const unit = text.charCodeAt(index++);
    if (unit >= 0xd800 && unit <= 0xdbff && index < text.length && (text.charCodeAt(index) & 0xfc00) === 0xdc00) index++;
  }
  return length;
}

const regexCache = new Map<string, RegExp>();

function compiled(source: string, flags = ""): RegExp {
  const key = `${flags}/${source}`;
  let pattern = regexCache.get(key);
  if (pattern === undefined) {
    pattern = new RegExp(source, flags);
    regexCache.set(key, pattern);
  }
  return pattern;
}

function ownEntries<T>(record: Readonly<Record<string, T>> | undefined): [string, T][] {
  return record === undefined ? [] : Object.entries(record);
}

function escapePointer(key: string): string {
  if (!key.includes("~") && !key.includes("/")) return key;
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
