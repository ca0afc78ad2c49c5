/**
 * Step 1 of the pipeline: read a spec file (YAML or JSON), validate it as OpenAPI 3.x and
 * bundle any external `$ref`s into one document. Every problem is reported with
 * file:line:column so a user can jump straight to it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  BaseResolver,
  Source,
  bundle,
  createConfig,
  getLineColLocation,
  lintDocument,
  type NormalizedProblem,
} from "@redocly/openapi-core";
import { LineCounter, parseDocument, visit, type Document } from "yaml";
import { GeneratorError, formatLocation, type SourceLocation } from "./errors.js";
import { parsePointer, pointerSegment } from "./json-pointer.js";
import { findUnrepresentableMediaTypes } from "./media-types.js";
import { repairDocument } from "./repairs.js";
import { convertSwagger2 } from "./swagger2.js";

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

/** What the user allows the loader to read beyond the spec file. */
export interface LoadOptions {
  /** Fetch a spec or `$ref`s given as http(s) URLs (within REMOTE_TIMEOUT_MS and REMOTE_MAX_BYTES each). */
  readonly allowRemoteRefs?: boolean | undefined;
  /** The folder local `$ref`s must stay inside; default the spec's own folder. */
  readonly refRoot?: string | undefined;
}

export const REMOTE_TIMEOUT_MS = 10_000;
export const REMOTE_MAX_BYTES = 20 * 1024 * 1024;

