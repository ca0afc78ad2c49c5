/**
 * Emits `generated/validators.ts`: each operation's `{path, query, body}` input schema as compact data
 * that the runtime's JSON Schema checker (runtime/schema-check.ts) evaluates. Every `$ref`'d schema is
 * emitted once as its own export and referenced by a function, so the file grows with the schemas (not
 * with unrolled code), recursion works, and a bundler keeps only what the operations used reference.
 *
 * Schemas are normalised here, once: OpenAPI 3.0 read as 3.0 means it, annotations dropped, and
 * patterns vetted (read as ECMA-262 without the `u` flag; one no engine accepts, or one that can take
 * exponential time on hostile input, is skipped with a warning).
 */
import safeRegex from "safe-regex2";
import { tsJsonString } from "./escape.js";
import { isRecord } from "./load.js";
import { parsePointer, pointerSegment, resolvePointer } from "./json-pointer.js";
import { compareText } from "./order.js";
import { numericExclusiveBounds } from "./repairs.js";
import type { OperationModel, ParameterModel } from "./model.js";

/** A finding that does not stop generation: what, and where in the spec (a JSON pointer). */
export interface ValidatorWarning {
  readonly message: string;
  readonly pointer: string;
}

export interface CompiledValidators {
  /** TypeScript source of `validators.ts`. */
  readonly source: string;
  /** Checks that were left out, each with the place in the spec. */
  readonly warnings: readonly ValidatorWarning[];
}

/** The export of `validators.ts` holding one operation's input schema (`undefined` when it takes no input). */
export function inputExportName(operation: OperationModel): string {
  return `${operation.typeName}Input`;
}

/**
 * Returns the source of `validators.ts` and the warnings found on the way.
 * Deterministic: the same document and operations give the same text, byte for byte.
 */
export function compileValidators(document: Record<string, unknown>, operations: readonly OperationModel[]): CompiledValidators {
  const compiler = new SchemaCompiler(document);
  const inputs = [...operations]
    .sort((a, b) => compareText(inputExportName(a), inputExportName(b)))
    .map((operation) => {
      const name = inputExportName(operation);
      if (!hasInput(operation)) return `export const ${name}: Schema | undefined = undefined;`;
      return `export const ${name}: Schema = ${emitData(compiler.inputSchema(operation))};`;
    });
  const shared = [...compiler.shared.values()]
    .sort((a, b) => compareText(a.name, b.name))
    .map((entry) => `export const ${entry.name}: Schema = ${emitData(entry.schema)};`);
  const parses = [...inputs, ...shared].some((line) => line.includes(`${JSON_HELPER}(`));
  const source = [
    // Each export is annotated `Schema`; not checking the literals against it halves tsc's time on large specs.
    "// @ts-nocheck -- schema data emitted by the generator; the exports are typed by their annotations.",
    "/* Input schemas of the operations (JSON Schema as data, checked by runtime/schema-check.ts). One export per operation and per shared schema, so bundles keep only what they use. */",
    'import type { Schema } from "./runtime/schema-check.js";',
    ...(parses ? ["", `/** A schema from its JSON: one string for a user's tsc to read, where a literal costs a node and a symbol per keyword. */`, `const ${JSON_HELPER} = (text: string): Schema => JSON.parse(text);`] : []),
    "",
    ...inputs,
    ...(shared.length > 0 ? ["", ...shared] : []),
    "",
  ].join("\n");
  const warnings = [...compiler.warnings].sort((a, b) => compareText(a.pointer, b.pointer) || compareText(a.message, b.message));
  return { source, warnings };
}

function hasInput(operation: OperationModel): boolean {
  return operation.pathParams.length > 0 || operation.queryParams.length > 0 || operation.requestBody !== undefined;
}

/** A `$ref` in the normalised schema: emitted as a function returning the shared export. */
class SchemaReference {
  constructor(readonly name: string) {}
}

type Normalised = boolean | { [keyword: string]: unknown };

