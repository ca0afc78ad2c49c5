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
  checkerOf(schema)(value, "", issues);
  return issues;
}

/** A schema compiled into a function: appends the issues of `value` (at JSON pointer `at`) to `issues`. */
type Check = (value: unknown, at: string, issues: ValidatorIssue[]) => void;

// Schemas are static generated data: each is compiled once, on first use, so a call walks closures
// that hold only the keywords its schema has, instead of testing every keyword of the schema each time.
const checkers = new WeakMap<SchemaObject, Check>();
const pass: Check = () => undefined;
const fail: Check = (_value, at, issues) => {
  issues.push({ instancePath: at, keyword: "false schema", message: "boolean schema is false", params: {} });
};

function checkerOf(schema: Schema): Check {
  if (schema === true) return pass;
  if (schema === false) return fail;
  let check = checkers.get(schema);
  if (check === undefined) {
    check = compile(schema);
    checkers.set(schema, check);
  }
  return check;
}

/** Whether `value` satisfies `schema`, for keywords that only need a yes or no. */
function passes(schema: Schema, value: unknown): boolean {
  const issues: ValidatorIssue[] = [];
  checkerOf(schema)(value, "", issues);
  return issues.length === 0;
}

function issue(at: string, keyword: string, message: string, params: Record<string, unknown> = {}): ValidatorIssue {
  return { instancePath: at, keyword, message, params };
}

/** The keywords in ajv's order (its messages and params), each step present only when its keyword is. */
function compile(schema: SchemaObject): Check {
  const steps: Check[] = [];
  if (schema.type !== undefined) {
    const types = schema.type;
    const type = typeof types === "string" ? types : types.join(",");
    const message = `must be ${type}`;
    steps.push((value, at, issues) => {
      if (!hasType(value, types)) issues.push(issue(at, "type", message, { type }));
    });
  }
  if (schema.$ref !== undefined) {
    const ref = schema.$ref; // resolved on use: schemas may refer to themselves
    steps.push((value, at, issues) => checkerOf(ref())(value, at, issues));
  }
  if ("const" in schema) {
    const constant = schema.const;
    steps.push((value, at, issues) => {
      if (!jsonEqual(value, constant)) issues.push(issue(at, "const", "must be equal to constant", { allowedValue: constant }));
    });
  }
  if (schema.enum !== undefined) {
    const allowedValues = schema.enum;
    steps.push((value, at, issues) => {
      if (!allowedValues.some((allowed) => jsonEqual(value, allowed))) {
        issues.push(issue(at, "enum", "must be equal to one of the allowed values", { allowedValues }));
      }
    });
  }
  if (schema.not !== undefined) {
    const not = schema.not;
    steps.push((value, at, issues) => {
      if (passes(not, value)) issues.push(issue(at, "not", "must NOT be valid"));
    });
  }
  if (schema.anyOf !== undefined) {
    const anyOf = schema.anyOf;
    steps.push((value, at, issues) => {
      if (!anyOf.some((branch) => passes(branch, value))) issues.push(issue(at, "anyOf", "must match a schema in anyOf"));
    });
  }
  if (schema.oneOf !== undefined) {
    const oneOf = schema.oneOf;
    steps.push((value, at, issues) => {
      const passing = oneOf.flatMap((branch, index) => (passes(branch, value) ? [index] : []));
      if (passing.length !== 1) {
        issues.push(issue(at, "oneOf", "must match exactly one schema in oneOf", { passingSchemas: passing.length === 0 ? null : passing }));
      }
    });
  }
  for (const part of schema.allOf ?? []) steps.push((value, at, issues) => checkerOf(part)(value, at, issues));
  if (schema.if !== undefined) {
    const condition = schema.if;
    const { then: thenSchema, else: elseSchema } = schema;
    steps.push((value, at, issues) => {
      const branch = passes(condition, value) ? "then" : "else";
      const chosen = branch === "then" ? thenSchema : elseSchema;
      if (chosen !== undefined && !passes(chosen, value)) {
        checkerOf(chosen)(value, at, issues);
        issues.push(issue(at, "if", `must match "${branch}" schema`, { failingKeyword: branch }));
      }
    });
  }
  const forNumber = sequence(numberSteps(schema));
  const forString = sequence(stringSteps(schema));
  const forArray = sequence(arraySteps(schema));
  const forObject = sequence(objectSteps(schema));
  if (forNumber !== undefined || forString !== undefined || forArray !== undefined || forObject !== undefined) {
    steps.push((value, at, issues) => {
      if (typeof value === "number") forNumber?.(value, at, issues);
      else if (typeof value === "string") forString?.(value, at, issues);
      else if (Array.isArray(value)) forArray?.(value, at, issues);
      else if (isObject(value)) forObject?.(value, at, issues);
    });
  }
  if (schema.format !== undefined) {
    const format = schema.format;
    const message = `must match format "${format}"`;
    steps.push((value, at, issues) => {
      if (!matchesFormat(format, value)) issues.push(issue(at, "format", message, { format }));
    });
  }
  return sequence(steps) ?? pass;
}

