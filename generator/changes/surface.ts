/**
 * The API surface: what a caller of the generated client can see, taken from the intermediate
 * model, with the order of keys and of `oneOf` variants left out. Component schemas are kept by name
 * (compare.ts follows the names, so renaming one changes nothing). Two specs with equal surfaces give
 * clients that are used the same way. Serialised sorted, so it is deterministic and reviewable.
 */
import { createHash } from "node:crypto";
import type { ApiModel, JsonSchema, OperationModel, ParameterModel, SecuritySchemeModel } from "../model.js";
import { compareText } from "../order.js";
import { GENERATOR_NAME } from "../package-info.js";

/**
 * The surface file's format. 3 names component schemas: a `$ref` stays a reference (`{ ref: "User" }`) and each
 * referenced schema's shape is listed once, in `schemas`, so the file grows with the spec, not with how deeply
 * its schemas nest (Microsoft Graph's entity types expanded inline never finished). Shapes are stored once each,
 * in `shapes`, and a shape anywhere else is its index there (2 did that too, with `$ref`s expanded). 1 had every
 * shape inline. Both are still read, so a client generated before compares.
 */
export const SURFACE_FORMAT = 3;

/** A schema reduced to what shapes the caller's types and values. */
export interface Shape {
  /** A component schema, by name: its shape is the surface's `schemas[ref]` (made nullable when `nullable` is set). Nothing else is set beside it. */
  readonly ref?: string;
  /** Sorted JSON types ("string", "object"...); absent means any value. */
  readonly types?: readonly string[];
  readonly nullable?: true;
  readonly format?: string;
  /** Allowed values, each as JSON text, sorted. */
  readonly enum?: readonly string[];
  readonly properties?: Readonly<Record<string, Shape>>;
  readonly required?: readonly string[];
  /** Values of a map (`additionalProperties` as a schema); `false` when extra keys are refused. */
  readonly additional?: Shape | false;
  readonly items?: Shape;
  /** `oneOf`/`anyOf` alternatives, sorted by their JSON. */
  readonly variants?: readonly Shape[];
  /** Formats 1 and 2 only (they expanded `$ref`s): a schema that contains itself, how many levels up it points. */
  readonly recursive?: number;
}

export interface ParameterSurface {
  readonly required: boolean;
  readonly shape: Shape;
}

export interface OperationSurface {
  readonly id: string;
  /** The client property it is on, e.g. `users`. */
  readonly group: string;
  readonly method: string;
  readonly path: string;
  readonly deprecated: boolean;
  /** Keyed "path:userId", "query:page_size", "header:x-id". */
  readonly parameters: Readonly<Record<string, ParameterSurface>>;
  readonly requestBody?: { readonly required: boolean; readonly mediaTypes: readonly string[]; readonly shape: Shape };
  readonly responses: Readonly<Record<string, { readonly mediaTypes: readonly string[]; readonly shape?: Shape }>>;
  /** Security alternatives, each a sorted list of schemes (and "scheme:scope"). */
  readonly security: readonly (readonly string[])[];
}

export interface ApiSurface {
  /** The file format it was read from or will be written in (in memory, shapes are always whole). */
  readonly format: 1 | 2 | typeof SURFACE_FORMAT;
  readonly servers: readonly string[];
  /** Keyed "GET /users/{}": method and path with parameter names blanked, so renaming `{id}` is seen as a parameter change. */
  readonly operations: Readonly<Record<string, OperationSurface>>;
  /** Hash of every summary and description: a change here alone is a documentation edit. */
  readonly documentation: string;
  /** Each declared security scheme: the credential the client's `auth.<name>` takes, and where it is sent. Absent in older surfaces. */
  readonly securitySchemes?: Readonly<Record<string, { readonly credential: string; readonly sentAs: string }>>;
  /** Format 3: the shape of each component schema a `ref` names (those the operations reach). Absent in formats 1 and 2. */
  readonly schemas?: Readonly<Record<string, Shape>>;
}

/** Deep limit for schemas nested inline (each `$ref` starts again from 0: a named schema is reduced once). */
const MAX_DEPTH = 40;