/** Keywords the runtime checks and whose value is plain data. */
const DATA_KEYWORDS = new Set([
  "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
  "maxLength", "minLength", "format", "maxItems", "minItems", "uniqueItems", "minContains", "maxContains",
  "maxProperties", "minProperties", "required", "dependentRequired",
]);
/** Keywords whose value is one schema. */
const SCHEMA_KEYWORDS = new Set(["not", "if", "then", "else", "items", "contains", "additionalProperties", "propertyNames"]);
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST_KEYWORDS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
/** Keywords whose value is a map of schemas (patternProperties is handled with the patterns). */
const SCHEMA_MAP_KEYWORDS = new Set(["properties", "dependentSchemas"]);

class SchemaCompiler {
  /** Shared schemas by the JSON pointer they were referenced with. */
  readonly shared = new Map<string, { name: string; schema: Normalised }>();
  readonly warnings: ValidatorWarning[] = [];
  private readonly usedNames = new Set<string>();
  private readonly openApi30: boolean;

  constructor(private readonly document: Record<string, unknown>) {
    this.openApi30 = typeof document.openapi === "string" && document.openapi.startsWith("3.0");
  }

  /** The normalised schema of `{path, query, body}` for one operation. */
  inputSchema(operation: OperationModel): Normalised {
    const at = `#/paths/${pointerSegment(operation.path)}/${operation.method.toLowerCase()}`;
    const required: string[] = [];
    if (operation.pathParams.length > 0) required.push("path");
    if (operation.requestBody?.required) required.push("body");
    const properties: Record<string, Normalised> = {
      path: this.parameters(operation.pathParams, at),
      query: this.parameters(operation.queryParams, at),
    };
    const body = operation.requestBody;
    if (body !== undefined) {
      properties["body"] = this.normalise(body.schema, `${at}/requestBody/content/${pointerSegment(body.mediaTypes[0] ?? "application/json")}/schema`);
    }
    return { type: "object", ...(required.length > 0 ? { required } : {}), properties };
  }

  private parameters(parameters: readonly ParameterModel[], at: string): Normalised {
    const properties: Record<string, Normalised> = {};
    const required: string[] = [];
    for (const parameter of parameters) {
      defineOwn(properties, parameter.name, this.normalise(parameter.schema, this.parameterSchemaPointer(parameter, at)));
      // Path parameters are always required in OpenAPI.
      if (parameter.required || parameter.in === "path") required.push(parameter.name);
    }
    return { type: "object", ...(required.length > 0 ? { required } : {}), properties };
  }

  /**
   * Where a parameter's schema is in the spec, for warnings: the operation's `parameters` entry, else the
   * path item's, following a `$ref` entry to its component; `content`-typed parameters point at their entry.
   */
  private parameterSchemaPointer(parameter: ParameterModel, operationAt: string): string {
    const pathItemAt = operationAt.slice(0, operationAt.lastIndexOf("/"));
    for (const listAt of [`${operationAt}/parameters`, `${pathItemAt}/parameters`]) {
      const list = resolvePointer(this.document, listAt);
      if (!Array.isArray(list)) continue;
      for (const [index, entry] of list.entries()) {
        const ref = isRecord(entry) && typeof entry.$ref === "string" && entry.$ref.startsWith("#") ? entry.$ref : undefined;
        const definition = ref === undefined ? entry : resolvePointer(this.document, ref);
        if (!isRecord(definition) || definition.name !== parameter.name || definition.in !== parameter.in) continue;
        const entryAt = ref ?? `${listAt}/${index}`;
        return isRecord(definition.schema) ? `${entryAt}/schema` : entryAt;
      }
    }
    return `${operationAt}/parameters`;
  }