/** The steps as one check; undefined when there are none. */
function sequence(steps: readonly Check[]): Check | undefined {
  if (steps.length === 0) return undefined;
  if (steps.length === 1) return steps[0];
  return (value, at, issues) => {
    for (const step of steps) step(value, at, issues);
  };
}

function numberSteps(schema: SchemaObject): Check[] {
  const steps: Check[] = [];
  // Plain comparisons, in ajv's order.
  const { maximum, minimum, exclusiveMaximum, exclusiveMinimum, multipleOf } = schema;
  if (maximum !== undefined) {
    steps.push((value, at, issues) => {
      if (!((value as number) <= maximum)) issues.push(issue(at, "maximum", `must be <= ${maximum}`, { comparison: "<=", limit: maximum }));
    });
  }
  if (minimum !== undefined) {
    steps.push((value, at, issues) => {
      if (!((value as number) >= minimum)) issues.push(issue(at, "minimum", `must be >= ${minimum}`, { comparison: ">=", limit: minimum }));
    });
  }
  if (exclusiveMaximum !== undefined) {
    steps.push((value, at, issues) => {
      if (!((value as number) < exclusiveMaximum)) issues.push(issue(at, "exclusiveMaximum", `must be < ${exclusiveMaximum}`, { comparison: "<", limit: exclusiveMaximum }));
    });
  }
  if (exclusiveMinimum !== undefined) {
    steps.push((value, at, issues) => {
      if (!((value as number) > exclusiveMinimum)) issues.push(issue(at, "exclusiveMinimum", `must be > ${exclusiveMinimum}`, { comparison: ">", limit: exclusiveMinimum }));
    });
  }
  if (multipleOf !== undefined) {
    steps.push((value, at, issues) => {
      if (!isMultiple(value as number, multipleOf)) issues.push(issue(at, "multipleOf", `must be multiple of ${multipleOf}`, { multipleOf }));
    });
  }
  return steps;
}

/** As ajv decides it: the quotient is an integer, within floating-point noise for decimal steps like 0.01. */
function isMultiple(value: number, step: number): boolean {
  const quotient = value / step;
  return Number.isInteger(quotient) || Math.abs(quotient - Math.round(quotient)) < 1e-9 * Math.max(1, Math.abs(quotient));
}

function stringSteps(schema: SchemaObject): Check[] {
  const steps: Check[] = [];
  const { maxLength, minLength, pattern } = schema;
  if (maxLength !== undefined || minLength !== undefined) {
    steps.push((value, at, issues) => {
      const length = codePointLength(value as string);
      if (maxLength !== undefined && length > maxLength) {
        issues.push(issue(at, "maxLength", `must NOT have more than ${maxLength} characters`, { limit: maxLength }));
      }
      if (minLength !== undefined && length < minLength) {
        issues.push(issue(at, "minLength", `must NOT have fewer than ${minLength} characters`, { limit: minLength }));
      }
    });
  }
  if (pattern !== undefined) {
    const regex = compiled(pattern, schema.patternFlags);
    steps.push((value, at, issues) => {
      if (!regex.test(value as string)) issues.push(issue(at, "pattern", `must match pattern "${pattern}"`, { pattern }));
    });
  }
  return steps;
}

function arraySteps(schema: SchemaObject): Check[] {
  const steps: Check[] = [];
  const { maxItems, minItems, items, contains, maxContains } = schema;
  if (maxItems !== undefined) {
    steps.push((value, at, issues) => {
      if ((value as unknown[]).length > maxItems) issues.push(issue(at, "maxItems", `must NOT have more than ${maxItems} items`, { limit: maxItems }));
    });
  }
  if (minItems !== undefined) {
    steps.push((value, at, issues) => {
      if ((value as unknown[]).length < minItems) issues.push(issue(at, "minItems", `must NOT have fewer than ${minItems} items`, { limit: minItems }));
    });
  }
  const prefix = schema.prefixItems ?? [];
  prefix.forEach((item, index) => {
    steps.push((value, at, issues) => {
      if (index < (value as unknown[]).length) checkerOf(item)((value as unknown[])[index], `${at}/${index}`, issues);
    });
  });
  if (items !== undefined) {
    steps.push((value, at, issues) => {
      const array = value as unknown[];
      const check = checkerOf(items);
      for (let index = prefix.length; index < array.length; index++) check(array[index], `${at}/${index}`, issues);
    });
  }
  if (contains !== undefined) {
    const min = schema.minContains ?? 1;
    steps.push((value, at, issues) => {
      const matching = (value as unknown[]).filter((item) => passes(contains, item)).length;
      if (matching < min) issues.push(issue(at, "contains", `must contain at least ${min} valid item(s)`, { minContains: min }));
      if (maxContains !== undefined && matching > maxContains) {
        issues.push(issue(at, "contains", `must contain at most ${maxContains} valid item(s)`, { minContains: min, maxContains }));
      }
    });
  }
  if (schema.uniqueItems === true) steps.push(hasScalarItems(schema) ? uniqueScalars : uniqueValues);
  return steps;
}