export function surfaceFromModel(model: ApiModel): ApiSurface {
  const schemas = Object.fromEntries(model.schemas.map((s) => [s.name, s.schema]));
  const reducer = new ShapeReducer(schemas);
  const operations: Record<string, OperationSurface> = {};
  const docs: string[] = [model.title, model.description ?? "", descriptionsIn(schemas)];
  for (const group of model.groups) {
    docs.push(group.tag, group.description ?? "");
    for (const operation of group.operations) {
      docs.push(...operationDocs(operation));
      const shape = (schema: JsonSchema | undefined) => reducer.reduce(schema ?? {}, 0);
      const parameters: Record<string, ParameterSurface> = {};
      for (const parameter of [...operation.pathParams, ...operation.queryParams, ...operation.headerParams]) {
        parameters[parameterKey(parameter)] = { required: parameter.required, shape: shape(parameter.schema) };
      }
      const responses: OperationSurface["responses"] = Object.fromEntries(
        operation.responses.map((response) => [
          response.status,
          {
            mediaTypes: response.mediaTypes,
            ...(response.schema ? { shape: shape(response.schema) } : {}),
          },
        ]),
      );
      const body = operation.requestBody;
      operations[operationKey(operation.method, operation.path)] = {
        id: operation.id,
        group: group.propertyName,
        method: operation.method,
        path: operation.path,
        deprecated: operation.deprecated,
        parameters,
        ...(body ? { requestBody: { required: body.required, mediaTypes: [...body.mediaTypes].sort(compareText), shape: shape(body.schema) } } : {}),
        responses,
        security: operation.security,
      };
    }
  }
  return {
    format: SURFACE_FORMAT,
    servers: model.servers.map((server) => server.url),
    operations,
    documentation: createHash("sha256").update(JSON.stringify(docs)).digest("hex").slice(0, 16),
    securitySchemes: Object.fromEntries(model.securitySchemes.map((scheme) => [scheme.name, schemeSurface(scheme)])),
    schemas: reducer.reachable(Object.values(operations).flatMap(operationShapes)),
  };
}

/** What code that calls the client sees of a scheme (the credential it passes) and what only the wire sees. */
function schemeSurface(scheme: SecuritySchemeModel): { credential: string; sentAs: string } {
  const credential = scheme.kind === "basic" ? "username and password" : scheme.kind === "apiKey" ? "an API key" : scheme.kind === "bearer" ? "a bearer token" : `an HTTP ${scheme.scheme ?? ""} credential`;
  const sentAs = scheme.kind === "apiKey" ? `${scheme.in} ${scheme.parameterName}` : scheme.type === "http" ? `Authorization: ${scheme.scheme}` : scheme.type;
  return { credential, sentAs };
}

export function operationKey(method: string, route: string): string {
  return `${method.toUpperCase()} ${route.replace(/\{[^}]*\}/g, "{}")}`;
}

function parameterKey(parameter: ParameterModel): string {
  // Header names are case-insensitive on the wire.
  return `${parameter.in}:${parameter.in === "header" ? parameter.name.toLowerCase() : parameter.name}`;
}

function operationDocs(operation: OperationModel): string[] {
  return [
    operation.summary ?? "",
    operation.description ?? "",
    operation.requestBody?.description ?? "",
    ...operation.responses.map((r) => r.description),
    descriptionsIn([operation.requestBody?.schema, operation.responses.map((r) => r.schema), operation.pathParams, operation.queryParams, operation.headerParams]),
  ];
}

/** Every description and title below `value` (parameters, inline schemas, component schemas). */
function descriptionsIn(value: unknown): string {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        if ((key === "description" || key === "title") && typeof child === "string") found.push(child);
        else walk(child);
      }
    }
  };
  walk(value);
  return found.join("\n");
}

/**
 * Reduces schemas to Shapes: `allOf` merged, a `$ref` to a component schema kept as `{ ref }` and that schema
 * reduced once, however many places use it. Only a merge (`allOf`, `oneOf: [X, null]` beside other keywords)
 * looks inside a referenced schema, one level deep, so the work grows with the spec, not with its nesting.
 */
class ShapeReducer {
  private readonly named = new Map<string, Shape>();
  private readonly reducing = new Set<string>();
  /** Each `{ ref, nullable }` made nullable once, so a referenced shape resolves to one object. */
  private readonly nullableCache = new Map<Shape, Shape>();

  constructor(private readonly schemas: Readonly<Record<string, JsonSchema>>) {}