  /** Keeps the keywords the checker evaluates, recursively; `$ref`s become shared schemas. */
  private normalise(schema: unknown, pointer: string): Normalised {
    if (typeof schema === "boolean") return schema;
    if (!isRecord(schema)) return true;
    const node = this.openApi30 ? fromOpenApi30Node(schema) : schema;
    const out: Record<string, unknown> = {};
    for (const [keyword, value] of Object.entries(node)) {
      if (keyword === "$ref" && typeof value === "string") {
        const reference = this.reference(value, pointer);
        if (reference !== undefined) out.$ref = reference;
      } else if (DATA_KEYWORDS.has(keyword)) {
        out[keyword] = value;
      } else if (SCHEMA_KEYWORDS.has(keyword)) {
        // OpenAPI 3.0 and draft 4 write a tuple as an `items` list.
        // The pointer below is made only for a keyword that holds schemas (not for type, description, format...).
        const at = `${pointer}/${keyword}`; // schema keywords have no "/" or "~" to escape
        if (keyword === "items" && Array.isArray(value)) out.prefixItems = value.map((item, i) => this.normalise(item, `${at}/${i}`));
        else out[keyword] = this.normalise(value, at);
      } else if (SCHEMA_LIST_KEYWORDS.has(keyword) && Array.isArray(value)) {
        const at = `${pointer}/${keyword}`;
        out[keyword] = value.map((item, i) => this.normalise(item, `${at}/${i}`));
      } else if (SCHEMA_MAP_KEYWORDS.has(keyword) && isRecord(value)) {
        const at = `${pointer}/${keyword}`;
        out[keyword] = Object.fromEntries(Object.entries(value).map(([key, child]) => [key, this.normalise(child, `${at}/${pointerSegment(key)}`)]));
      }
    }
    this.addPatterns(node, out, pointer);
    return out;
  }

  /** `pattern` and `patternProperties`, vetted; the object's patterns share one set of flags. */
  private addPatterns(node: Record<string, unknown>, out: Record<string, unknown>, pointer: string): void {
    const patterns: [source: string, at: string][] = [];
    if (typeof node.pattern === "string") patterns.push([node.pattern, `${pointer}/pattern`]);
    const patternProperties = isRecord(node.patternProperties) ? node.patternProperties : {};
    for (const key of Object.keys(patternProperties)) patterns.push([key, `${pointer}/patternProperties/${pointerSegment(key)}`]);
    if (patterns.length === 0) return;
    const accepted = new Map(patterns.map(([source, at]) => [source, this.vetPattern(source, at)]));
    const flags = [...accepted.values()].includes("u") ? "u" : "";
    const usable = (source: string) => {
      const found = accepted.get(source);
      return found !== undefined && found !== null && (flags === "" || compiles(source, "u"));
    };
    if (typeof node.pattern === "string" && usable(node.pattern)) out.pattern = node.pattern;
    const kept: Record<string, Normalised> = {};
    let dropped = false;
    for (const [key, child] of Object.entries(patternProperties)) {
      if (usable(key)) defineOwn(kept, key, this.normalise(child, `${pointer}/patternProperties/${pointerSegment(key)}`));
      else dropped = true;
    }
    if (Object.keys(kept).length > 0) out.patternProperties = kept;
    // Without one of its patterns the object cannot tell which properties are additional.
    if (dropped) delete out.additionalProperties;
    if (flags !== "" && (out.pattern !== undefined || out.patternProperties !== undefined)) out.patternFlags = flags;
  }

