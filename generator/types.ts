/**
 * openapi-typescript's types for the spec (`openapi.ts`), in a worker thread when the generator runs
 * compiled: loading it (it loads the TypeScript compiler) and typing the document take seconds, and
 * nothing else in the run depends on them, so validators and templates render meanwhile on the main
 * thread. The worker also answers which names the runtime exports (read with TypeScript's parser), so
 * the main thread never loads the compiler. Under a TypeScript loader (tsx, vitest) the worker file is
 * `.ts`, so both run in-process; the text is the same either way.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type * as OpenapiTs from "openapi-typescript";
import type * as TypeScript from "typescript";
import { codeCacheFile, requireWithCodeCache, type CachedModule } from "./code-cache.js";
import { hoistInteriorRefs } from "./interior-refs.js";
import { parsePointer, pointerSegment } from "./json-pointer.js";

export interface TypesJob {
  /** Every name the runtime module `entry` (a .ts file) makes public: see exportedNames. */
  exportedNames(entry: string): Promise<Set<string>>;
  /**
   * Starts typing the bundled document now, in the worker, while the main thread still validates it (a no-op
   * in-process); typesFor then gives that result. A run whose validation fails never asks for it.
   */
  begin(document: Record<string, unknown>): void;
  /** Types the document, or gives the result begun for it. */
  typesFor(document: Record<string, unknown>): Promise<string>;
  /** Ends the worker (when the run fails before asking for the types). */
  close(): void;
}

/** What the worker is asked (types-worker.ts), and what it answers. */
export type TypesRequest = { id: number } & ({ kind: "exports"; entry: string } | { kind: "types"; document: Record<string, unknown> });
export type TypesReply = { id: number } & ({ kind: "exports"; ok: true; names: string[] } | { kind: "types"; ok: true; text: string } | { kind: TypesRequest["kind"]; ok: false; message: string });

const require = createRequire(import.meta.url);

/**
 * The TypeScript compiler and openapi-typescript's transform, by `require` from their CommonJS builds. An ESM
 * `import` of typescript.js (9 MB of CommonJS) makes Node scan all of it for module syntax and for its export
 * names (about 1 s of CPU), and openapi-typescript's `openapiTS()` would lint and bundle the already validated and
 * bundled document a second time with its own copy of @redocly/openapi-core (about 2 s on Zoom's published spec):
 * typeDocument below is `openapiTS()` without that pass (test/generator/types.test.ts checks the text is the same).
 */
export function loadTypeGenerator() {
  const ts = requireTypeScript();
  const transformSchema = require("openapi-typescript/dist/transform/index.cjs") as typeof OpenapiTs.transformSchema;
  const { astToString } = require("openapi-typescript/dist/lib/ts.cjs") as Pick<typeof OpenapiTs, "astToString">;
  const { scanDiscriminators, resolveRef } = require("openapi-typescript/dist/lib/utils.cjs") as Pick<typeof OpenapiTs, "scanDiscriminators" | "resolveRef">;
  return { ts, transformSchema, astToString, scanDiscriminators, resolveRef };
}

let typeScriptLoad: CachedModule | undefined;

/** The TypeScript compiler, with a V8 code cache (code-cache.ts) when it is first loaded here. */
function requireTypeScript(): typeof TypeScript {
  const file = require.resolve("typescript");
  const cacheFile = require.cache[file] ? undefined : codeCacheFile(file);
  if (cacheFile !== undefined) {
    try {
      typeScriptLoad = requireWithCodeCache(file, cacheFile);
    } catch {
      // a plain require below
    }
  }
  return require(file) as typeof TypeScript;
}

/** Keeps the code V8 compiled for TypeScript in this run, when there was no usable cache: call after typing. */
export function saveTypeScriptCodeCache(): void {
  typeScriptLoad?.save();
}

/** openapi-typescript's options for the client's types. */
type TypesOptions = Pick<OpenapiTs.OpenAPITSOptions, "silent" | "alphabetize" | "transform">;