/** ajv's scan for items typed as scalars, so the pair reported is the same. */
const uniqueScalars: Check = (value, at, issues) => {
  const array = value as unknown[];
  const seen = new Map<unknown, number>();
  for (let i = array.length - 1; i >= 0; i--) {
    const j = seen.get(array[i]);
    if (j !== undefined) {
      issues.push(issue(at, "uniqueItems", `must NOT have duplicate items (items ## ${j} and ${i} are identical)`, { i, j }));
      return;
    }
    seen.set(array[i], i);
  }
};

/** Same scan as ajv, so the pair reported is the same: the last duplicate and its nearest earlier twin. */
const uniqueValues: Check = (value, at, issues) => {
  const array = value as unknown[];
  for (let i = array.length - 1; i > 0; i--) {
    for (let j = i - 1; j >= 0; j--) {
      if (jsonEqual(array[i], array[j])) {
        issues.push(issue(at, "uniqueItems", `must NOT have duplicate items (items ## ${j} and ${i} are identical)`, { i, j }));
        return;
      }
    }
  }
};

function objectSteps(schema: SchemaObject): Check[] {
  const steps: Check[] = [];
  const { maxProperties, minProperties, propertyNames, additionalProperties, properties } = schema;
  // `undefined` members count as absent, as they are once the input is serialised.
  const present = (value: Record<string, unknown>, key: string) => Object.hasOwn(value, key) && value[key] !== undefined;
  const keysOf = (value: Record<string, unknown>) => Object.keys(value).filter((key) => value[key] !== undefined);
  if (maxProperties !== undefined) {
    steps.push((value, at, issues) => {
      if (keysOf(value as Record<string, unknown>).length > maxProperties) {
        issues.push(issue(at, "maxProperties", `must NOT have more than ${maxProperties} properties`, { limit: maxProperties }));
      }
    });
  }
  if (minProperties !== undefined) {
    steps.push((value, at, issues) => {
      if (keysOf(value as Record<string, unknown>).length < minProperties) {
        issues.push(issue(at, "minProperties", `must NOT have fewer than ${minProperties} properties`, { limit: minProperties }));
      }
    });
  }
  for (const name of schema.required ?? []) {
    const message = `must have required property '${name}'`;
    steps.push((value, at, issues) => {
      if (!present(value as Record<string, unknown>, name)) issues.push(issue(at, "required", message, { missingProperty: name }));
    });
  }
  for (const [property, needed] of ownEntries(schema.dependentRequired)) {
    steps.push((value, at, issues) => {
      const object = value as Record<string, unknown>;
      if (!present(object, property)) return;
      for (const name of needed) {
        if (!present(object, name)) {
          issues.push(
            issue(at, "dependentRequired", `must have property ${name} when property ${property} is present`, {
              property,
              missingProperty: name,
              depsCount: needed.length,
              deps: needed.join(", "),
            }),
          );
        }
      }
    });
  }
  if (propertyNames !== undefined) {
    steps.push((value, at, issues) => {
      for (const key of keysOf(value as Record<string, unknown>)) {
        if (!passes(propertyNames, key)) issues.push(issue(at, "propertyNames", "property name must be valid", { propertyName: key }));
      }
    });
  }
  const patterns = ownEntries(schema.patternProperties).map(([source, child]) => [compiled(source, schema.patternFlags), child] as const);
  if (additionalProperties !== undefined) {
    steps.push((value, at, issues) => {
      const object = value as Record<string, unknown>;
      for (const key of keysOf(object)) {
        const declared = properties !== undefined && Object.hasOwn(properties, key);
        if (declared || patterns.some(([pattern]) => pattern.test(key))) continue;
        if (additionalProperties === false) {
          issues.push(issue(at, "additionalProperties", "must NOT have additional properties", { additionalProperty: key }));
        } else {
          checkerOf(additionalProperties)(object[key], `${at}/${escapePointer(key)}`, issues);
        }
      }
    });
  }
  for (const key of Object.keys(properties ?? {})) {
    const child = properties![key]!;
    const suffix = `/${escapePointer(key)}`;
    steps.push((value, at, issues) => {
      const object = value as Record<string, unknown>;
      if (present(object, key)) checkerOf(child)(object[key], at + suffix, issues);
    });
  }
  for (const [pattern, child] of patterns) {
    steps.push((value, at, issues) => {
      const object = value as Record<string, unknown>;
      for (const key of keysOf(object)) if (pattern.test(key)) checkerOf(child)(object[key], `${at}/${escapePointer(key)}`, issues);
    });
  }
  for (const [key, child] of ownEntries(schema.dependentSchemas)) {
    steps.push((value, at, issues) => {
      if (present(value as Record<string, unknown>, key)) checkerOf(child)(value, at, issues);
    });
  }
  return steps;
}

/** Items typed as strings, numbers, booleans or null only: compared by identity. */
function hasScalarItems(schema: SchemaObject): boolean {
  const items = schema.items;
  if (typeof items !== "object" || items.type === undefined) return false;
  const types: readonly string[] = typeof items.type === "string" ? [items.type] : items.type;
  return types.every((type) => type !== "object" && type !== "array");
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