export async function loadSpec(file: string, options: LoadOptions = {}): Promise<LoadedSpec> {
  const remote = isHttpUrl(file);
  if (remote && !options.allowRemoteRefs) {
    throw new GeneratorError(`the spec ${file} is a URL: remote specs are read only with --allow-remote-refs (or download it and pass the file)`);
  }
  const absolute = remote ? file : path.resolve(file);
  const display = remote ? file : path.relative(process.cwd(), absolute) || absolute;
  let text: string;
  try {
    text = remote ? (await fetchLimited(file)).body : await readFile(absolute, "utf8");
  } catch (error) {
    if (error instanceof GeneratorError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a file" : String(code ?? error);
    throw new GeneratorError(`cannot read spec ${display}: ${reason}`, { cause: error });
  }

  const parsed = parseYamlOrJson(text, display);
  const locate = locator(parsed.yaml, parsed.lineCounter, display);
  const document = await convertSwagger2(parsed.value, display);
  checkOpenApiVersion(document, display, locate);
  checkRefCycles(document, locate);
  checkDuplicateIds(document, locate);
  const repairs = repairDocument(document);

  const source = new Source(absolute, text);
  const config = await createConfig({ rules: VALIDATION_RULES });
  const refRoot = path.resolve(options.refRoot ?? (remote ? process.cwd() : path.dirname(absolute)));
  const resolver = new GuardedResolver(options.allowRemoteRefs === true, refRoot);
  const problems = (await lintDocument({ document: { source, parsed: document }, config, externalRefResolver: resolver })).map(toleratedAsWarning);
  resolver.throwIfRefused(problems);
  throwOnErrors(problems, "is not a valid OpenAPI document");

  const bundled = await bundle({ config, dereference: false, doc: { source, parsed: document }, externalRefResolver: resolver });
  resolver.throwIfRefused(bundled.problems);
  throwOnErrors(bundled.problems, "could not be bundled");

  const warnings = [
    ...problems.filter((p) => p.severity === "warn").map(describeWarning),
    ...[...repairs, ...findIgnoredFeatures(document), ...findUnrepresentableMediaTypes(document)].map(({ pointer, message }) => describeAt(locate, pointer, message)),
  ];
  const inputFiles = [absolute, ...[...bundled.fileDependencies].filter((f) => f !== absolute).sort()];
  return { file: absolute, text, document: bundled.bundle.parsed as OpenApiDocument, inputFiles, locate, warnings };
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
  forEachNode(document, (node, pointer) => {
    if (!isRecord(node)) return;
    if (typeof node.format === "string" && typeof node.type === "string" && !KNOWN_FORMATS.has(node.format)) {
      found.push({ pointer: `${pointer}/format`, message: `unknown format ${JSON.stringify(node.format)}: not checked by the client` });
    }
    if (pointer.startsWith("#/components")) return; // reported where they are used
    for (const key of ["callbacks", "links"] as const) {
      const value = node[key];
      if (isRecord(value) && Object.keys(value).length > 0) found.push({ pointer: `${pointer}/${key}`, message: `${key} are not supported: the client ignores them` });
    }
  });
  return found;
}

/**
 * A key the structure does not define (`nullable` in an OpenAPI 3.1 schema, an `x-` typo without the `x-`) does not
 * make generation impossible: the generator ignores it, so it is a warning, not an error.
 */
function toleratedAsWarning(problem: NormalizedProblem): NormalizedProblem {
  return problem.ruleId === "struct" && problem.severity === "error" && /^Property `[^`]*` is not expected here\.?$/.test(problem.message) ? { ...problem, severity: "warn" } : problem;
}

function describeWarning(problem: NormalizedProblem): string {
  const where = problem.location[0];
  if (!where) return problem.message;
  const { start } = getLineColLocation(where);
  const file = path.relative(process.cwd(), where.source.absoluteRef);
  return `${formatLocation({ file, line: start.line, column: start.col })}: ${problem.message} (${where.pointer})`;
}

function parseYamlOrJson(text: string, display: string) {
  const lineCounter = new LineCounter();
  // YAML 1.2 is a superset of JSON, so one parser gives positions for both.
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
    const location = firstAlias(yaml, lineCounter, display);
    throw new GeneratorError(`invalid YAML: its aliases (*name) expand too many times: ${(error as Error).message}`, { ...locationOption(location), cause: error });
  }
  if (!isRecord(value)) {
    throw new GeneratorError(`${display}: expected an OpenAPI document (a mapping at the top level), found ${describe(value)}`);
  }
  return { yaml, lineCounter, value };
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
 * met it, instead of redocly's generic "Can't resolve".
 */
class GuardedResolver extends BaseResolver {
  private readonly refused = new Map<string, string>();

  constructor(
    private readonly allowRemote: boolean,
    private readonly refRoot: string,
  ) {
    super();
  }

  override async loadExternalRef(absoluteRef: string): Promise<Source> {
    if (isHttpUrl(absoluteRef)) {
      if (!this.allowRemote) return this.refuse(absoluteRef, "is a remote reference: it is fetched only with --allow-remote-refs");
      try {
        const { body, mimeType } = await fetchLimited(absoluteRef);
        return new Source(absoluteRef, body, mimeType);
      } catch (error) {
        return this.refuse(absoluteRef, error instanceof GeneratorError ? error.message : `could not be fetched: ${String(error)}`);
      }
    }
    const relative = path.relative(this.refRoot, absoluteRef);
    if (relative.startsWith("..") || path.isAbsolute(relative)) {
      const root = path.relative(process.cwd(), this.refRoot) || ".";
      return this.refuse(absoluteRef, `is outside ${root}/, the folder local $refs may read (--ref-root DIR allows another)`);
    }
    return super.loadExternalRef(absoluteRef);
  }

  private refuse(ref: string, reason: string): never {
    this.refused.set(ref, reason);
    throw new Error(`${ref} ${reason}`);
  }

  throwIfRefused(problems: readonly NormalizedProblem[]): void {
    const [first] = this.refused;
    if (!first) return;
    const [ref, reason] = first;
    const shown = isHttpUrl(ref) ? ref : path.relative(process.cwd(), ref);
    const problem = problems.find((p) => p.message.includes(ref));
    const where = problem?.location[0];
    const location = where ? { file: path.relative(process.cwd(), where.source.absoluteRef), line: getLineColLocation(where).start.line, column: getLineColLocation(where).start.col } : undefined;
    throw new GeneratorError(`$ref ${shown} ${reason}${where ? ` (${where.pointer})` : ""}`, locationOption(location));
  }
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
  forEachNode(document, (node, pointer) => {
    if (!isRecord(node) || typeof node.$id !== "string") return;
    const earlier = seen.get(node.$id);
    if (earlier !== undefined) {
      throw new GeneratorError(`two schemas have the same $id ${JSON.stringify(node.$id)}: ${earlier} and ${pointer}`, locationOption(locate(`${pointer}/$id`)));
    }
    seen.set(node.$id, pointer);
  });
}

/** Calls `visit` on every object and array of a parsed (alias-free, so tree-shaped) document, with its pointer. */
function forEachNode(root: unknown, visitNode: (node: unknown, pointer: string) => void): void {
  const stack: [unknown, string][] = [[root, "#"]];
  while (stack.length > 0) {
    const [node, pointer] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    visitNode(node, pointer);
    const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i]![1], `${pointer}/${pointerSegment(entries[i]![0])}`]);
  }
}

function firstAlias(yaml: Document, lineCounter: LineCounter, display: string): SourceLocation | undefined {
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

function throwOnErrors(problems: readonly NormalizedProblem[], what: string): void {
  const errors = problems.filter((p) => p.severity === "error");
  const [first] = errors;
  if (!first) return;
  const lines = errors.map(describeProblem);
  const file = first.location[0] ? path.relative(process.cwd(), first.location[0].source.absoluteRef) : "spec";
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? "s" : ""})` : "";
  throw new GeneratorError(`${file} ${what}: ${lines[0]}${more}`, { details: lines.slice(1) });
}

function describeProblem(problem: NormalizedProblem): string {
  const where = problem.location[0];
  if (!where) return problem.message;
  const { start } = getLineColLocation(where);
  const file = path.relative(process.cwd(), where.source.absoluteRef);
  return `${problem.message} at ${formatLocation({ file, line: start.line, column: start.col })} (${where.pointer})`;
}

function locator(yaml: ReturnType<typeof parseDocument>, lineCounter: LineCounter, display: string) {
  return (pointer: string): SourceLocation | undefined => {
    const keys = parsePointer(pointer);
    // Walk up to the nearest ancestor that exists so a missing key still points somewhere useful.
    for (let depth = keys.length; depth >= 0; depth--) {
      const node = yaml.getIn(keys.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === "object" && node.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return { file: display, line, column: col };
      }
    }
    return undefined;
  };
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