/** What `openapiTS(document, options)` returns, for a document already bundled (no external `$ref`), with the defaults it sets. */
function typeDocument(document: OpenapiTs.OpenAPI3, options: TypesOptions): TypeScript.Node[] {
  const { transformSchema, scanDiscriminators, resolveRef } = loadTypeGenerator();
  const silent = options.silent ?? false;
  return withMemoizedCreateRef(() => withAppendedOperations(() => transformSchema(document, {
    additionalProperties: false,
    alphabetize: options.alphabetize ?? false,
    arrayLength: false,
    defaultNonNullable: true,
    // scanDiscriminators walks the whole document twice, building a path array per node (about 0.2 s on Zoom's
    // published spec); with no discriminator anywhere its answer is known: nothing found, nothing patched.
    discriminators: hasDiscriminator(document) ? scanDiscriminators(document, options) : { objects: {}, refsHandled: [] },
    emptyObjectsUnknown: false,
    enum: false,
    enumValues: false,
    conditionalEnums: false,
    dedupeEnums: false,
    excludeDeprecated: false,
    exportType: false,
    immutable: false,
    rootTypes: false,
    rootTypesNoSchemaPrefix: false,
    rootTypesKeepCasing: false,
    injectFooter: [],
    pathParamsAsTypes: false,
    postTransform: undefined,
    propertiesRequiredByDefault: false,
    redoc: undefined as never, // read by openapiTS()'s lint and bundle only
    silent,
    inject: undefined,
    transform: options.transform,
    transformProperty: undefined,
    makePathsEnum: false,
    generatePathParams: false,
    readWriteMarkers: false,
    resolve: ($ref) => resolveRef(document, $ref, { silent }),
  })));
}

/** True when some object of the document has a `discriminator` with a `propertyName` (all scanDiscriminators acts on). */
export function hasDiscriminator(document: unknown): boolean {
  const stack: unknown[] = [document];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== "object" || node === null) continue;
    if (!Array.isArray(node) && (node as { discriminator?: { propertyName?: unknown } }).discriminator?.propertyName) return true;
    for (const value of Array.isArray(node) ? node : Object.values(node)) if (typeof value === "object" && value !== null) stack.push(value);
  }
  return false;
}

/** The parts of openapi-typescript's lib/utils.cjs and of the @redocly/openapi-core 1.x it uses that createRef touches. */
interface RefUtils {
  createRef(parts: unknown[]): string;
}
interface RedoclyRefUtils {
  parseRef(ref: string): { pointer: string[] };
  escapePointer(fragment: unknown): unknown;
}

/**
 * Runs `transform` with openapi-typescript's `createRef(parts)` (the JSON pointer of each node it types) computing
 * each part's text once. The original parses every part as a `$ref` on every call (a split, decodeURIComponent on
 * each segment), and a node's own pointer is a part of each child's: parsing the same parent pointers again and
 * again was about 0.4 s of the worker's CPU on Zoom's published spec. Same function, same text (parts are strings
 * and numbers, keyed by their text; anything else goes the original way); put back afterwards, so the memo is freed.
 */
export function withMemoizedCreateRef<T>(transform: () => T): T {
  const utilsFile = require.resolve("openapi-typescript/dist/lib/utils.cjs");
  const utils = require(utilsFile) as RefUtils;
  const { parseRef, escapePointer } = createRequire(utilsFile)("@redocly/openapi-core/lib/ref-utils.js") as RedoclyRefUtils;
  const textOf = (part: unknown): string => {
    const pointer = parseRef(String(part)).pointer;
    return pointer.length > 0 ? pointer.map((segment) => `/${String(escapePointer(segment))}`).join("") : `/${String(escapePointer(part))}`;
  };
  const texts = new Map<string, string>();
  const original = utils.createRef;
  utils.createRef = (parts) => {
    let pointer = "#";
    for (const part of parts) {
      if (part === undefined || part === null || part === "") continue;
      if (typeof part !== "string" && typeof part !== "number") {
        pointer += textOf(part);
        continue;
      }
      const key = String(part);
      let text = texts.get(key);
      if (text === undefined) texts.set(key, (text = textOf(part)));
      pointer += text;
    }
    return pointer;
  };
  try {
    return transform();
  } finally {
    utils.createRef = original;
  }
}