  reduce(schema: unknown, depth: number): Shape {
    if (schema === false) return { types: [] };
    if (!isRecord(schema)) return {};
    if (depth > MAX_DEPTH) return {};
    if (typeof schema.$ref === "string") {
      const name = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref)?.[1]?.replace(/~1/g, "/").replace(/~0/g, "~");
      // An unresolvable ref (the loader refuses these) is any value rather than a crash.
      return name !== undefined && Object.hasOwn(this.schemas, name) ? { ref: name } : {};
    }
    let shape = this.ownShape(schema, depth + 1);
    if (Array.isArray(schema.allOf)) {
      for (const part of schema.allOf) shape = this.merge(shape, this.reduce(part, depth + 1));
    }
    const alternatives = [...(Array.isArray(schema.oneOf) ? schema.oneOf : []), ...(Array.isArray(schema.anyOf) ? schema.anyOf : [])];
    if (alternatives.length > 0) {
      const variants = alternatives.map((v) => this.reduce(v, depth + 1));
      const nonNull = variants.filter((v) => !isNullOnly(v));
      const nullable = nonNull.length < variants.length;
      // `oneOf: [X, {type: null}]` is X made nullable, the way 3.1 specs write it.
      const joined = nonNull.length === 1 ? this.merge(shape, nonNull[0]!) : { ...shape, variants: uniqueSorted(nonNull) };
      shape = nullable ? { ...joined, nullable: true } : joined;
    }
    return shape;
  }

  /** The shape of component schema `name` (reduced on first use); any value while it is being reduced. */
  shapeOf(name: string): Shape {
    const known = this.named.get(name);
    if (known) return known;
    // A schema being reduced (an `allOf` of itself), or a chain of `allOf`s deeper than the stack allows.
    if (this.reducing.has(name) || this.reducing.size > MAX_DEPTH * 10) return {};
    this.reducing.add(name);
    const shape = this.reduce(this.schemas[name], 0);
    this.reducing.delete(name);
    this.named.set(name, shape);
    return shape;
  }

  /** The named shapes `roots` reach through `ref`s, by name, sorted. */
  reachable(roots: readonly Shape[]): Record<string, Shape> {
    const found = new Set<string>();
    const pending = [...roots];
    while (pending.length > 0) {
      const shape = pending.pop()!;
      if (shape.ref !== undefined) {
        if (!found.has(shape.ref)) {
          found.add(shape.ref);
          pending.push(this.shapeOf(shape.ref));
        }
        continue;
      }
      pending.push(...childShapes(shape));
    }
    return Object.fromEntries([...found].sort(compareText).map((name) => [name, this.shapeOf(name)]));
  }

  private ownShape(schema: Record<string, unknown>, depth: number): Shape {
    const rawTypes = Array.isArray(schema.type) ? schema.type : typeof schema.type === "string" ? [schema.type] : [];
    let types = rawTypes.filter((t): t is string => typeof t === "string");
    let nullable = schema.nullable === true || types.includes("null");
    types = types.filter((t) => t !== "null");
    const enumValues = Array.isArray(schema.enum) ? schema.enum : "const" in schema ? [schema.const] : undefined;
    if (enumValues?.includes(null)) nullable = true;
    const properties = isRecord(schema.properties) ? schema.properties : undefined;
    if (types.length === 0 && (properties || schema.additionalProperties !== undefined)) types = ["object"];
    if (types.length === 0 && schema.items !== undefined) types = ["array"];
    const shape: { -readonly [K in keyof Shape]: Shape[K] } = {};
    // `type: "null"` alone: only null is allowed (an empty `types` with `nullable`).
    if (types.length > 0 || rawTypes.length > 0) shape.types = [...new Set(types)].sort(compareText);
    if (nullable) shape.nullable = true;
    if (typeof schema.format === "string") shape.format = schema.format;
    if (enumValues) shape.enum = [...new Set(enumValues.filter((v) => v !== null).map((v) => JSON.stringify(v)))].sort(compareText);
    if (properties) {
      shape.properties = Object.fromEntries(Object.keys(properties).sort(compareText).map((key) => [key, this.reduce(properties[key], depth)]));
    }
    if (Array.isArray(schema.required)) shape.required = [...new Set(schema.required.filter((r): r is string => typeof r === "string"))].sort(compareText);
    if (schema.additionalProperties === false) shape.additional = false;
    else if (isRecord(schema.additionalProperties)) shape.additional = this.reduce(schema.additionalProperties, depth);
    if (schema.items !== undefined) shape.items = this.reduce(schema.items, depth);
    return shape;
  }

  /** `allOf`: the value must match both, so properties and required names add up and types intersect. */
  private merge(first: Shape, second: Shape): Shape {
    // Merging with "any value" changes nothing: a lone `allOf: [$ref]` stays a reference.
    if (isEmpty(first)) return second;
    if (isEmpty(second)) return first;
    const a = resolveShape(first, (name) => this.shapeOf(name), this.nullableCache);
    const b = resolveShape(second, (name) => this.shapeOf(name), this.nullableCache);
    const types = a.types && b.types ? a.types.filter((t) => b.types!.includes(t)) : (a.types ?? b.types);
    const properties = a.properties || b.properties ? { ...a.properties } : undefined;
    if (properties && b.properties) {
      for (const [key, value] of Object.entries(b.properties)) properties[key] = properties[key] ? this.merge(properties[key]!, value) : value;
    }
    const required = a.required || b.required ? [...new Set([...(a.required ?? []), ...(b.required ?? [])])].sort(compareText) : undefined;
    const enumValues = a.enum && b.enum ? a.enum.filter((v) => b.enum!.includes(v)) : (a.enum ?? b.enum);
    const merged: { -readonly [K in keyof Shape]: Shape[K] } = {};
    if (types) merged.types = types;
    // Both must allow null for the merge to allow it.
    if ((a.nullable && b.nullable) || (a.nullable && !b.types) || (b.nullable && !a.types)) merged.nullable = true;
    const format = a.format ?? b.format;
    if (format) merged.format = format;
    if (enumValues) merged.enum = enumValues;
    if (properties) merged.properties = Object.fromEntries(Object.keys(properties).sort(compareText).map((k) => [k, properties[k]!]));
    if (required) merged.required = required;
    const additional = a.additional ?? b.additional;
    if (additional !== undefined) merged.additional = additional;
    const items = a.items && b.items ? this.merge(a.items, b.items) : (a.items ?? b.items);
    if (items) merged.items = items;
    const variants = a.variants ?? b.variants;
    if (variants) merged.variants = variants;
    return merged;
  }
}