  /** The flags a pattern compiles with ("" or "u"), or null when its check must be skipped (warned). */
  private vetPattern(source: string, pointer: string): "" | "u" | null {
    // Without `u`, `\p{Lu}` would silently mean "p{Lu}": an author who writes it means a Unicode property.
    const wantsUnicode = /\\[pP]\{/.test(source) && compiles(source, "u");
    const flags = wantsUnicode ? "u" : compiles(source, "") ? "" : compiles(source, "u") ? "u" : null;
    if (flags === null) {
      this.warnings.push({ message: `pattern ${JSON.stringify(source)} is not a valid regular expression; its check is skipped`, pointer });
      return null;
    }
    let safe: boolean;
    try {
      safe = safeRegex(source, { limit: REPETITION_LIMIT });
    } catch {
      safe = false;
    }
    if (!safe) {
      this.warnings.push({
        message: `pattern ${JSON.stringify(source)} can take exponential time on some input (nested repetition), so a hostile value could freeze the app; its check is skipped`,
        pointer,
      });
      return null;
    }
    return flags;
  }

  private reference(ref: string, from: string): SchemaReference | undefined {
    const existing = this.shared.get(ref);
    if (existing !== undefined) return new SchemaReference(existing.name);
    const target = ref.startsWith("#") ? resolvePointer(this.document, ref) : undefined;
    if (target === undefined) {
      this.warnings.push({ message: `$ref ${JSON.stringify(ref)} does not resolve inside the document; its check is skipped`, pointer: `${from}/$ref` });
      return undefined;
    }
    const entry = { name: this.nameFor(ref), schema: true as Normalised };
    this.shared.set(ref, entry); // before normalising, so a recursive schema finds itself
    entry.schema = this.normalise(target, ref);
    return new SchemaReference(entry.name);
  }

  /** `#/components/schemas/Member` → `schema$Member`: readable, unique, a valid identifier. */
  private nameFor(ref: string): string {
    const segments = parsePointer(ref);
    const readable = segments.length === 3 && segments[0] === "components" && segments[1] === "schemas" ? segments.slice(2) : segments;
    const base = `schema$${readable.join("$").replace(/[^A-Za-z0-9_$]/g, "_")}`;
    let name = base;
    for (let n = 2; this.usedNames.has(name); n++) name = `${base}$${n}`;
    this.usedNames.add(name);
    return name;
  }
}

/** safe-regex2 counts every quantifier against this limit; nested repetition is what it is here for. */
const REPETITION_LIMIT = 1000;

/** Sets a key as an own property, even `__proto__`. */
function defineOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function compiles(source: string, flags: string): boolean {
  try {
    new RegExp(source, flags);
    return true;
  } catch {
    return false;
  }
}

/**
 * OpenAPI 3.0 schemas are not JSON Schema 2020-12: `nullable: true` stands for a `null` type, and
 * `exclusiveMinimum`/`exclusiveMaximum` are booleans that qualify `minimum`/`maximum`. Rewrites one
 * schema object (not its children) as 2020-12 says the same.
 */
export function fromOpenApi30Node(schema: Record<string, unknown>): Record<string, unknown> {
  const node: Record<string, unknown> = { ...schema };
  if (node.nullable === true) {
    if (typeof node.type === "string") node.type = [node.type, "null"];
    if (Array.isArray(node.enum) && !node.enum.includes(null)) node.enum = [...node.enum, null];
  }
  if (typeof node.nullable === "boolean") delete node.nullable;
  numericExclusiveBounds(node);
  return node;
}

/**
 * A schema as the expression of its export: `json('…')` (`JSON.parse`) when it is plain data (tsc then reads one string
 * token, not a node and a symbol per keyword; V8 parses JSON faster than a literal), a literal when it refers to a
 * shared schema (a function). Pure, so a bundler drops the schemas no kept operation uses.
 */
function emitData(value: unknown): string {
  return containsReference(value) ? emit(value) : `/*#__PURE__*/ ${JSON_HELPER}(${tsJsonString(value)})`;
}

/** The helper of `emitData` (shared exports are `schema$…`, operation ones `…Input`: no clash). */
const JSON_HELPER = "json";

function containsReference(value: unknown): boolean {
  if (value instanceof SchemaReference) return true;
  if (Array.isArray(value)) return value.some(containsReference);
  return isRecord(value) && Object.values(value).some(containsReference);
}

/**
 * A normalised schema as a TypeScript expression: JSON, with `$ref`s as functions. Laid out as compactly as JSON
 * (one schema per line): this data is read by the runtime, and its bytes add up on large specs.
 */
function emit(value: unknown): string {
  if (value instanceof SchemaReference) return `() => ${value.name}`;
  if (Array.isArray(value)) return `[${value.map(emit).join(",")}]`;
  if (isRecord(value)) {
    const entries = Object.entries(value).map(([key, child]) => `${emitKey(key)}:${emit(child)}`);
    return `{${entries.join(",")}}`;
  }
  // JSON.stringify gives `undefined` for nothing JSON has; a spec is JSON, so `null` is the only fallback.
  return JSON.stringify(value) ?? "null";
}

/** An object key; `__proto__` is computed, so it becomes an own property instead of setting the prototype. */
function emitKey(key: string): string {
  if (key === "__proto__") return '["__proto__"]';
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}