/** What withAppendedOperations uses of openapi-typescript's transform/operation-object.cjs and lib/ts.cjs. */
interface OperationObjectModule {
  default(operation: unknown, options: unknown): TypeScript.TypeElement[];
  injectOperationObject(operationId: string, operation: unknown, options: InjectOptions): void;
}
interface InjectOptions {
  ctx: { injectFooter: TypeScript.Node[]; immutable: boolean };
}
interface TsHelpers {
  tsModifiers(modifiers: { readonly?: boolean }): TypeScript.Modifier[];
  tsPropertyIndex(index: string): TypeScript.PropertyName;
}

/**
 * Runs `transform` with openapi-typescript's `injectOperationObject` appending each operation to the `operations`
 * interface in place. The original copies all of the interface's members into a new array for each operation it
 * adds: quadratic, about 16 s of the worker's CPU (and much of its GC) on Microsoft Graph's 11,422 operations. The
 * first operation goes the original way (it makes the interface); the others are kept in one list per interface,
 * typed by the same `transformOperationObject`, and set as its members once at the end: the same nodes, the same text.
 */
export function withAppendedOperations<T>(transform: () => T): T {
  const moduleFile = require.resolve("openapi-typescript/dist/transform/operation-object.cjs");
  const module = require(moduleFile) as OperationObjectModule;
  const { tsModifiers, tsPropertyIndex } = require("openapi-typescript/dist/lib/ts.cjs") as TsHelpers;
  const ts = createRequire(moduleFile)("typescript") as typeof TypeScript;
  const lists = new Map<TypeScript.InterfaceDeclaration, TypeScript.TypeElement[]>();
  const original = module.injectOperationObject;
  const operationsOf = (footer: TypeScript.Node[]) => footer.find((node): node is TypeScript.InterfaceDeclaration => ts.isInterfaceDeclaration(node) && node.name.text === "operations");
  module.injectOperationObject = (operationId, operation, options) => {
    const operations = operationsOf(options.ctx.injectFooter);
    const list = operations && lists.get(operations);
    if (!list) {
      original(operationId, operation, options);
      const made = operationsOf(options.ctx.injectFooter);
      if (made) lists.set(made, [...made.members]);
      return;
    }
    const type = module.default(operation, options);
    list.push(ts.factory.createPropertySignature(tsModifiers({ readonly: options.ctx.immutable }), tsPropertyIndex(operationId), undefined, ts.factory.createTypeLiteralNode(type)));
  };
  try {
    return transform();
  } finally {
    module.injectOperationObject = original;
    for (const [operations, list] of lists) (operations as { members: TypeScript.NodeArray<TypeScript.TypeElement> }).members = ts.factory.createNodeArray(list);
  }
}

/** The options the client's types are made with: binary strings as `Blob`, arrays of directly recursive schemas as interfaces. */
export function typesOptions(document: Record<string, unknown>, ts: typeof TypeScript): { options: TypesOptions; declarations: () => string } {
  const lists = recursiveArrayLists(document);
  const used = new Map<string, string>();
  const blob = ts.factory.createTypeReferenceNode("Blob");
  const options: TypesOptions = {
    silent: true,
    alphabetize: false,
    transform: (schema) => {
      // A binary string (a multipart file part, an octet-stream body) is a `Blob` in the client, not text.
      if (schema.type === "string" && schema.format === "binary") return blob;
      // `X: string | components["schemas"]["X"][]` is TS2502 ("referenced in its own type annotation"); an interface
      // extending Array is resolved lazily, so the array of a directly recursive schema becomes one.
      const items = (schema as { items?: { $ref?: unknown } }).items;
      const name = schema.type === "array" && typeof items?.$ref === "string" ? lists.get(items.$ref) : undefined;
      if (name === undefined) return undefined;
      used.set(name, items!.$ref as string);
      return ts.factory.createTypeReferenceNode(name);
    },
  };
  const declarations = () => [...used].map(([name, ref]) => `export interface ${name} extends Array<components["schemas"][${JSON.stringify(parsePointer(ref)[2])}]> {}\n`).join("");
  return { options, declarations };
}