/**
 * The shape a `{ ref }` stands for (following aliases, made nullable when the reference is), or `shape` itself.
 * `cache` keeps one nullable copy per named shape, so the result's identity is stable.
 */
export function resolveShape(shape: Shape, lookup: (name: string) => Shape | undefined, cache: Map<Shape, Shape>): Shape {
  let nullable = false;
  let current = shape;
  // Alias chains end (the loader refuses `$ref` cycles with no way out); the bound only guards a hand-edited file.
  for (let hops = 0; current.ref !== undefined; hops++) {
    nullable ||= current.nullable === true;
    const target = hops < 1000 ? lookup(current.ref) : undefined;
    if (target === undefined) return {};
    current = target;
  }
  if (!nullable || current.nullable) return current;
  let copy = cache.get(current);
  if (!copy) cache.set(current, (copy = { ...current, nullable: true }));
  return copy;
}

/** The shapes directly inside `shape` (a `ref` is a leaf). */
export function childShapes(shape: Shape): Shape[] {
  const children: Shape[] = shape.properties ? Object.values(shape.properties) : [];
  if (shape.additional) children.push(shape.additional);
  if (shape.items) children.push(shape.items);
  if (shape.variants) children.push(...shape.variants);
  return children;
}

function operationShapes(operation: OperationSurface): Shape[] {
  const shapes = Object.values(operation.parameters).map((p) => p.shape);
  if (operation.requestBody) shapes.push(operation.requestBody.shape);
  for (const response of Object.values(operation.responses)) if (response.shape) shapes.push(response.shape);
  return shapes;
}

function isEmpty(shape: Shape): boolean {
  for (const _ in shape) return false;
  return true;
}

function isNullOnly(shape: Shape): boolean {
  return shape.nullable === true && shape.types?.length === 0;
}

function uniqueSorted(shapes: readonly Shape[]): Shape[] {
  const byText = new Map(shapes.map((s) => [stableJson(s), s]));
  return [...byText.keys()].sort(compareText).map((k) => byText.get(k)!);
}

/** JSON with object keys sorted at every level: the surface file and shape identity both use it. */
export function stableJson(value: unknown, indent?: number): string {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sortKeys) : isRecord(v) ? Object.fromEntries(Object.keys(v).sort(compareText).map((k) => [k, sortKeys(v[k])])) : v;
  return JSON.stringify(sortKeys(value), null, indent);
}

export function serializeSurface(surface: ApiSurface): string {
  // The "Generated by" line marks the file as the generator's own (write.ts refuses to replace foreign files).
  const about = `Generated by ${GENERATOR_NAME}: the API surface this client was generated from; the next regeneration reports its changes against it (docs/CHANGES.md).`;
  const shapes = new ShapeTable();
  const operations = Object.fromEntries(
    Object.keys(surface.operations)
      .sort(compareText)
      .map((key) => [key, mapOperationShapes(surface.operations[key]!, (shape) => shapes.intern(shape))]),
  );
  const schemas = Object.fromEntries(
    Object.keys(surface.schemas ?? {})
      .sort(compareText)
      .map((name) => [name, shapes.intern(surface.schemas![name]!)]),
  );
  return `${stableJson({ about, ...surface, format: SURFACE_FORMAT, operations, schemas, shapes: shapes.entries }, 2)}\n`;
}