/** Types one bundled document in this thread (openapi-typescript may mutate it: pass a copy). */
export function generateTypes(document: Record<string, unknown>): string {
  const { ts, astToString } = loadTypeGenerator();
  hoistInteriorRefs(document);
  const { options, declarations } = typesOptions(document, ts);
  const nodes = typeDocument(document as unknown as OpenapiTs.OpenAPI3, options);
  return printNodes(ts, nodes, astToString) + declarations();
}

/** What TypeScript's printer calls on the writer it is given (`EmitTextWriter`, internal to TypeScript). */
interface TextWriter {
  write(s: string): void;
  rawWrite(s: string | undefined): void;
  writeLiteral(s: string): void;
  writeLine(force?: boolean): void;
  increaseIndent(): void;
  decreaseIndent(): void;
  getIndent(): number;
  getTextPos(): number;
  getLine(): number;
  getColumn(): number;
  getText(): string;
  isAtStartOfLine(): boolean;
  hasTrailingComment(): boolean;
  hasTrailingWhitespace(): boolean;
  clear(): void;
  writeKeyword(s: string): void;
  writeOperator(s: string): void;
  writeParameter(s: string): void;
  writeProperty(s: string): void;
  writePunctuation(s: string): void;
  writeSpace(s: string): void;
  writeStringLiteral(s: string): void;
  writeSymbol(s: string, symbol: unknown): void;
  writeTrailingSemicolon(s: string): void;
  writeComment(s: string): void;
}

/**
 * openapi-typescript's `astToString(nodes)`, the same text, through a writer that keeps what it is given in a list
 * of pieces joined now and then instead of TypeScript's own (`output += s` and an array of line starts per piece).
 * Each `+=` of the original leaves a rope node that lives until the end, millions of them for a large spec: about a
 * third of the worker's garbage collection on Zoom's published spec. Without the printer's `writeFile` (internal
 * to TypeScript), astToString itself.
 */
export function printNodes(ts: typeof TypeScript, nodes: TypeScript.Node[], astToString: typeof OpenapiTs.astToString): string {
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: false }) as TypeScript.Printer & {
    writeFile?: (sourceFile: TypeScript.SourceFile, writer: TextWriter, sourceMap: undefined) => void;
  };
  if (typeof printer.writeFile !== "function") return astToString(nodes);
  const sourceFile = ts.createSourceFile("openapi-ts.ts", "", ts.ScriptTarget.ESNext, false, ts.ScriptKind.TS);
  (sourceFile as { statements: TypeScript.NodeArray<TypeScript.Statement> }).statements = ts.factory.createNodeArray(nodes as TypeScript.Statement[]);
  const writer = pieceWriter(ts, "\n");
  printer.writeFile(sourceFile, writer, undefined);
  return writer.getText();
}

/** TypeScript's `createTextWriter(newLine)` (typescript.js), its text kept as pieces: the same answers to every call. */
export function pieceWriter(ts: Pick<typeof TypeScript, "isWhiteSpaceLike">, newLine: string): TextWriter {
  const INDENT = "    ";
  const indents = ["", INDENT];
  const indentString = (level: number) => {
    for (let n = indents.length; n <= level; n++) indents.push(indents[n - 1] + INDENT);
    return indents[level]!;
  };
  let joined: string[] = []; // each the join of PIECES pieces
  let pieces: string[] = [];
  let length = 0;
  let last = ""; // the last non-empty piece
  let indent = 0;
  let lineStart = true;
  let lineCount = 0;
  let linePos = 0;
  let hasTrailingComment = false;
  const PIECES = 4096;
  const append = (s: string) => {
    pieces.push(s);
    if (pieces.length === PIECES) {
      joined.push(pieces.join(""));
      pieces = [];
    }
    length += s.length;
    last = s;
  };
  // computeLineStarts(s) without the array: the line breaks TypeScript counts (\r\n, \r, \n, U+2028, U+2029).
  const updateLineCountAndPosFor = (s: string) => {
    let breaks = 0;
    let lastLineStart = 0;
    for (let pos = 0; pos < s.length; ) {
      const ch = s.charCodeAt(pos++);
      if (ch === 13 || ch === 10 || ch === 0x2028 || ch === 0x2029) {
        if (ch === 13 && s.charCodeAt(pos) === 10) pos++;
        breaks++;
        lastLineStart = pos;
      }
    }
    if (breaks > 0) {
      lineCount += breaks;
      linePos = length - s.length + lastLineStart;
      lineStart = linePos - length === 0;
    } else {
      lineStart = false;
    }
  };
  const writeText = (text: string) => {
    if (text && text.length) {
      let s = text;
      if (lineStart) {
        s = indentString(indent) + s;
        lineStart = false;
      }
      append(s);
      updateLineCountAndPosFor(s);
    }
  };
  const write = (s: string) => {
    if (s) hasTrailingComment = false;
    writeText(s);
  };
  const clear = () => {
    joined = [];
    pieces = [];
    length = 0;
    last = "";
    indent = 0;
    lineStart = true;
    lineCount = 0;
    linePos = 0;
    hasTrailingComment = false;
  };
  return {
    write,
    rawWrite: (s) => {
      if (s !== undefined) {
        if (s.length > 0) append(s);
        updateLineCountAndPosFor(s);
        hasTrailingComment = false;
      }
    },
    writeLiteral: (s) => {
      if (s && s.length) write(s);
    },
    writeLine: (force) => {
      if (!lineStart || force) {
        append(newLine);
        lineCount++;
        linePos = length;
        lineStart = true;
        hasTrailingComment = false;
      }
    },
    increaseIndent: () => {
      indent++;
    },
    decreaseIndent: () => {
      indent--;
    },
    getIndent: () => indent,
    getTextPos: () => length,
    getLine: () => lineCount,
    getColumn: () => (lineStart ? indent * INDENT.length : length - linePos),
    getText: () => joined.join("") + pieces.join(""),
    isAtStartOfLine: () => lineStart,
    hasTrailingComment: () => hasTrailingComment,
    hasTrailingWhitespace: () => length > 0 && ts.isWhiteSpaceLike(last.charCodeAt(last.length - 1)),
    clear,
    writeKeyword: write,
    writeOperator: write,
    writeParameter: write,
    writeProperty: write,
    writePunctuation: write,
    writeSpace: write,
    writeStringLiteral: write,
    writeSymbol: (s) => write(s),
    writeTrailingSemicolon: write,
    writeComment: (s) => {
      if (s) hasTrailingComment = true;
      writeText(s);
    },
  };
}

/**
 * The component schemas that contain themselves through `anyOf`/`oneOf`/`allOf`/`items`/`$ref` alone (no object
 * property in between, as in "any JSON value": `anyOf: [string, {type: array, items: {$ref: itself}}]`), each
 * with the name of the array interface that replaces `X[]` in the types.
 */
export function recursiveArrayLists(document: Record<string, unknown>): Map<string, string> {
  const schemas = (document.components as { schemas?: Record<string, unknown> } | undefined)?.schemas ?? {};
  const prefix = "#/components/schemas/";
  const directChildren = (node: unknown): unknown[] => {
    if (typeof node !== "object" || node === null) return [];
    const record = node as Record<string, unknown>;
    const children: unknown[] = [];
    for (const key of ["anyOf", "oneOf", "allOf"]) if (Array.isArray(record[key])) children.push(...(record[key] as unknown[]));
    if (typeof record.items === "object") children.push(record.items);
    if (typeof record.$ref === "string" && record.$ref.startsWith(prefix)) children.push(schemas[parsePointer(record.$ref)[2] ?? ""]);
    return children;
  };
  const lists = new Map<string, string>();
  const taken = new Set(["paths", "webhooks", "components", "$defs", "operations"]);
  for (const key of Object.keys(schemas)) {
    const target = schemas[key];
    const seen = new Set<unknown>();
    const pending = directChildren(target);
    let recursive = false;
    while (pending.length > 0 && !recursive) {
      const node = pending.pop();
      if (node === target) recursive = true;
      else if (!seen.has(node)) {
        seen.add(node);
        pending.push(...directChildren(node));
      }
    }
    if (!recursive) continue;
    let name = `${key.replace(/[^A-Za-z0-9_$]/g, "_")}Array`;
    for (let n = 2; taken.has(name); n++) name = `${key.replace(/[^A-Za-z0-9_$]/g, "_")}Array${n}`;
    taken.add(name);
    lists.set(`${prefix}${pointerSegment(key)}`, name);
  }
  return lists;
}