/** A shape as the file stores it: nested shapes are indexes into `shapes`, each smaller than its own. */
type StoredShape = Omit<Shape, "properties" | "additional" | "items" | "variants"> & {
  properties?: Record<string, number>;
  additional?: number | false;
  items?: number;
  variants?: number[];
};

/** Each distinct shape once, children before parents (hash-consing by the stored shape's JSON). */
class ShapeTable {
  readonly entries: StoredShape[] = [];
  private readonly byJson = new Map<string, number>();
  private readonly byObject = new WeakMap<Shape, number>();

  intern(shape: Shape): number {
    const known = this.byObject.get(shape);
    if (known !== undefined) return known;
    const { properties, additional, items, variants, ...own } = shape;
    const stored: StoredShape = { ...own };
    if (properties) stored.properties = Object.fromEntries(Object.keys(properties).sort(compareText).map((key) => [key, this.intern(properties[key]!)]));
    if (additional !== undefined) stored.additional = additional === false ? false : this.intern(additional);
    if (items) stored.items = this.intern(items);
    if (variants) stored.variants = variants.map((variant) => this.intern(variant));
    const json = stableJson(stored);
    let index = this.byJson.get(json);
    if (index === undefined) {
      index = this.entries.length;
      this.entries.push(stored);
      this.byJson.set(json, index);
    }
    this.byObject.set(shape, index);
    return index;
  }
}

/** The operation with every shape in it (parameters, request body, responses) replaced by `map(shape)`. */
function mapOperationShapes<T>(operation: OperationSurface, map: (shape: Shape) => T): unknown {
  return {
    ...operation,
    parameters: Object.fromEntries(Object.entries(operation.parameters).map(([key, p]) => [key, { ...p, shape: map(p.shape) }])),
    ...(operation.requestBody ? { requestBody: { ...operation.requestBody, shape: map(operation.requestBody.shape) } } : {}),
    responses: Object.fromEntries(Object.entries(operation.responses).map(([status, r]) => [status, r.shape === undefined ? r : { ...r, shape: map(r.shape) }])),
  };
}

/**
 * The whole shapes of a format-2 or 3 file's operations and named schemas (each stored shape built once and
 * shared), or undefined when an index is not a number below the shape that uses it, or a `ref` names no
 * schema (a damaged or hand-edited file).
 */
export function inflateShapes(
  operations: Record<string, unknown>,
  stored: unknown,
  storedSchemas: unknown,
): { operations: Record<string, OperationSurface>; schemas?: Record<string, Shape> } | undefined {
  if (!Array.isArray(stored)) return undefined;
  if (storedSchemas !== undefined && !isRecord(storedSchemas)) return undefined;
  const built = new Map<number, Shape>();
  const shapeAt = (index: unknown, below: number): Shape => {
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= below || !isRecord(stored[index])) throw new DamagedSurface();
    const known = built.get(index);
    if (known) return known;
    const { properties, additional, items, variants, ...own } = stored[index] as Record<string, unknown>;
    if (own.ref !== undefined && (typeof own.ref !== "string" || !storedSchemas || !Object.hasOwn(storedSchemas, own.ref))) throw new DamagedSurface();
    const shape: { -readonly [K in keyof Shape]: Shape[K] } = { ...(own as Shape) };
    if (properties !== undefined) {
      if (!isRecord(properties)) throw new DamagedSurface();
      shape.properties = Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, shapeAt(child, index)]));
    }
    if (additional !== undefined) shape.additional = additional === false ? false : shapeAt(additional, index);
    if (items !== undefined) shape.items = shapeAt(items, index);
    if (variants !== undefined) {
      if (!Array.isArray(variants)) throw new DamagedSurface();
      shape.variants = variants.map((variant) => shapeAt(variant, index));
    }
    built.set(index, shape);
    return shape;
  };
  try {
    return {
      operations: Object.fromEntries(Object.entries(operations).map(([key, operation]) => [key, mapOperationShapes(operation as OperationSurface, (index) => shapeAt(index, stored.length)) as OperationSurface])),
      ...(storedSchemas ? { schemas: Object.fromEntries(Object.entries(storedSchemas).map(([name, index]) => [name, shapeAt(index, stored.length)])) } : {}),
    };
  } catch (error) {
    if (error instanceof DamagedSurface || error instanceof TypeError) return undefined;
    throw error;
  }
}

class DamagedSurface extends Error {}

/** A plain object (not an array): changes/ keeps its own, so reading a surface loads nothing of load.ts. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