/**
 * Every name the runtime module `entry` (a .ts file) makes public, read with TypeScript's parser: `export {...}`
 * lists, exported declarations, and `export *` followed into the module it names.
 */
export function exportedNames(entry: string): Set<string> {
  const { ts } = loadTypeGenerator();
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false);
    for (const statement of source.statements) {
      if (ts.isExportDeclaration(statement)) {
        const clause = statement.exportClause;
        if (clause !== undefined && ts.isNamedExports(clause)) for (const element of clause.elements) names.add(element.name.text);
        else if (clause === undefined && statement.moduleSpecifier !== undefined && ts.isStringLiteral(statement.moduleSpecifier)) {
          visit(path.resolve(path.dirname(file), statement.moduleSpecifier.text.replace(/\.js$/, ".ts")));
        }
        continue;
      }
      const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (!exported) continue;
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
      } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
        names.add(statement.name.text);
      }
    }
  };
  visit(entry);
  return names;
}

/** Starts loading TypeScript and openapi-typescript now (in a worker if it can), before the document is ready. */
export function startTypes(): TypesJob {
  const workerUrl = new URL("./types-worker.js", import.meta.url);
  if (!import.meta.url.endsWith(".js")) {
    const names = (entry: string) => {
      const found = Promise.resolve().then(() => exportedNames(entry));
      found.catch(() => {}); // may be asked for early and read later, or not at all
      return found;
    };
    return { exportedNames: names, begin: () => {}, typesFor: async (document) => generateTypes(structuredClone(document)), close: () => {} };
  }
  // A small young generation: the worker's peak (TypeScript's syntax tree of the types) adds to the main thread's,
  // in one process; 8 MB took about 15 MB off the peak RSS on Zoom's published spec, for no measurable CPU.
  const worker = new Worker(workerUrl, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  worker.unref();
  let stopped = false;
  const stop = () => {
    stopped = true;
    void worker.terminate();
  };
  const pending = new Map<number, { resolve: (reply: TypesReply) => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on("message", (reply: TypesReply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiting?.resolve(reply);
    else waiting?.reject(new Error(reply.message));
  });
  worker.once("error", failAll);
  worker.once("exit", (code) => failAll(new Error(`the types worker stopped (exit code ${code})`)));
  let lastId = 0;
  const ask = (request: DistributiveOmit<TypesRequest, "id">): Promise<TypesReply> =>
    new Promise((resolve, reject) => {
      const id = ++lastId;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  // The worker answers in the order it is asked, and typing blocks it: export names asked for early are not held up.
  const names = new Map<string, Promise<Set<string>>>();
  let types: Promise<string> | undefined;
  const begin = (document: Record<string, unknown>): Promise<string> => {
    types ??= ask({ kind: "types", document }).then((reply) => {
      // Its last answer (the export names were asked for first): ended now, its heap is given back before the run goes on.
      if (pending.size === 0) stop();
      return reply.kind === "types" && reply.ok ? reply.text : "";
    });
    types.catch(() => {}); // read by typesFor; a run that fails first never asks
    return types;
  };
  return {
    exportedNames: (entry) => {
      let found = names.get(entry);
      if (!found) {
        found = stopped ? Promise.resolve().then(() => exportedNames(entry)) : ask({ kind: "exports", entry }).then((reply) => new Set(reply.kind === "exports" && reply.ok ? reply.names : []));
        found.catch(() => {}); // asked for early; read when the profile is known
        names.set(entry, found);
      }
      return found;
    },
    begin: (document) => void begin(document),
    typesFor: begin,
    close: stop,
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
